"""Atomic writers. A file is written to a temporary name in the same folder and renamed into place, so a
crash never leaves a half-written output and an existing file is never partly overwritten. Without
`replace` the rename refuses a file that appeared meanwhile (another run finishing first)."""

from __future__ import annotations

import codecs
import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from syngen.errors import ConfigError, OutputError
from syngen.output.formats import (
    check_format_options,
    is_saved_dataset,
    neutralise_formulas,
    write_hf_dataset,
    write_xlsx,
)
from syngen.output.paths import file_kind
from syngen.redact import redact

CSV_DELIMITERS = (",", ";", "|")  # a real table's delimiter a .csv output keeps (a tab's table asks for .tsv)


def output_encoding(table_encoding: str) -> str:
    """The encoding a CSV or TSV output is written in: the real table's, so a file read as cp1252 (the SMS spam
    collection, read with `encoding="latin-1"` in the notebooks that use it) is written so too; UTF-8 for ASCII."""
    return "utf-8" if table_encoding.lower().replace("_", "-") in ("ascii", "us-ascii") else table_encoding


def unwritable_characters(text: str, encoding: str) -> list[str]:
    """The characters of `text` that `encoding` has no bytes for (an emoji in a cp1252 table), in order, once each."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return [ch for ch in dict.fromkeys(text) if not ch.encode(encoding, errors="ignore")]
    return []


def writable_encoding(frame: pd.DataFrame, table_encoding: str) -> str:
    """`output_encoding`, unless a cell holds a character it cannot write (text checks keep the model's out; a
    user's --derive template may bring one): then UTF-8, which the sidecar's `output_encoding` says."""
    encoding = output_encoding(table_encoding)
    if codecs.lookup(encoding).name.startswith("utf"):
        return encoding  # writes every character
    try:
        for column in frame.columns:  # a column at a time: a million rows joined would be a copy of the table
            str(column).encode(encoding)
            frame[column].astype(str).str.encode(encoding)
    except UnicodeEncodeError:
        return "utf-8"
    return encoding


def write_table(frame: pd.DataFrame, path: Path, fmt: str, spreadsheet_safe: bool = False,
                replace: bool = True, delimiter: str = ",", header: bool | list[str] = True,
                encoding: str = "utf-8", line_end: str = "\n") -> None:
    """Write the rows exactly as given; `spreadsheet_safe` (CSV and TSV only) prefixes formula-like cells with '.
    `delimiter`: the real table's, kept in a CSV (a German export's ";", which its decimal commas need). `header`
    False: a CSV or TSV without a header row, like a real table that has none (other formats need the names); a
    list: the names a CSV or TSV header writes (`Table.header_row`: blank where the real header cell was).
    `encoding`: a CSV's or TSV's (`writable_encoding`); the other formats are UTF-8 or binary by definition.
    `line_end`: a CSV's or TSV's, the real table's ("\r\n" for a Windows export)."""
    separator = delimiter if delimiter in CSV_DELIMITERS else ","
    writers = {"csv": lambda table, tmp: _write_csv(table, tmp, separator, header, encoding, line_end),
               "tsv": lambda table, tmp: _write_tsv(table, tmp, header, encoding, line_end),
               "jsonl": _write_jsonl, "parquet": _write_parquet, "xlsx": write_xlsx}
    if fmt not in writers and fmt != "hf":
        raise ConfigError(f"unknown output format '{fmt}'", "Choose csv, tsv, jsonl, parquet, xlsx or hf")
    check_format_options(fmt, len(frame), spreadsheet_safe, raw_export=False)
    if fmt == "hf":
        _atomic_folder(path, lambda tmp: write_hf_dataset(frame, tmp), replace)
        return
    table = neutralise_formulas(frame) if spreadsheet_safe else frame
    _atomic(path, lambda tmp: writers[fmt](table, tmp), replace)


def write_sidecar(path: Path, data: dict[str, Any], replace: bool = True) -> None:
    text = json.dumps(redact(data), indent=2, ensure_ascii=False, default=str)
    _atomic(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), replace)


def write_text(path: Path, text: str, replace: bool = True) -> None:
    _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), replace)


def _write_csv(frame: pd.DataFrame, path: Path, delimiter: str = ",", header: bool | list[str] = True,
               encoding: str = "utf-8", line_end: str = "\n") -> None:
    frame.to_csv(path, index=False, sep=delimiter, lineterminator=line_end, header=header, encoding=encoding)


def _write_tsv(frame: pd.DataFrame, path: Path, header: bool | list[str] = True, encoding: str = "utf-8",
               line_end: str = "\n") -> None:
    # quoted where a cell holds a tab
    frame.to_csv(path, index=False, sep="\t", lineterminator=line_end, header=header, encoding=encoding)


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    frame.to_json(path, orient="records", lines=True, force_ascii=False)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ConfigError("writing parquet needs pyarrow", "Install it with: pip install 'syngen[parquet]'") from exc
    frame.to_parquet(path, index=False)


def _atomic(path: Path, write: Callable[[Path], None], replace: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_temporary(path)
    try:
        write(tmp)
        _publish(tmp, path, replace)
    finally:
        tmp.unlink(missing_ok=True)


def _atomic_folder(path: Path, write: Callable[[Path], None], replace: bool) -> None:
    """A folder output (a Hugging Face dataset) is written beside its place and renamed into it; the folder
    it replaces is first renamed aside, so a crash leaves the old dataset or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        _publish_folder(tmp, path, replace)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _publish_folder(tmp: Path, path: Path, replace: bool) -> None:
    kind = file_kind(path)
    if kind is None:
        os.rename(tmp, path)  # a folder made meanwhile is refused: rename replaces only an empty one (small window)
        return
    if not is_saved_dataset(path):
        raise OutputError(f"{path} is a {kind} that is not a saved dataset; SynGen does not replace it",
                          "Choose another --out")
    if not replace:
        raise OutputError(f"{path} was written by someone else while this run went",
                          "Pass --force to overwrite it, or choose another --out")
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
    os.rename(path, aside)
    try:
        os.rename(tmp, path)
    except OSError:
        os.rename(aside, path)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _new_temporary(path: Path) -> Path:
    """An empty file beside `path`, created with the usual umask (tempfile's files are always 0600)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
    raise OutputError(f"cannot create a temporary file beside {path}", "Remove the .tmp files there")


def _publish(tmp: Path, path: Path, replace: bool) -> None:
    kind = file_kind(path)
    if kind not in (None, "file"):  # checked before the run too; this catches one that appeared since
        raise OutputError(f"{path} is a {kind}; SynGen only replaces regular files", "Choose another --out")
    if replace:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if `path` exists: no run replaces another's output without --force
    except FileExistsError as exc:
        raise OutputError(f"{path} was written by someone else while this run went",
                          "Pass --force to overwrite it, or choose another --out") from exc
    except OSError:  # a file system without hard links: check, then rename (a small window remains)
        if path.exists():
            raise OutputError(f"{path} was written by someone else while this run went",
                              "Pass --force to overwrite it, or choose another --out") from None
        os.replace(tmp, path)
