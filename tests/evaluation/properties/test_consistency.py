"""The consistency property on small hand-made tables: agreement between text and label, prompt fragments and
cut texts, each against the real rows' own figures."""

import numpy as np
import pandas as pd
import pytest

from syngen.data.loader import Table
from syngen.evaluation.context import EvalContext
from syngen.evaluation.metrics.consistency import ExcessShare, LabelAgreement
from syngen.evaluation.properties import consistency
from syngen.profiling import profile_table

GOOD = ["love it", "works great", "excellent value", "really happy", "best purchase", "great taste"]
BAD = ["broke quickly", "awful taste", "waste of money", "very disappointed", "made me sick", "terrible quality"]
FILLER = ["The bottle came on time", "I take it in the morning", "My sister uses it too", "Bought it last month"]


def _rows(count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = rng.choice(["positive", "negative"], size=count)
    texts = [f"{rng.choice(FILLER)} and it is {rng.choice(GOOD if label == 'positive' else BAD)}. "
             f"{rng.choice(FILLER)}." for label in labels]
    return pd.DataFrame({"label": labels, "review": texts})


REAL = _rows(120, 0)


@pytest.fixture(scope="module")
def profile():
    return profile_table(Table(REAL, "tiny", "utf-8", ","))


def _measure(profile, synthetic: pd.DataFrame):
    return consistency.measure(EvalContext(real=REAL, synthetic=synthetic, profile=profile, embedder=None))


def test_text_that_agrees_with_its_labels_scores_as_real(profile):
    result = _measure(profile, _rows(40, 1))
    agreement = [m for m in result.metrics if m.metric == "label_agreement:label"]
    assert len(agreement) == 1 and agreement[0].score == pytest.approx(1.0)
    assert result.score == pytest.approx(1.0)


def test_labels_shuffled_against_their_text_score_near_zero(profile):
    synthetic = _rows(200, 2)
    synthetic["label"] = np.random.default_rng(3).permutation(synthetic["label"].to_numpy())
    agreement = next(m for m in _measure(profile, synthetic).metrics if m.metric == "label_agreement:label")
    assert agreement.raw == pytest.approx(0.5, abs=0.1) and agreement.score < 0.2


def test_fragments_and_cut_texts_are_counted(profile):
    synthetic = _rows(20, 4)
    synthetic.loc[:1, "review"] = "{{#1}} This entry: " + synthetic.loc[:1, "review"]
    synthetic.loc[2:4, "review"] = "I take it in the morning and it is"
    result = _measure(profile, synthetic)
    means = {m.metric: m for m in result.metrics}
    assert means["prompt_fragment_share"].raw == pytest.approx(0.1)
    assert means["cut_text_share"].raw == pytest.approx(0.15)
    assert len(result.details["fragment_examples"]) == 2 and len(result.details["cut_examples"]) == 3
    assert result.score < 1.0


def test_metrics_by_hand():
    agreement = LabelAgreement(chance=0.5, real_accuracy=0.9)
    assert agreement.compute(None, (["a", "a", "b", "b"], ["a", "a", "b", "a"])) == pytest.approx(0.75)
    assert agreement.normalize(0.75) == pytest.approx(0.625)
    assert agreement.normalize(0.95) == 1.0 and agreement.normalize(0.4) == 0.0
    excess = ExcessShare("cut_text_share", real_share=0.02)
    assert excess.compute(None, [True, False, False, False]) == 0.25
    assert excess.normalize(0.12) == pytest.approx(0.5) and excess.normalize(0.01) == 1.0


def test_a_multi_label_column_is_measured_label_by_label():
    """Tags agree with their ticket texts on fresh rows of the same kind; texts whose tags were dealt to other
    rows agree no better than chance, and each label says so under its own name."""
    from tests.tables.tagged import PHRASES, tickets

    real = tickets(rows=240, seed=0)
    tagged = profile_table(Table(real.astype(str), "tickets", "utf-8", ","))

    def measured(synthetic: pd.DataFrame) -> dict[str, float]:
        result = consistency.measure(EvalContext(real=real, synthetic=synthetic, profile=tagged, embedder=None))
        return {m.metric: m.raw for m in result.metrics if m.metric.startswith("label_agreement:")}

    fresh = tickets(rows=120, seed=1)
    assert set(measured(fresh)) == {f"label_agreement:tags={label}" for label in PHRASES}
    assert min(measured(fresh).values()) > 0.9
    fresh["tags"] = np.random.default_rng(2).permutation(fresh["tags"].to_numpy())
    assert max(measured(fresh).values()) < 0.7


def test_texts_naming_another_value_of_a_named_column_are_counted(tmp_path):
    """A wine's variety, named by the real descriptions: a synthetic row whose text names another is counted,
    shown, and costs score; one naming its own or none is not."""
    from syngen.evaluation.scorecard import consistency_findings
    from tests.tables.wines import names_half, wines

    real = pd.read_csv(wines(tmp_path, names_half), dtype=str, keep_default_na=False)
    profile = profile_table(Table(real, "wine", "utf-8", ","))
    synthetic = real.sample(n=20, random_state=1).reset_index(drop=True)
    synthetic.loc[:3, "description"] = [f"This {'Merlot' if v != 'Merlot' else 'Syrah'} shows plum."
                                        for v in synthetic.loc[:3, "variety"]]
    result = consistency.measure(EvalContext(real=real, synthetic=synthetic, profile=profile, embedder=None))
    named = next(m for m in result.metrics if m.metric == "other_value_named")
    assert named.column == "variety" and named.raw == pytest.approx(0.2) and named.score < 0.5
    assert len(result.details["named_examples"]) == 4 and "shows plum" in result.details["named_examples"][0]
    assert any("4 rows' texts name another variety" in line for line in consistency_findings(result))


def test_the_scorecard_says_which_labels_were_not_measured_and_which_values_were_absent():
    """A 10-row run held ratings 3 to 5 only, and three labels of 5-6 positive rows had no check: the scorecard read
    agreement 0.83 and consistency 1.00 without a word on either."""
    from syngen.evaluation.results import MetricResult, PropertyResult
    from syngen.evaluation.scorecard import consistency_findings

    checks = [{"label": "score", "text": "content", "checked": True, "balanced_accuracy": 0.58,
               "classes": ["1", "2", "3", "4", "5"], "reason": ""},
              {"label": "threat", "text": "comment", "checked": False, "balanced_accuracy": None,
               "reason": "fewer than two values with 8+ rows"},
              {"label": "colour", "text": "content", "checked": False, "balanced_accuracy": 0.21,
               "reason": "the real text does not predict it better than chance"}]
    agreement = MetricResult("label_agreement:score", "content", 0.83, 1.0,
                             {"real": 0.58, "chance": 0.2, "classes_present": 3})
    lines = consistency_findings(PropertyResult("consistency", [agreement], details={"label_checks": checks}))
    assert lines[0].endswith("over 3 of the 5 values the real rows hold")
    assert lines[-1] == "consistency: not measured: threat from comment (fewer than two values with 8+ rows)"
