"""The bytes behind the page's download buttons, made by the same writer as `syngen generate`.

Going through the writer keeps downloads identical to files written by the CLI: CSV, JSONL and Parquet
hold exactly the generated values; the XLSX holds every cell as text, so a spreadsheet runs no formula.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.output.writer import write_table
from syngen.redact import redact

FORMATS = {"csv": "text/csv", "jsonl": "application/jsonl", "parquet": "application/vnd.apache.parquet",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="syngen-export-") as folder:
        path = Path(folder) / f"rows.{fmt}"
        write_table(frame, path, fmt)
        return path.read_bytes()


def sidecar_bytes(sidecar: dict[str, Any]) -> bytes:
    """The run's record (configuration without secrets, model, counts), as written beside the output."""
    return (json.dumps(redact(sidecar), indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def download_name(label: str, fmt: str) -> str:
    """`reviews_synthetic.csv` for data called `reviews.csv`: the suggested name in the browser's dialog."""
    stem = Path(label).stem or "data"
    return f"{stem}_synthetic.{fmt}"
