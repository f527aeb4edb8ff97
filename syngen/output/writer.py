"""Atomic writers. A file is written to a temporary name in the same folder and renamed into place, so a
crash never leaves a half-written output and an existing file is never partly overwritten."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.errors import ConfigError, OutputError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def sidecar_path(output: Path) -> Path:
    return output.with_suffix(".json")


def check_writable(output: Path, force: bool) -> None:
    """Fail before any work if the output exists (without force) or its folder cannot be written."""
    if output.exists() and not force:
        raise OutputError(f"{output} already exists", "Pass --force to overwrite it, or choose another --out")
    if output.is_dir():
        raise OutputError(f"{output} is a folder", "Give --out a file name")
    folder = output.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".syngen-check-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror}",
                          "Choose an --out in a folder you can write to") from exc


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP CSV injection); numbers stay."""
    def safe(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
            return "'" + value
        return value

    return frame.map(safe)


def write_table(frame: pd.DataFrame, path: Path, fmt: str, raw: bool = False) -> None:
    table = frame if raw else neutralise_formulas(frame)
    writers = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}
    if fmt not in writers:
        raise ConfigError(f"unknown output format '{fmt}'", "Choose csv, jsonl or parquet")
    _atomic(path, lambda tmp: writers[fmt](table, tmp))


def write_sidecar(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    _atomic(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    frame.to_json(path, orient="records", lines=True, force_ascii=False)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ConfigError("writing parquet needs pyarrow", "Install it with: pip install 'syngen[parquet]'") from exc
    frame.to_parquet(path, index=False)


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
