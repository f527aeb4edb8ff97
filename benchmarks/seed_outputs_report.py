"""The original study's baseline, measured: parse its twelve raw outputs and print what they hold.

    python benchmarks/seed_outputs_report.py [--dir ../shared/data/seed_outputs]

For each file (10 rows asked): the format detected, rows recovered, records that looked like data but
could not be mapped, distinct asin and user_id among the recovered rows, the share of placeholder user
ids ("A123456789"-like) and the share of "Five Stars" titles. Few distinct ids and many
placeholders are the baseline's failure figures that SynGen's own output is compared against.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from syngen.parsing import parse_answer

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ROWS_ASKED = 10
FALLBACK_COLUMNS = ["rating", "title", "text", "asin", "parent_asin", "user_id", "timestamp", "helpful_vote",
                    "verified_purchase", "date", "time"]
_PLACEHOLDER = re.compile(r"example|sample|test|user|xxxx", re.I)
_LETTER_THEN_DIGITS = re.compile(r"[A-Za-z]\d{6,}")  # the shape of A123456789; real ids are 28 mixed chars
_HEADER = ("file", "format", "rows", "asked", "unusable", "asin", "user_id", "generic_id", "five_stars")


def is_generic_id(value: str) -> bool:
    """A made-up placeholder rather than a plausible id: a placeholder word, the A123456789 shape, or
    a run of six sequential or repeated digits."""
    if _PLACEHOLDER.search(value) or _LETTER_THEN_DIGITS.fullmatch(value):
        return True
    digits = re.findall(r"\d{6,}", value)
    return any(_has_run(run, 6) for run in digits)


def _has_run(digits: str, length: int) -> bool:
    """Whether `digits` holds `length` digits in a row that repeat or count up or down (mod 10)."""
    for step in (0, 1, -1):
        run = 1
        for a, b in zip(digits, digits[1:], strict=False):
            run = run + 1 if (int(b) - int(a)) % 10 == step % 10 else 1
            if run >= length:
                return True
    return False


def report_row(path: Path, columns: list[str]) -> tuple[str, ...]:
    parsed = parse_answer(path.read_text(encoding="utf-8"), columns)
    name = path.name.removesuffix("_10_output.csv").removeprefix("suppl_")
    return figures(name, parsed.format, parsed.rows, str(ROWS_ASKED), parsed.unusable)


def figures(name: str, fmt: str, rows: list[dict[str, str]], asked: str,
            unusable: int | str) -> tuple[str, ...]:
    user_ids = [r.get("user_id", "") for r in rows]

    def share(hits: int) -> str:
        return f"{hits / len(rows):.0%}" if rows else "-"

    return (
        name,
        fmt,
        str(len(rows)),
        asked,
        str(unusable),
        str(len({r.get("asin", "") for r in rows})),
        str(len(set(user_ids))),
        share(sum(is_generic_id(u) for u in user_ids)),
        share(sum(r.get("title", "").strip().lower() == "five stars" for r in rows)),
    )


def format_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def read_real(data_dir: Path) -> list[dict[str, str]]:
    """The real rows, for a reference line (and their header as the columns to parse onto)."""
    real = data_dir / "reviews_supplements.csv"
    if not real.is_file():
        return []
    with real.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=SHARED / "seed_outputs",
                        help="folder of *_output.csv files (default: %(default)s)")
    args = parser.parse_args(argv)
    files = sorted(args.dir.glob("*_output.csv"))
    if not files:
        print(f"no *_output.csv files in {args.dir}; pass --dir", file=sys.stderr)
        return 1
    real = read_real(args.dir.parent)
    columns = list(real[0]) if real else FALLBACK_COLUMNS
    rows = [report_row(path, columns) for path in files]
    recovered = sum(int(r[2]) for r in rows)
    total = ("total", "", str(recovered), str(ROWS_ASKED * len(rows)), str(sum(int(r[4]) for r in rows)),
             "", "", "", "")
    reference = [figures("real data (reference)", "csv", real, "-", "-")] if real else []
    print(format_table([_HEADER, *rows, total, *reference]))
    print(f"\ncolumns: {', '.join(columns)}\nasin, user_id: distinct values among recovered rows; "
          "generic_id: share of recovered user_ids that are placeholders (A123456789-like); "
          "five_stars: share of titles that are exactly \"Five Stars\"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
