"""An answer that is mostly the opening of an example its prompt showed (its first words, then a few of its own)
is rejected and asked again with another real row in that example's place; a column whose real texts open alike
is not checked so."""

import json
import random

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.lifting import opening
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend

WORDS = ["screen", "cable", "driver", "update", "error", "restart", "window", "login", "password", "office",
         "battery", "charger", "sound", "wifi", "router", "meeting", "badge", "account", "folder", "drive", "shared",
         "access", "email", "calendar", "invite", "server", "backup", "slow", "noisy", "broken", "blank", "flicker"]


def _text(rng: random.Random, opening_words: str = "") -> str:
    return (opening_words + " " + " ".join(rng.sample(WORDS, 12))).strip().capitalize() + "."


def _opening_then_two_words(request, index, shown: list[list[str]]) -> str:
    return " ".join(shown[0][0].split()[:5]) + " then plain."


def _run(tmp_path, texts: list[str], first=_opening_then_two_words) -> tuple[pd.DataFrame, dict, list[list[str]]]:
    """Three rows of `texts`' table; the first row's first answer is `first`'s, made from the examples it was shown
    (the first of them in the table's order)."""
    data = tmp_path / "notes.csv"
    pd.DataFrame({"note": texts}).to_csv(data, index=False)
    rng = random.Random(1)
    shown: list[list[str]] = []

    def answers(request, index):
        prompt = " ".join(message["content"] for message in request.messages)
        shown.append([text for text in texts if text in prompt])
        if index == 0:
            return json.dumps({"note": first(request, index, shown)})
        return json.dumps({"note": _text(rng)})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))
    return result.rows, result.sidecar["rejections"], shown


def test_an_answer_that_is_mostly_its_examples_opening_is_asked_again_without_that_example(tmp_path):
    rng = random.Random(0)
    texts = [_text(rng) for _ in range(60)]  # no two open alike
    rows, rejections, shown = _run(tmp_path, texts)

    assert len(rows) == 3
    assert rejections.get("near_copy") == 1
    opened = {opening(text) for text in shown[0]}
    assert not any(opening(text) in opened for text in rows["note"])
    retry = shown[-1]  # the rejected row's second attempt, after the other rows' first
    assert shown[0][0] not in retry and set(shown[0][1:]) <= set(retry)


def test_a_column_whose_real_texts_open_alike_keeps_an_answer_that_is_an_examples_opening(tmp_path):
    rng = random.Random(0)
    texts = [_text(rng, "my laptop will not") for _ in range(30)] + [_text(rng) for _ in range(30)]
    rows, rejections, shown = _run(tmp_path, texts)

    assert len(rows) == 3
    assert "near_copy" not in rejections


def test_an_answer_padding_most_of_a_short_example_is_asked_again(tmp_path):
    """Six words in a row of a short example (3 of its 7 word 4-grams), across its two short sentences, in one
    sentence of 15 words: too little of the answer for a lift by its own share (3 of 12), no sentence of 8 words
    copied, and not the example's opening."""
    rng = random.Random(0)
    texts = [" ".join(rng.sample(WORDS, 5)).capitalize() + ". " + " ".join(rng.sample(WORDS, 5)).capitalize() + "."
             for _ in range(60)]

    def carry(request, index, shown):
        own = rng.sample(WORDS, 9)
        carried = shown[0][0].lower().replace(".", "").split()[2:8]  # the example's third to eighth words
        return " ".join([*own[:2], *carried, *own[2:]]).capitalize() + "."

    rows, rejections, shown = _run(tmp_path, texts, first=carry)
    assert len(rows) == 3
    assert rejections.get("near_copy") == 1
    assert shown[0][0] not in shown[-1]


def test_an_answer_rewording_an_example_word_by_word_is_asked_again(tmp_path):
    """Every third word of a 12-word example changed: no 4-gram of it kept whole, no opening, no sentence within
    reach of the copy rules, yet the example with a few words swapped."""
    rng = random.Random(0)
    texts = [_text(rng) for _ in range(60)]

    def reword(request, index, shown):
        words = shown[-1][0].rstrip(".").split()
        others = [word for word in WORDS if word not in {w.lower() for w in words}]
        for position in (1, 4, 7, 10):
            words[position] = rng.choice(others)
        return " ".join(words).capitalize() + "."

    rows, rejections, shown = _run(tmp_path, texts, first=reword)
    assert len(rows) == 3
    assert rejections.get("near_copy") == 1
    assert shown[0][0] not in shown[-1]


def test_a_headline_cut_down_from_an_examples_is_asked_again(tmp_path):
    """News titles (8 words, a sentence column): "NHL Owners Lock Out Players" from a shown "NHL Owners Lock Out
    Players as Labor Talks Fail (AP)" passed, since only the main text was judged against the examples."""
    rng = random.Random(0)
    titles = [" ".join(rng.sample(WORDS, 8)).title() + " (AP)" for _ in range(60)]
    notes = [_text(rng) for _ in range(60)]
    data = tmp_path / "news.csv"
    pd.DataFrame({"title": titles, "note": notes}).to_csv(data, index=False)
    shown: list[list[str]] = []

    def answers(request, index):
        prompt = " ".join(message["content"] for message in request.messages)
        shown.append([t for t in titles if t in prompt])
        title = " ".join(shown[-1][0].split()[:5]) if index == 0 else " ".join(rng.sample(WORDS, 7)).title()
        return json.dumps({"title": title, "note": _text(rng)})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))
    assert len(result.rows) == 3
    assert result.sidecar["rejections"].get("near_copy") == 1
    assert not any(opening(title) == opening(shown[0][0]) for title in result.rows["title"])


STOCK = "Here is the video, you really cannot make this stuff up."


def test_an_answer_writing_a_stock_line_that_several_real_texts_hold_copies_no_example(tmp_path):
    """Fake-news texts in ISOT's shape end in stock lines ("Here's the video: you can't make this stuff up.") that
    dozens of real texts hold: every answer writing one was a near copy of the example that held it, and a run
    made 0 of 8 rows. Only the example's own sentences count; one of those written again is still a copy."""
    rng = random.Random(0)
    texts = [_text(rng) + (" " + STOCK if i % 2 == 0 else "") for i in range(60)]
    data = tmp_path / "news.csv"
    pd.DataFrame({"note": texts}).to_csv(data, index=False)
    own: list[str] = []

    def answers(request, index):
        prompt = request.messages[-1]["content"]
        shown = [text for text in texts if text in prompt]
        if index == 0:  # an example's own sentence: a copy
            own.append(shown[0].split(". ")[0] + ".")
            return json.dumps({"note": own[0] + " Then a line of its own."})
        return json.dumps({"note": _text(rng) + " " + STOCK})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))
    assert len(result.rows) == 3 and result.rows["note"].str.endswith(STOCK).any()  # others trimmed to length
    assert result.sidecar["rejections"] == {"near_copy": 1}
    assert not result.rows["note"].str.startswith(own[0][:-1]).any()
