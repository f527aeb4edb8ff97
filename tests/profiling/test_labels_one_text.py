"""A label check judging one row (generation's case) goes through OneText, not scikit-learn's predict_proba:
the same probabilities to rounding, so the same decisions, for two classes and for a scale of five."""

import numpy as np
import pandas as pd

from syngen.data.loader import Table
from syngen.profiling.infer import profile_table
from syngen.profiling.labels import LabelCheck, learn_label_checks

TONE = {1: ["awful", "broke at once", "waste of money"], 2: ["poor", "stopped working", "disappointing"],
        3: ["fine", "does the job", "nothing special"], 4: ["good", "works well", "happy with it"],
        5: ["excellent", "love it", "best purchase ever"]}
FILLER = ["the parcel came on a tuesday", "my neighbour asked about it", "it sits on the kitchen shelf",
          "bought two for the cabin", "the handle is green", "arrived in a plain box"]


def table(rows: int = 300) -> Table:
    rng = np.random.default_rng(4)
    stars = rng.integers(1, 6, size=rows)
    texts = [f"{rng.choice(FILLER)}, {rng.choice(TONE[s])} and {rng.choice(TONE[s])}. {rng.choice(FILLER)}."
             for s in stars]
    frame = pd.DataFrame({"comment": texts, "stars": stars.astype(str),
                          "keep": np.where(stars >= 4, "yes", "no")})
    return Table(frame=frame, source="hand.csv", encoding="utf-8", delimiter=",")


def predict_proba_margin(check: LabelCheck, text: str, value: str) -> float | None:
    """The margin as scikit-learn's predict_proba gives it (LabelCheck.probabilities)."""
    probability = check.probabilities([text], [value])[0]
    if probability is None:
        return None
    return float(np.log(max(probability, 1e-9) / check.thresholds[check.labeler.class_of(value)]))


def test_one_text_gives_predict_probas_margins_and_decisions():
    made = table()
    checks, _ = learn_label_checks(made.frame, profile_table(made), seed=0)
    assert {c.label for c in checks} == {"stars", "keep"}
    rng = np.random.default_rng(9)
    texts = made.frame["comment"].tolist()[:60] + ["", "zebra quokka", "love it, awful, fine.", "GOOD GOOD good"]
    texts += [" ".join(rng.choice(sum(TONE.values(), []) + FILLER, size=4)) for _ in range(60)]
    for check in checks:
        for text in texts:
            for value in ["1", "3", "5", "yes", "no", "7"]:
                fast, reference = check.margin(text, value), predict_proba_margin(check, text, value)
                assert (fast is None) == (reference is None)
                if fast is not None:
                    assert abs(fast - reference) < 1e-9 and (fast < 0) == (reference < 0)
