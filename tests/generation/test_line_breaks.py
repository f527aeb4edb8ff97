"""A text column whose real values are laid out in lines (a changelog's bullets) keeps its generated line breaks,
and its template-marker pairs are fragments even where single braces are the column's own."""

import json

import numpy as np
import pandas as pd
import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend

CHANGES = ["Team upload.", "New upstream release.", "Bump Standards-Version to 4.6.2.",
           "Add ${misc:Depends} to the binary package.", "Fix a typo in the package description.",
           "Switch to debhelper compat level 13.", "Drop the obsolete patch for the build system."]


@pytest.fixture(scope="module")
def changelog_csv(tmp_path_factory):
    rng = np.random.default_rng(4)
    rows = [{"urgency": rng.choice(["low", "medium"]),
             "changes": "\n".join(f"* {c}" for c in rng.choice(CHANGES, size=rng.integers(1, 4), replace=False))}
            for _ in range(120)]
    path = tmp_path_factory.mktemp("tables") / "changelog.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _maker(path, answers):
    config = GenerationConfig(data=str(path), num_samples=3, seed=5, stock_check=False, topic_check=False)
    backend = ScriptedBackend(answers)
    return prepare_session(config, backend=backend).maker, backend


def test_a_bulleted_answer_keeps_its_line_breaks_where_real_texts_have_them(changelog_csv):
    answer = "* Rebuild against the new toolchain   release.\n\n\n* Update the   watch file.\n"
    maker, backend = _maker(changelog_csv, lambda request, index: json.dumps({"changes": answer}))
    outcomes = maker.make_many(range(2))
    assert [o.row["changes"] for o in outcomes] == ["* Rebuild against the new toolchain release.\n"
                                                    "* Update the watch file."] * 2
    prompt = backend.requests[0].messages[-1]["content"]
    assert "\\n* " in prompt  # the examples show the real layout, one bullet a line


def test_a_template_marker_is_a_fragment_though_the_column_uses_braces(changelog_csv):
    def marker_first(request, index):
        first = "rejected" not in request.messages[-1]["content"]
        first_line = "* Release {{ version }} to unstable." if first else "* Add ${shlibs:Depends} to the package."
        text = first_line + "\n* Fix the build with the new compiler, and drop an old patch."
        return json.dumps({"changes": text})

    maker, _ = _maker(changelog_csv, marker_first)
    outcomes = maker.make_many(range(2))
    assert [o.reasons for o in outcomes] == [["prompt_fragment"]] * 2
    assert all(o.row["changes"].startswith("* Add ${shlibs:Depends} to the package.\n") for o in outcomes)


def test_a_column_of_one_line_texts_gets_no_line_breaks(tmp_path):
    path = tmp_path / "reviews.csv"
    rng = np.random.default_rng(5)
    pd.DataFrame({"review": [f"It works {w} and arrived on day {i}." for i, w in
                             enumerate(rng.choice(["well", "fine", "great"], size=60))]}).to_csv(path, index=False)
    maker, _ = _maker(path, lambda request, index: json.dumps({"review": "It works well.\nIt arrived on time."}))
    assert maker.make_many(range(1))[0].row["review"] == "It works well. It arrived on time."
