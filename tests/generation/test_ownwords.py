"""Words only one real row uses: a text holding two of one row's copies that row, however it rewords the rest."""

import itertools
import json
import random
import string

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.ownwords import learn_own_words
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend
from tests.generation.test_example_openings import _text


def test_a_word_is_one_rows_own_only_where_no_other_row_holds_it_in_any_column():
    own = learn_own_words({
        "text": [(0, "Prilosec for years, a hiatal hernia."), (1, "Fish oil for years."), (2, None)],
        "title": [(0, "Hernia relief"), (1, "Prilosec no more")],
    })
    assert own.owners == {"hiatal": 0, "hernia": 0, "fish": 1, "oil": 1, "relief": 0, "more": 1}
    assert own.taken("My hiatal hernia is gone.") == (0, ["hernia", "hiatal"])
    assert own.taken("My hernia is gone, prilosec too.") is None  # one own word is anyone's
    assert own.taken("Hiatal hernia help from Hiatal Labs.", stated=["Hiatal Labs chews"]) is None  # told
    assert own.taken("My hiatal hernia is gone.", among={1}) is None  # row 0 was not shown


def _own_words(count: int) -> list[str]:
    letters = itertools.product(string.ascii_lowercase, repeat=3)
    return ["zz" + "".join(next(letters)) for _ in range(count)]


def test_an_answer_rewording_a_real_row_with_two_of_its_own_words_is_asked_again_without_that_row(tmp_path):
    rng = random.Random(0)
    words = _own_words(120)
    texts = [f"{_text(rng)[:-1]} {words[2 * i]} {words[2 * i + 1]}." for i in range(60)]
    data = tmp_path / "notes.csv"
    pd.DataFrame({"note": texts}).to_csv(data, index=False)
    shown: list[list[str]] = []

    def answers(request, index):
        prompt = " ".join(message["content"] for message in request.messages)
        shown.append([text for text in texts if text in prompt])
        if index == 0:  # the first example's own two words in wording of its own
            return json.dumps({"note": f"{_text(rng)[:-1]} {' '.join(shown[0][0][:-1].split()[-2:])}."})
        return json.dumps({"note": _text(rng)})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))

    assert len(result.rows) == 3 and result.sidecar["rejections"] == {"near_copy": 1}
    retry = shown[-1]  # the rejected row's second attempt: the row it took from is not shown again
    assert shown[0][0] not in retry and set(shown[0][1:]) <= set(retry)
    written = pd.read_csv(tmp_path / "out.csv")["note"]
    assert not any(word in text for text in written for word in words)
