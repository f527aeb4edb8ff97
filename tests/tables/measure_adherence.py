"""Per-column format adherence and empty-share gap of 200 planned rows (structured values, no model) and,
given a generated file, of its rows: the figures in docs/unseen-tables.md.

    python tests/tables/measure_adherence.py tests/tables/mixed15.csv [--generated OUT.csv] [--products FILE]
"""

from __future__ import annotations

import argparse

import pandas as pd

from syngen.data import load_table
from syngen.evaluation.formats import build_checks
from syngen.profiling import load_catalogue, profile_table
from syngen.sampling import RowPlanner


def planned(profile, catalogue, n: int = 200, seed: int = 7) -> pd.DataFrame:
    planner = RowPlanner(profile, catalogue, seed)
    rows = []
    for skeleton in (planner.skeleton(i) for i in range(n)):
        rows.append({**skeleton.values, **{c: "(model)" for c in skeleton.text_targets}})
    return pd.DataFrame(rows)


def figures(real: pd.DataFrame, made: pd.DataFrame, profile) -> list[tuple[str, str, float, float, float]]:
    checks = build_checks(profile)
    out = []
    for column in profile.columns:
        real_empty, made_empty = (real[column.name] == "").mean(), (made[column.name] == "").mean()
        out.append((column.name, column.kind.value, float(checks[column.name](made).mean()), real_empty,
                    made_empty - real_empty))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--generated")
    parser.add_argument("--products")
    args = parser.parse_args()
    table = load_table(args.data)
    catalogue = load_catalogue(args.products, table) if args.products else None
    profile = profile_table(table, catalogue)
    made = {"planned 200": planned(profile, catalogue)}
    if args.generated:
        made["generated"] = pd.read_csv(args.generated, dtype=str, keep_default_na=False)
    results = {name: figures(table.frame, frame, profile) for name, frame in made.items()}
    names = list(results)
    print("| column | kind | real empty | " + " | ".join(f"{n}: adherence, empty gap" for n in names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for i, column in enumerate(profile.columns):
        cells = [f"{results[n][i][2]:.2f}, {results[n][i][4]:+.3f}" for n in names]
        print(f"| {column.name} | {column.kind.value} | {results[names[0]][i][3]:.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
