"""Rejection reasons are an enum whose values are the strings sidecars and the page always showed."""

from __future__ import annotations

import json
from collections import Counter

from syngen.generation.dedupe import DuplicateIndex
from syngen.generation.reasons import RejectReason


def test_reasons_count_and_print_as_their_strings():
    counted = Counter([RejectReason.CUT_TEXT, "cut_text", RejectReason.LABEL_MISMATCH.about("rating")])
    assert json.dumps(counted) == '{"cut_text": 2, "label_mismatch:rating": 1}'
    assert f"rejected: {RejectReason.WRONG_LENGTH}" == "rejected: wrong_length"


def test_a_copy_is_a_reason_and_a_copy_of_an_accepted_row_its_duplicate():
    index = DuplicateIndex()
    index.add("The capsules are easy to swallow and did help my sleep")
    exact = index.check("the capsules are easy to swallow and did help my sleep!")
    near = index.check("The capsules are easy to swallow and they did help my sleep")
    assert (exact, near) == (RejectReason.EXACT_COPY, RejectReason.NEAR_COPY)
    assert exact.duplicate() is RejectReason.DUPLICATE_EXACT_COPY and f"duplicate_{near}" == "duplicate_near_copy"
