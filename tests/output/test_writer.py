import json

import pandas as pd
import pytest

from syngen.errors import OutputError
from syngen.output import check_writable, neutralise_formulas, write_sidecar, write_table


def test_formula_cells_are_neutralised_but_numbers_are_not():
    frame = pd.DataFrame({"a": ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "plain", "-2.5"]})
    safe = neutralise_formulas(frame)["a"].tolist()
    assert safe == ["'=HYPERLINK(\"http://x\")", "'+1+2", "-3", "'@SUM(A1)", "plain", "-2.5"]


def test_csv_export_neutralises_by_default_and_raw_keeps_values(tmp_path):
    frame = pd.DataFrame({"text": ["=1+1", "fine"]})
    write_table(frame, tmp_path / "safe.csv", "csv")
    write_table(frame, tmp_path / "raw.csv", "csv", raw=True)
    assert pd.read_csv(tmp_path / "safe.csv")["text"][0] == "'=1+1"
    assert pd.read_csv(tmp_path / "raw.csv")["text"][0] == "=1+1"


def test_jsonl_and_sidecar_are_written_whole(tmp_path):
    write_table(pd.DataFrame({"a": ["x", "y"]}), tmp_path / "o.jsonl", "jsonl")
    assert [json.loads(line)["a"] for line in (tmp_path / "o.jsonl").read_text().splitlines()] == ["x", "y"]
    write_sidecar(tmp_path / "o.json", {"rows": 2})
    assert json.loads((tmp_path / "o.json").read_text()) == {"rows": 2}
    assert not list(tmp_path.glob(".*tmp"))  # no temporary files left behind


def test_existing_output_is_refused_without_force(tmp_path):
    target = tmp_path / "exists.csv"
    target.write_text("keep me")
    with pytest.raises(OutputError, match="--force"):
        check_writable(target, force=False)
    check_writable(target, force=True)
    assert target.read_text() == "keep me"


def test_missing_output_folder_is_created(tmp_path):
    check_writable(tmp_path / "new" / "deeper" / "o.csv", force=False)
    assert (tmp_path / "new" / "deeper").is_dir()
