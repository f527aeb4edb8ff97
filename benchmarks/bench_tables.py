"""The text figures on tables of other shapes, made here from the real supplements reviews (so their labels
are ones the text really predicts), generated with the embedded model:

- `liked.tsv`: two columns, a review and a 0/1 `liked` label (4-5 stars: 1, 1-2 stars: 0), tab-separated;
- `multilabel.csv`: a text with three labels (`sentiment` negative/neutral/positive from the stars,
  `mentions_taste` yes/no from the text's words, `verified` from the purchase flag) and a helpful-vote count;
- `finefoods.csv`: the shape of Amazon's fine-food reviews (`Id` 1..n in file order, `ProductId`, `UserId`,
  `ProfileName` with quoted nicknames, helpfulness numerator and denominator, `Score`, `Time` in epoch seconds,
  `Summary`, `Text`): a row-number column, a name column and a title column.

`--tables NAME,...` runs some of them; `--keep DIR` writes the tables there too.

For each: rows delivered, rows/min, the consistency property's figures (agreement per checked label against
the real rows' own, prompt fragments, cut texts) and the rejections.

    python benchmarks/bench_tables.py --num-samples 60
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from syngen.evaluation.context import EvalContext  # noqa: E402
from syngen.evaluation.properties import consistency  # noqa: E402
from syngen.generation.config import GenerationConfig  # noqa: E402
from syngen.generation.engine import run_generation  # noqa: E402
from syngen.generation.session import prepare_session  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TASTE = r"\b(?:taste|tastes|flavor|flavour|sweet|bitter|aftertaste|delicious)\b"


def make_tables(folder: Path) -> dict[str, Path]:
    real = pd.read_csv(DATA / "reviews_supplements.csv", dtype=str, keep_default_na=False)
    stars = pd.to_numeric(real["rating"])
    liked = real[stars != 3].assign(liked=np.where(stars[stars != 3] >= 4, "1", "0"))
    liked = liked[["text", "liked"]].rename(columns={"text": "review"})
    multi = pd.DataFrame({
        "text": real["text"],
        "sentiment": np.select([stars <= 2, stars == 3], ["negative", "neutral"], "positive"),
        "mentions_taste": np.where(real["text"].str.contains(TASTE, case=False, regex=True), "yes", "no"),
        "verified": real["verified_purchase"],
        "helpful": real["helpful_vote"],
    })
    paths = {"liked.tsv": folder / "liked.tsv", "multilabel.csv": folder / "multilabel.csv",
             "finefoods.csv": folder / "finefoods.csv"}
    liked.to_csv(paths["liked.tsv"], sep="\t", index=False)
    multi.to_csv(paths["multilabel.csv"], index=False)
    fine_foods(real).to_csv(paths["finefoods.csv"], index=False)
    return paths


def fine_foods(real: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = len(real)
    votes = pd.to_numeric(real["helpful_vote"]).astype(int)
    names = ["Mary", "J. Smith", "Karen", "Bob the Builder", "lisa m", "A Customer", "Dave K.", "Nurse Jen",
             "T. Nguyen", "coffee lover"]
    return pd.DataFrame({
        "Id": np.arange(1, n + 1), "ProductId": real["asin"], "UserId": real["user_id"].str[:14],
        "ProfileName": [names[i % len(names)] + ("" if i % 3 else f' "{i % 97}"') for i in range(n)],
        "HelpfulnessNumerator": votes,
        "HelpfulnessDenominator": votes + rng.poisson(0.8, n) * (rng.uniform(size=n) < 0.5),
        "Score": real["rating"], "Time": pd.to_datetime(real["timestamp"], format="mixed").astype("int64") // 10**9,
        "Summary": real["title"], "Text": real["text"]})


def bench(path: Path, n: int, seed: int, out: Path) -> dict[str, object]:
    config = GenerationConfig(data=str(path), num_samples=n, seed=seed, out=str(out))
    session = prepare_session(config)
    started = time.monotonic()
    result = run_generation(config, session=session)
    minutes = (time.monotonic() - started) / 60
    session.backend.close()
    figures: dict[str, object] = {"rows": f"{len(result.rows)}/{n}", "valid rows per minute":
                                  round(len(result.rows) / minutes, 1)}
    figures.update({f"check: {s.label} from {s.text}": f"{'yes' if s.checked else 'no'} "
                    f"(real balanced accuracy {s.balanced_accuracy or 0:.2f}, chance {s.chance or 0:.2f})"
                    for s in session.profile.label_checks})
    ctx = EvalContext(real=session.table.frame, synthetic=result.rows, profile=session.profile, embedder=None)
    for metric in consistency.measure(ctx).metrics:
        figures[f"{metric.metric} ({metric.column})"] = f"{metric.raw:.3f} (real {metric.details.get('real', 0):.3f})"
    figures["token efficiency"] = result.sidecar["token_efficiency"]
    figures["rejections"] = {str(getattr(k, "value", k)): n for k, n in result.sidecar["rejections"].items()}
    figures["first rows"] = result.rows.head(3).to_dict("records")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-samples", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tables", default="", help="comma-separated table names (default: all)")
    parser.add_argument("--keep", default="", help="a folder to write the tables to as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tables = make_tables(Path(args.keep) if args.keep else Path(tmp))
        for name, path in tables.items():
            if args.tables and name not in args.tables.split(","):
                continue
            print(f"\n== {name}, {args.num_samples} rows, seed {args.seed}", flush=True)
            for key, value in bench(path, args.num_samples, args.seed, Path(tmp) / f"out_{name}.csv").items():
                print(f"  {key:44} {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
