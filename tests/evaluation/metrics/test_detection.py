"""Text detection: a classifier tells synthetic texts in another voice from the real ones, cannot tell two draws
of the same kind of text apart, and names the words that give the synthetic texts away."""

import random

import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.errors import MetricError
from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.detection import MIN_TEXTS, TextDetection
from syngen.evaluation.properties import drift
from syngen.evaluation.scorecard import detection_findings
from syngen.profiling import profile_table

ITEMS = ["capsules", "gummies", "powder", "tablets", "drops", "softgels", "tea", "chews"]
HAPPENED = ["my sleep got better", "my knees hurt less", "it tasted chalky", "the lid broke", "it came late",
            "my wife liked it", "I stopped after a week", "the smell was strong"]
PRAISE = ["is a great choice for your family", "will make your day better", "is perfect for your health",
          "is the best product you can buy", "gives your body what it needs"]


def buyer(rng: random.Random) -> str:
    return f"I bought the {rng.choice(ITEMS)} last month and {rng.choice(HAPPENED)}. Then {rng.choice(HAPPENED)}."


def advert(rng: random.Random) -> str:
    return f"This {rng.choice(ITEMS)} {rng.choice(PRAISE)}. You will love it, {rng.choice(HAPPENED)}."


def texts(make, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [make(rng) for _ in range(count)]


def test_texts_in_another_voice_are_told_apart_and_the_words_that_tell_are_named():
    metric = TextDetection(seed=1)
    breakdown = metric.compute_breakdown(texts(buyer, 150, 1), texts(advert, 150, 2))
    assert breakdown["raw"] >= 0.95 and metric.normalize(breakdown["raw"]) <= 0.1
    more = {w["word"]: w for w in breakdown["synthetic_uses_more"]}
    assert {"your", "you"} & set(more) and more.get("you", more.get("your"))["real"] == 0.0
    assert {"bought", "last", "month"} & {w["word"] for w in breakdown["synthetic_uses_fewer"]}
    assert breakdown["texts_per_side"] == 150


def test_two_draws_of_the_same_kind_of_text_are_not_told_apart():
    metric = TextDetection(seed=1)
    breakdown = metric.compute_breakdown(texts(buyer, 150, 1), texts(buyer, 150, 2))
    assert breakdown["raw"] <= 0.65 and metric.normalize(breakdown["raw"]) >= 0.7
    assert breakdown["synthetic_uses_more"] == [] or all(
        abs(w["synthetic"] - w["real"]) >= 0.05 for w in breakdown["synthetic_uses_more"])


def test_a_words_real_share_is_the_whole_real_tables_not_the_small_sample_the_classifier_reads():
    """Ten generated texts: the classifier reads ten real ones, but the shares a user is told are of every real
    text (a word in 37 of 100 real texts is not in "30%" or "40%" of them)."""
    real = [f"{text} Armageddon." if i < 37 else text for i, text in enumerate(texts(buyer, 100, 1))]
    breakdown = TextDetection(seed=1).compute_breakdown(real, texts(buyer, 10, 2))
    assert breakdown["texts_per_side"] == 10
    shares = {w["word"]: w["real"] for w in breakdown["synthetic_uses_fewer"]}
    assert shares["armageddon"] == 0.37  # a sample of ten real texts can only say 0.3 or 0.4


def test_too_few_texts_is_a_clear_error():
    with pytest.raises(MetricError, match=f"needs {MIN_TEXTS} texts on each side"):
        TextDetection().compute_breakdown(texts(buyer, 50, 1), texts(advert, MIN_TEXTS - 1, 2))


def test_drift_tells_texts_apart_without_sentence_embeddings_and_the_scorecard_says_how():
    real = pd.DataFrame({"rating": ["5", "1"] * 60, "text": texts(buyer, 120, 1)})
    synthetic = pd.DataFrame({"rating": ["5", "1"] * 30, "text": texts(advert, 60, 2)})
    profile = profile_table(Table(real, "tiny", "utf-8", ","))
    result = drift.measure(EvalContext(real=real, synthetic=synthetic, profile=profile, embedder=None))
    assert [m.metric for m in result.metrics] == ["text_detection"] and result.score <= 0.1
    assert any("far texts not measured" in note for note in result.notes)
    line, = detection_findings(result)
    assert "ROC AUC" in line and "they use more 'you" in line  # 'you' or 'your'


def test_a_column_with_too_few_texts_is_noted_not_measured():
    real = pd.DataFrame({"rating": ["5", "1"] * 60, "text": texts(buyer, 120, 1)})
    synthetic = pd.DataFrame({"rating": ["5"] * 3, "text": texts(advert, 3, 2)})
    profile = profile_table(Table(real, "tiny", "utf-8", ","))
    result = drift.measure(EvalContext(real=real, synthetic=synthetic, profile=profile, embedder=None))
    assert result.metrics == [] and result.score is None
    assert any("needs 10 texts on each side" in note for note in result.notes)


class _BagOfWords:
    """Unit vectors of hashed words: a stand-in for sentence embeddings, enough to rank texts by likeness."""

    def encode(self, values):
        import numpy as np

        vectors = np.zeros((len(values), 64))
        for row, text in enumerate(values):
            for word in str(text).lower().split():
                vectors[row, sum(map(ord, word)) % 64] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_far_texts_are_counted_out_of_every_long_text_column_measured():
    """A job posting has three long texts; the scorecard read "11 of 10 texts measured" on ten postings."""
    real = pd.DataFrame({"label": ["a", "b"] * 60, "body": texts(buyer, 120, 1), "notes": texts(buyer, 120, 3)})
    synthetic = pd.DataFrame({"label": ["a", "b"] * 5, "body": texts(advert, 10, 2), "notes": texts(advert, 10, 4)})
    profile = profile_table(Table(real, "tiny", "utf-8", ","))
    context = EvalContext(real=real, synthetic=synthetic, profile=profile, embedder=_BagOfWords(), topic="vitamins")
    assert len(context.long_text_columns) == 2
    result = drift.measure(context)
    assert result.details["texts_measured"]["synthetic"] == 20
    assert result.details["far_texts_count"] <= 20
