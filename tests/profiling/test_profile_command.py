"""`syngen profile DATA`: kind, format, empty share and reason per column; --kind; --json; one-line errors."""

import json
from pathlib import Path

from syngen.cli.main import main

TABLES = Path(__file__).parents[1] / "tables"


def test_profile_prints_kind_format_empty_share_and_reason(capsys):
    assert main(["profile", str(TABLES / "mixed15.csv")]) == 0
    out = capsys.readouterr().out
    assert "- negativereason: categorical, empty 39.5%, follows sentiment" in out
    assert "format: %Y-%m-%d %H:%M:%S %z 100%; offsets -0800" in out
    assert "- tweet_coord: pattern, empty 94.0%" in out and "why:" in out


def test_profile_json_with_a_kind_forced(capsys):
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "location=text", "--json"]) == 0
    columns = {c["column"]: c for c in json.loads(capsys.readouterr().out)["columns"]}
    assert columns["location"]["kind"] == "text" and columns["location"]["reason"] == "set by the user"
    assert columns["full_name"]["kind"] == "short_text" and columns["location"]["empty_share"] > 0.2


def test_bad_kind_and_unknown_column_are_one_line_errors(capsys):
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "location=wordy"]) == 2
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "nope=text"]) == 2
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "full_name=datetime"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("error: ") for e in errors)
    assert "is not a column kind" in errors[0] and "does not have: nope" in errors[1]
    assert "cannot be profiled as datetime" in errors[2]
