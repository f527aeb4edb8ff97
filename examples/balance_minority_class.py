"""Balance a minority class: generate one- and two-star reviews, then measure what they add to a rating
classifier trained on the real reviews (165 of the 1,308 real supplements reviews have one or two stars).

    python examples/balance_minority_class.py                      # 300 rows: long with the embedded model
    python examples/balance_minority_class.py --num-samples 30     # a quick look
    python examples/balance_minority_class.py --rows output/minority.csv   # measure rows made before

The rows are written to OUT/minority.csv (with its sidecar), the quality report with ML utility to
OUT/report.json; `--rows FILE` measures rows made before (e.g. by `syngen generate --where rating=1,2`).
The utility compares, on held-out real rows, a TF-IDF + logistic-regression classifier of the rating
trained on the real rows alone with one trained on the real rows plus the generated ones, with 95%
bootstrap intervals (syngen.evaluation.utility).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import syngen

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SHARED / "reviews_supplements.csv"))
    parser.add_argument("--products", default=str(SHARED / "product_asin.csv"))
    parser.add_argument("--num-samples", type=int, default=300)
    parser.add_argument("--label", default="rating", help="The category column to balance.")
    parser.add_argument("--values", default="1,2", help="The values of --label to generate rows of.")
    parser.add_argument("--model", default="local")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="output/balance_minority_class")
    parser.add_argument("--rows", help="Measure rows generated before (a SynGen output) instead of generating.")
    args = parser.parse_args()
    out = Path(args.out)
    # The utility needs no sentence embeddings; embeddings=True adds the semantic metrics to the report.
    if args.rows:
        report = syngen.evaluate(args.data, args.rows, products=args.products, seed=args.seed, utility=args.label,
                                 embeddings=False)
    else:
        values = [v.strip() for v in args.values.split(",") if v.strip()]
        result = syngen.generate(args.data, products=args.products, num_samples=args.num_samples, model=args.model,
                                 seed=args.seed, where={args.label: values})
        result.save(out / "minority.csv", force=True)
        print(f"generated {len(result.rows)} rows; {args.label}: {result.rows[args.label].value_counts().to_dict()}")
        report = result.evaluate(utility=args.label, embeddings=False)
    report.to_json(out / "report.json")
    print(utility_table(report.utility))


def utility_table(utility) -> str:
    """The comparisons as a markdown table, ready for the README."""
    lines = ["| comparison | with the generated rows | real rows only | difference (95% interval) |",
             "|---|---|---|---|"]
    for comparison in utility.comparisons.values():
        scores = comparison.scores
        lines.append(f"| {comparison.what} | {scores.candidate.value:.3f} ({comparison.candidate_rows} rows) | "
                     f"{scores.baseline.value:.3f} ({comparison.baseline_rows} rows) | "
                     f"{scores.difference.signed()} |")
    return "\n".join(lines + [f"\n{note}" for note in utility.notes])


if __name__ == "__main__":
    main()
