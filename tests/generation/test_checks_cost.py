"""What a row's checks cost: each label check's classifier runs once per row, though both the mismatch check
and the best-of-K agreement ask for its margin (a classifier call was a third of the driver's time a row)."""

from dataclasses import dataclass, field

import pytest

from syngen.generation.checks import ContentChecks, Rejected


@dataclass
class CountingCheck:
    label: str = "rating"
    column: str = "rating"
    text: str = "text"
    calls: list[tuple[str, str]] = field(default_factory=list)

    def describe_value(self, value: str) -> str:
        return f"rating = {value}"

    def margin(self, text: str, value: str) -> float:
        self.calls.append((text, value))
        return 1.0 if value == "5" else -1.0


def test_each_label_check_runs_once_per_row():
    check = CountingCheck()
    checks = ContentChecks(shapes={}, labels=[check])
    row = {"text": "Lovely capsules, no taste at all.", "rating": "5"}
    checks.mismatch(row, ["text"])
    assert checks.agreement(row, ["text"]) == 1.0
    assert check.calls == [(row["text"], "5")]


def test_another_value_is_judged_anew():
    check = CountingCheck()
    checks = ContentChecks(shapes={}, labels=[check])
    checks.mismatch({"text": "Lovely capsules.", "rating": "5"}, ["text"])
    with pytest.raises(Rejected):
        checks.mismatch({"text": "Lovely capsules.", "rating": "1"}, ["text"])
    assert len(check.calls) == 2
