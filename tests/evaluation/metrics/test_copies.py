from syngen.evaluation.metrics.copies import CopiedValueShare, CopyShare, copy_matches

REAL = ["This vitamin gave me so much energy every morning", "Great product", "Tastes awful, would not buy"]


def test_exact_and_near_copies():
    synthetic = [
        "This vitamin gave me so much energy every morning",  # exact
        "This vitamin gave me so much energy every morning!!",  # near: punctuation only
        "this Vitamin gave me so much energy each morning",  # near: one word
        "Great product",  # too short to count as a copy
        "A completely different review about fish oil capsules",
    ]
    matches = copy_matches(REAL, synthetic)
    assert [(m["index"], m["kind"]) for m in matches] == [(0, "exact"), (1, "near"), (2, "near")]
    breakdown = CopyShare().compute_breakdown(REAL, synthetic)
    assert (breakdown["exact"], breakdown["near"], breakdown["raw"]) == (1, 2, 3 / 5)
    assert CopyShare("exact").compute(REAL, synthetic) == 1 / 5
    assert CopyShare().normalize(0.6) == 0.4
    assert CopyShare().compute(REAL, []) == 0.0


def test_copied_values():
    breakdown = CopiedValueShare().compute_breakdown(["A1", "A2", ""], ["A1", "B7", "", "A2"])
    assert breakdown == {"raw": 2 / 3, "count": 2}


def test_near_copies_are_found_a_block_of_rows_at_a_time(monkeypatch):
    from rapidfuzz import process

    from syngen.evaluation.metrics import base

    real = [f"review number {i} about the fish oil capsules" for i in range(40)]
    synthetic = ([f"review number {i} about the fish oil capsule" for i in range(20)]  # near copies
                 + [f"my dog {i} prefers the beef flavoured chews" for i in range(20)])  # not copies
    whole = copy_matches(real, synthetic)
    shapes = []
    cdist = process.cdist

    def counted(queries, choices, **kwargs):
        shapes.append((len(queries), len(choices)))
        return cdist(queries, choices, **kwargs)

    monkeypatch.setattr(process, "cdist", counted)
    monkeypatch.setattr(base, "MAX_CELLS", 100)  # at most 2 rows of 40 real texts
    assert copy_matches(real, synthetic) == whole and len(whole) == 20
    assert len(shapes) == 20 and all(rows * columns <= 100 for rows, columns in shapes)
