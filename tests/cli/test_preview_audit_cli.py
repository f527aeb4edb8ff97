"""`syngen generate --preview` and `--audit` as a user runs them: the preview prints each row's prompt, raw
answers and verdicts and writes nothing; the audit lands in the run directory (OUT.run by default)."""

import json

import pandas as pd
import pytest

from syngen.backends import registry
from syngen.cli.main import main
from syngen.runs.audit import AUDIT_DIR, read_audit
from tests.runs.audit_helpers import BACKEND, WRONG, write_table


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(registry._BUILT_IN, "scripted", BACKEND)
    return write_table(tmp_path / "real.csv")


def generate(data, *args: str) -> int:
    return main(["generate", "--data", str(data), "--model", "scripted", "--seed", "1", "--quiet", *args])


def test_preview_prints_prompts_answers_and_verdicts_and_writes_nothing(data, tmp_path, capsys):
    before = set(tmp_path.rglob("*"))
    assert generate(data, "--preview", "--num-samples", "40", "--out", str(tmp_path / "o.csv")) == 0
    out = capsys.readouterr().out
    assert set(tmp_path.rglob("*")) == before, "no output, sidecar, run file or run directory"
    assert out.count("=== Row ") == 3 and "Preview of 3 rows" in out
    assert "[system]" in out and "Real examples" in out, "the prompt, in full"
    assert WRONG in out and "rejected as unparseable" in out and "): kept" in out
    assert "--- Row kept ---" in out and "stars: " in out


def test_preview_makes_fewer_rows_when_fewer_are_asked(data, capsys):
    assert generate(data, "--preview", "--num-samples", "1") == 0
    assert capsys.readouterr().out.count("=== Row ") == 1


def test_audit_keeps_every_position_in_the_default_run_directory(data, tmp_path, capsys):
    out = tmp_path / "o.csv"
    assert generate(data, "--audit", "--num-samples", "5", "--out", str(out)) == 0
    sidecar = json.loads((tmp_path / "o.csv.syngen.json").read_text())
    assert sidecar["audit"]["kept_in"] == str(tmp_path / "o.csv.run" / AUDIT_DIR)
    trail = read_audit(tmp_path / "o.csv.run")
    assert len(trail) == sidecar["plan_positions_tried"]
    assert trail.row(0).row == pd.read_csv(out, dtype=str, keep_default_na=False).iloc[0].to_dict()


def test_audit_without_a_run_directory_is_a_one_line_error(data, tmp_path, capsys):
    assert generate(data, "--audit", "--no-run-dir", "--out", str(tmp_path / "o.csv")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--audit keeps the prompts and answers in the run directory" in err[0]
    assert not (tmp_path / "o.csv").exists()


def test_help_lists_preview_and_audit(capsys):
    main(["generate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--preview" in text and "--audit" in text and "RUN/audit/part-*.jsonl" in text and "OUT.run" in text
