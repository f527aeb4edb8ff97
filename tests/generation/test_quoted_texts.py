"""A column of sentences whose real texts are all quoted whole and escaped as HTML (drugs.com's reviews:
'"I couldn&#039;t sleep."'): a generated text is trimmed inside its quotes, put back in them once, and written
with the column's entities; a stray "&" is a wrong format."""

import json

import numpy as np
import pandas as pd
import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend

OPENINGS = ["I&#039;ve been on this for {n} weeks.", "My doctor suggested it {n} days ago.",
            "I started it in week {n}.", "It&#039;s my {n}th month on it."]
MIDDLES = ["It helps with the pain", "I feel calmer at night", "The nausea went away", "I can&#039;t complain",
           "Sleep is better now", "My skin cleared up"]


@pytest.fixture(scope="module")
def quoted_csv(tmp_path_factory):
    rng = np.random.default_rng(6)
    reviews = [f'"{rng.choice(OPENINGS).format(n=n)} {rng.choice(MIDDLES)} and {rng.choice(MIDDLES).lower()}."'
               for n in rng.integers(2, 90, size=150)]
    path = tmp_path_factory.mktemp("tables") / "drugs.csv"
    pd.DataFrame({"usefulCount": rng.integers(0, 50, size=150), "review": reviews}).to_csv(path, index=False)
    return path


def _made(path, answer: str) -> str | list[str]:
    config = GenerationConfig(data=str(path), num_samples=1, seed=5, stock_check=False, topic_check=False,
                              real_openings=False)
    maker = prepare_session(config, backend=ScriptedBackend(lambda request, index: json.dumps({"review": answer}))
                            ).maker
    outcome = maker.make(0)
    return outcome.row["review"] if outcome.row is not None else outcome.reasons


def test_a_text_is_quoted_once_and_written_with_the_columns_entities(quoted_csv):
    assert _made(quoted_csv, "Quebec trips don't tire me. Wombats jump.") == \
        '"Quebec trips don&#039;t tire me. Wombats jump."'
    assert _made(quoted_csv, '"Quebec trips don\'t tire me. Wombats jump."') == \
        '"Quebec trips don&#039;t tire me. Wombats jump."'


def test_a_text_going_on_past_its_own_closing_quote_or_holding_a_stray_ampersand_is_refused(quoted_csv):
    assert "wrong_format" in _made(quoted_csv, '"Quebec trips tire me." Wombats jump over the fence.')
    assert "wrong_format" in _made(quoted_csv, "Quebec trips don&#039%;t tire me. Wombats jump.")


def test_the_examples_are_shown_out_of_their_quotes(quoted_csv):
    config = GenerationConfig(data=str(quoted_csv), num_samples=1, seed=5, stock_check=False, topic_check=False)
    backend = ScriptedBackend(lambda request, index: json.dumps({"review": "Quebec trips tire me. Wombats jump."}))
    prepare_session(config, backend=backend).maker.make(0)
    examples = [json.loads(line) for line in backend.requests[0].messages[1]["content"].splitlines()
                if line.startswith("{")]
    assert len(examples) == 3
    assert all(not e["review"].startswith('"') and not e["review"].endswith('"') for e in examples)
