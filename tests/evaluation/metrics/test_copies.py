from syngen.evaluation.metrics.copies import CopiedValueShare, CopyShare, copy_matches

REAL = ["This vitamin gave me so much energy every morning", "Great product", "Tastes awful, would not buy"]


def test_exact_and_near_copies():
    synthetic = [
        "This vitamin gave me so much energy every morning",  # exact
        "This vitamin gave me so much energy every morning!!",  # exact: punctuation and case are not the text
        "this Vitamin gave me so much energy each morning",  # near: one word
        "Great product",  # too short to count as a copy
        "A completely different review about fish oil capsules",
    ]
    matches = copy_matches(REAL, synthetic)
    assert [(m["index"], m["kind"]) for m in matches] == [(0, "exact"), (1, "exact"), (2, "near")]
    assert matches[2]["real"] == "this vitamin gave me so much energy every morning" and matches[2]["score"] >= 90
    breakdown = CopyShare().compute_breakdown(REAL, synthetic)
    assert (breakdown["exact"], breakdown["near"], breakdown["raw"]) == (2, 1, 3 / 5)
    assert CopyShare("exact").compute(REAL, synthetic) == 2 / 5
    assert CopyShare().normalize(0.6) == 0.4
    assert CopyShare().compute(REAL, []) == 0.0


def test_copied_values():
    breakdown = CopiedValueShare().compute_breakdown(["A1", "A2", ""], ["A1", "B7", "", "A2"])
    assert breakdown == {"raw": 2 / 3, "count": 2}


def test_near_copies_among_many_real_texts():
    real = [f"review number {i} about the fish oil capsules" for i in range(40)]
    synthetic = ([f"review number {i} about the fish oil capsule" for i in range(20)]  # near copies
                 + [f"my dog {i} prefers the beef flavoured chews" for i in range(20)])  # not copies
    matches = copy_matches(real, synthetic)
    assert [m["index"] for m in matches] == list(range(20)) and {m["kind"] for m in matches} == {"near"}


def test_own_words_share_counts_texts_holding_two_words_only_one_real_text_uses():
    from syngen.evaluation.metrics.copies import OwnWordsShare

    real = ["After using Prilosec for years due to a hiatal hernia, I switched.", "Fish oil works for me.",
            "Fish oil for my knees, works."]
    synthetic = ["My hiatal hernia is gone since I switched.", "Prilosec is gone, fish oil works.", "Works for me."]
    breakdown = OwnWordsShare().compute_breakdown(real, synthetic)
    assert breakdown["count"] == 1 and breakdown["raw"] == 1 / 3
    assert breakdown["examples"][0]["real"] == real[0]
    assert breakdown["examples"][0]["words"] == ["hernia", "hiatal", "switched"]
