from syngen.profiling.conformance import row_problems, value_conforms


def test_real_rows_conform_and_generic_ids_do_not(real_profile):
    table, _, profile = real_profile
    for row in table.frame.head(50).to_dict("records"):
        assert row_problems(profile, row) == []
    user_id = profile.column("user_id")
    assert not value_conforms(user_id, "A123456789")  # the study's generic id: wrong length and alphabet
    assert not value_conforms(profile.column("parent_asin"), "B00012XXXX")  # not in the catalogue
    assert not value_conforms(profile.column("rating"), "4.5")


def test_derived_columns_must_agree_with_their_source(real_profile):
    table, _, profile = real_profile
    row = dict(table.frame.iloc[0])
    row["date"] = "1999-01-01"
    assert row_problems(profile, row) == ["date"]
