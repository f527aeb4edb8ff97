"""`syngen profile DATA`: kind, format, empty share and reason per column; the text checks a run would hold its
texts to; --kind; --json; one-line errors."""

import json
from pathlib import Path

import numpy as np
import pytest

from syngen.cli.main import main
from tests.profiling.test_labels import _table

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


def _reviews(tmp_path: Path) -> Path:
    """Reviews whose words tell their label (and stars), beside a colour the text says nothing of."""
    frame = _table(160).frame
    frame["colour"] = np.random.default_rng(1).choice(["red", "blue", "green"], size=len(frame))
    path = tmp_path / "reviews.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.topic
def test_profile_says_which_labels_the_text_checks_and_how_well_it_predicts_each(tmp_path, capsys):
    assert main(["profile", str(_reviews(tmp_path)), "--checks"]) == 0
    checks = [line for line in capsys.readouterr().out.splitlines() if line.startswith("text check: ")]
    label = next(line for line in checks if line.startswith("text check: label from review: checked"))
    assert float(label.split("balanced accuracy ")[1].split()[0]) > 0.9
    colour = next(line for line in checks if line.startswith("text check: colour from review"))
    assert "not checked, the real text does not predict it better than chance" in colour
    assert any("review on the real texts' topic: checked" in line for line in checks)
    assert "review unlike the model's stock text: learned when a run starts" in checks[-1]  # it needs the model


@pytest.mark.topic
def test_profile_json_holds_the_text_checks_only_when_asked(tmp_path, capsys):
    path = str(_reviews(tmp_path))
    assert main(["profile", path, "--json", "--checks"]) == 0
    learned = json.loads(capsys.readouterr().out)["text_checks"]
    checked = {c["label"]: c["checked"] for c in learned["label_checks"]}
    assert checked["label"] and not checked["colour"] and learned["topic_check"]["column"] == "review"
    assert main(["profile", path, "--json"]) == 0
    assert "text_checks" not in json.loads(capsys.readouterr().out)
    assert main(["profile", path]) == 0
    captured = capsys.readouterr()
    assert "text check:" not in captured.out and "add --checks" in captured.err


def test_a_table_without_text_is_profiled_without_checks(tmp_path, capsys):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i % 3}\n" for i in range(40)))
    assert main(["profile", str(path), "--checks"]) == 0
    captured = capsys.readouterr()
    assert "text check" not in captured.out + captured.err and "no column is text" in captured.err


def test_bad_kind_and_unknown_column_are_one_line_errors(capsys):
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "location=wordy"]) == 2
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "nope=text"]) == 2
    assert main(["profile", str(TABLES / "handles.csv"), "--kind", "full_name=datetime"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("error: ") for e in errors)
    assert "is not a column kind" in errors[0] and "does not have: nope" in errors[1]
    assert "cannot be profiled as datetime" in errors[2]
