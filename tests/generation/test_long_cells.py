"""Real tables with very long cells (5,000 words): examples are shortened to fit the prompt, and a row whose
text cannot fit the model's context is one line naming the column and the fix, never a traceback."""

import json

import pandas as pd
import pytest

from syngen.backends.base import Generation
from syngen.errors import ContextOverflow, GenerationIncomplete
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from syngen.prompts.fewshot import FITTED_EXAMPLE_WORDS, MAX_EXAMPLE_WORDS, shorten
from tests.fakes import ScriptedBackend

SENTENCE = "The capsules arrived on time and I take one every morning with breakfast. "


@pytest.fixture(scope="module")
def long_csv(tmp_path_factory):
    rows = [{"stars": str(i % 5 + 1), "review": f"Day {i}. " + SENTENCE * 360} for i in range(40)]  # ~5,000 words
    path = tmp_path_factory.mktemp("long") / "long.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class OverflowingBackend(ScriptedBackend):
    """Refuses any request whose answer could run past a small context, as the local backend does."""

    supports_pattern = False

    def generate_batch(self, requests):
        for request in requests:
            prompt = sum(len(m["content"]) for m in request.messages) // 4
            if prompt + request.max_tokens > 2048:
                raise ContextOverflow(f"a prompt of {prompt} tokens plus an answer of up to {request.max_tokens} "
                                      "tokens does not fit the model's context of 2048 tokens", "Use less")
        return [Generation(json.dumps({"review": "Fine."}), 10, 2) for _ in requests]


def test_long_examples_are_cut_to_whole_sentences():
    text = "Day 1. " + SENTENCE * 360
    short = shorten(text, MAX_EXAMPLE_WORDS)
    assert len(short.split()) <= MAX_EXAMPLE_WORDS and short.endswith(".")


def test_examples_in_the_prompt_are_short(long_csv):
    config = GenerationConfig(data=str(long_csv), num_samples=2, seed=1)
    backend = ScriptedBackend([json.dumps({"review": "Fine."})])
    session = prepare_session(config, backend=backend)
    session.maker.make(0)
    # Three examples of at most FITTED_EXAMPLE_WORDS words each, not three of 5,000.
    assert len(backend.requests[0].messages[1]["content"].split()) < 3 * FITTED_EXAMPLE_WORDS[1] + 200


def test_a_text_that_cannot_fit_is_one_error_naming_the_column(long_csv, tmp_path):
    config = GenerationConfig(data=str(long_csv), num_samples=2, seed=1, out=str(tmp_path / "o.csv"))
    session = prepare_session(config, backend=OverflowingBackend([]))
    with pytest.raises(GenerationIncomplete) as caught:
        run_generation(config, session=session)
    message = str(caught.value)
    assert "'review'" in message and "word" in message and "--length low" in message


@pytest.mark.model
def test_the_cli_on_the_embedded_model_says_which_column_cannot_fit(long_csv, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "rows.csv"
    done = subprocess.run([sys.executable, "-m", "syngen.cli.main", "generate", "--data", str(long_csv), "--out",
                           str(out), "--num-samples", "2", "--no-run-dir"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "'review'" in lines[0] and "--length low" in lines[0]
    assert not out.exists()
