"""The original study's entry point, kept for its flags:

    python main.py --prompt_type diversity --model local --num_samples 5

It runs `syngen generate` on the bundled demo data (or --data) with those settings.
"""

from __future__ import annotations

import argparse
import sys

from syngen.cli.main import main as syngen_main
from syngen.demo import demo_paths


def translate(argv: list[str]) -> list[str]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompt_type", default="base", help="base | diversity | lang_complexity | text_length")
    parser.add_argument("--model", default="local", help="local | hf | ollama | cohere | openai")
    parser.add_argument("--num_samples", default="5")
    parser.add_argument("--data", help="the real CSV (default: the bundled demo reviews)")
    parser.add_argument("--products", help="the product catalogue CSV")
    args, rest = parser.parse_known_args(argv)
    data, products = (args.data, args.products) if args.data else demo_paths()
    command = ["generate", "--data", str(data), "--prompt-type", args.prompt_type, "--model", args.model,
               "--num-samples", str(args.num_samples)]
    if products:
        command += ["--products", str(products)]
    return command + rest


if __name__ == "__main__":
    sys.exit(syngen_main(translate(sys.argv[1:])))
