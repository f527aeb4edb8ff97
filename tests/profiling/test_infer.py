import random

import pandas as pd
import pytest

from syngen.data import read_table_bytes
from syngen.errors import DataError
from syngen.profiling import ColumnKind, DatasetProfile, profile_table


def test_review_schema_kinds_are_learned_from_values(real_profile):
    _, catalogue, profile = real_profile
    kinds = {c.name: c.kind for c in profile.columns}
    assert kinds == {
        "rating": ColumnKind.CATEGORICAL, "title": ColumnKind.TEXT, "text": ColumnKind.TEXT,
        "asin": ColumnKind.CATEGORICAL, "parent_asin": ColumnKind.FOREIGN_KEY, "user_id": ColumnKind.IDENTIFIER,
        "timestamp": ColumnKind.DATETIME, "helpful_vote": ColumnKind.CATEGORICAL,
        "verified_purchase": ColumnKind.BOOLEAN, "date": ColumnKind.DERIVED, "time": ColumnKind.DERIVED,
    }
    assert profile.column("date").stats.format == "%Y-%m-%d"
    time = profile.column("time").stats
    assert (time.source, time.format) == ("timestamp", "%H:%M")
    assert profile.column("user_id").stats.prefix == "A"
    assert profile.column("user_id").stats.lengths == {"28": 1308}
    assert profile.topic == "Vitamins & Supplements"
    assert catalogue.key_column == "parent_asin" and catalogue.title_column == "title"


def test_both_timestamp_formats_are_kept_with_their_shares(real_profile):
    stats = real_profile[2].column("timestamp").stats
    assert stats.formats == pytest.approx({"%Y-%m-%d %H:%M:%S.%f": 942 / 1308, "%Y-%m-%d %H:%M:%S": 366 / 1308})
    assert stats.fraction_digits == 3


def test_asin_follows_parent_asin_through_a_dependency(real_profile):
    dependency = real_profile[2].dependency_of("parent_asin") or real_profile[2].dependency_of("asin")
    assert dependency is not None and dependency.strength > 0.9


def test_two_column_text_label_file():
    raw = b"text,label\n" + b"".join(
        b"this is sentence number %d about something,%s\n" % (i, b"pos" if i % 3 else b"neg") for i in range(40)
    )
    profile = profile_table(read_table_bytes(raw, source="labels.csv"))
    assert [c.kind for c in profile.columns] == [ColumnKind.TEXT, ColumnKind.CATEGORICAL]
    assert profile.topic == "labels"


def test_the_topic_from_a_file_name_leaves_out_its_split_version_and_state():
    """Named "train.csv", a table's every prompt asked for "one new entry about train"."""
    raw = b"text,label\n" + b"".join(b"sentence number %d about tea,%s\n" % (i, b"pos" if i % 3 else b"neg")
                                      for i in range(40))
    topics = {name: profile_table(read_table_bytes(raw, source=f"/data/{name}")).topic
              for name in ("train.csv", "data_2024_11.csv", "<upload>", "wine_reviews_v2.csv", "imdb-test.csv")}
    assert topics == {"train.csv": "the data", "data_2024_11.csv": "the data", "<upload>": "the data",
                      "wine_reviews_v2.csv": "wine reviews", "imdb-test.csv": "imdb"}


def test_wide_file_with_ids_times_categories_numbers_and_multiline_text():
    header = b"id,created,updated_day,team,score,ratio,flag,body,note,code,empty,count,city,zip,tag\n"
    rows = b"".join(
        b'%d,2021-03-%02d 10:%02d:00,2021-03-%02d,%s,%d,%.3f,%s,"line one of %d\nline two, with comma",'
        b"note %d here and there,C%05d,,%d,%s,%05d,t%d\n"
        % (1000 + i, 1 + i % 28, i % 60, 1 + i % 28, [b"red", b"blue"][i % 2], i % 7, i / 37, [b"yes", b"no"][i % 2],
           i, i, i * 7, i * 13, [b"Paris", b"Oslo", b"Lima"][i % 3], 10000 + i * 17, i % 4)
        for i in range(60)
    )
    profile = profile_table(read_table_bytes(header + rows, source="wide.csv"))
    kinds = {c.name: c.kind for c in profile.columns}
    assert kinds["id"] is ColumnKind.IDENTIFIER
    assert kinds["created"] is ColumnKind.DATETIME
    assert kinds["updated_day"] is ColumnKind.DERIVED
    assert kinds["team"] is ColumnKind.CATEGORICAL and kinds["flag"] is ColumnKind.BOOLEAN
    assert kinds["ratio"] is ColumnKind.FLOAT
    assert kinds["body"] is ColumnKind.TEXT and kinds["empty"] is ColumnKind.EMPTY


def test_user_can_override_a_kind():
    raw = b"code,text\n" + b"".join(b"K%d,some words number %d\n" % (i % 5, i) for i in range(30))
    table = read_table_bytes(raw)
    assert profile_table(table).column("code").kind is ColumnKind.CATEGORICAL
    forced = profile_table(table, overrides={"code": ColumnKind.TEXT})
    assert forced.column("code").kind is ColumnKind.TEXT


def test_table_without_text_is_refused_with_a_fix():
    raw = b"a,b\n" + b"".join(b"%d,%d\n" % (i, i * 2) for i in range(30))
    with pytest.raises(DataError, match="no free-text column"):
        profile_table(read_table_bytes(raw, source="numbers.csv"))


def test_ids_mangled_by_a_spreadsheet_are_reported():
    raw = b"id,text\n" + b"".join(b"1.23457E+%d,words of review %d here\n" % (10 + i % 3, i) for i in range(30))
    profile = profile_table(read_table_bytes(raw, source="mangled.csv"))
    assert any("scientific notation" in note and "'id'" in note for note in profile.notes)


def _with_text(header: bytes, values: list[bytes]) -> DatasetProfile:
    rows = b"".join(b"%s,words of review %d here\n" % (v, i) for i, v in enumerate(values))
    return profile_table(read_table_bytes(header + b",text\n" + rows, source="rows.csv"))


def test_row_numbers_are_a_count_new_rows_continue():
    shuffled = [b"%d" % i for i in random.Random(0).sample(range(1, 41), 40)]
    counter = _with_text(b"Id", shuffled).column("Id")
    assert counter.kind is ColumnKind.IDENTIFIER
    assert (counter.stats.counter.first, counter.stats.counter.last, counter.stats.counter.step) == (1, 40, 1)
    assert counter.stats.counter.value(0) == "41"
    index = _with_text(b"", [b"%d" % i for i in range(30)]).columns[0]  # a pandas index written without a name
    assert index.kind is ColumnKind.IDENTIFIER and index.stats.counter.value(2) == "32"
    padded = _with_text(b"order_no", [b"%05d" % (100 + 10 * i) for i in range(30)]).column("order_no")
    assert padded.stats.counter.value(0) == "00400" and padded.stats.counter.step == 10


def test_distinct_numbers_are_a_count_only_in_even_steps_or_under_an_id_name():
    spread = random.Random(1)  # 2 to 6 digits: not the ids of one length that are identifiers anyway
    uneven = [b"%d" % n for n in {int(10 ** spread.uniform(1.2, 6)) for _ in range(60)}][:40]
    assert _with_text(b"order_id", uneven).column("order_id").kind is ColumnKind.IDENTIFIER
    assert _with_text(b"UserId", uneven).column("UserId").kind is ColumnKind.IDENTIFIER
    for name in (b"price_cents", b"paid", b"valid"):
        assert _with_text(name, uneven).column(name.decode()).kind is ColumnKind.INTEGER, name
    repeated = [b"%d" % (i % 30) for i in range(40)]
    assert _with_text(b"id", repeated).column("id").kind is not ColumnKind.IDENTIFIER


def test_names_the_table_reuses_are_drawn_not_written():
    """A maintainer column: 80% of rows hold a team that other rows hold too; the rest are people named once."""
    teams = [f"Debian {t} Team <team+{t.lower()}@tracker.debian.org>" for t in ("Python", "Perl", "Go", "Rust")]
    people = [f"Person{i} Surname{i} <p{i}@debian.org>" for i in range(30)]
    values = [teams[i % 4] for i in range(120)] + people
    raw = b"maintainer,summary\n" + b"".join(
        f"{v},tool number {i} that converts files between {i % 7} formats\n".encode() for i, v in enumerate(values))
    profile = profile_table(read_table_bytes(raw, source="packages.csv"))
    assert profile.column("maintainer").kind is ColumnKind.CATEGORICAL
    assert profile.column("summary").kind is ColumnKind.TEXT


def test_codes_counting_after_a_fixed_prefix_are_a_count_new_rows_continue():
    """MV-00000 ... MV-00239 (a movie-review export's ids): drawn as codes, every new one of their shape was a
    real one, and the run stopped on a traceback."""
    shuffled = [b"MV-%05d" % i for i in random.Random(2).sample(range(240), 240)]
    counter = _with_text(b"review_id", shuffled).column("review_id").stats.counter
    assert counter is not None and counter.prefix == "MV-" and counter.width == 5
    assert [counter.value(p) for p in (0, 1)] == ["MV-00240", "MV-00241"]
    assert counter.written_like("MV-01000") and not counter.written_like("MV00240")
    words = _with_text(b"label", [b"some words number %d" % i for i in range(30)]).column("label")
    assert words.kind is not ColumnKind.IDENTIFIER  # words before a number make a text, not an id
    negative = _with_text(b"id", [b"-%d" % i for i in range(1, 41)]).column("id")
    assert negative.stats.counter is None  # a sign is no prefix: -41 would not continue -1 ... -40


def test_codes_that_fill_their_shape_stop_with_a_one_line_error():
    from syngen.sampling import RowPlanner

    codes = [b"X7-%c%d" % (letter, digit) for letter in b"ABCDEFGHIJ" for digit in range(10)]
    profile = _with_text(b"code", random.Random(3).sample(codes, 100))
    assert profile.column("code").kind is ColumnKind.IDENTIFIER, profile.column("code").kind
    with pytest.raises(DataError, match="'code'.*no new unique id") as error:
        [RowPlanner(profile, None, 0).skeleton(position) for position in range(20)]
    assert "\n" not in str(error.value)


def test_codes_of_one_length_keep_each_places_characters():
    """L12345, SKU48213: drawn from one alphabet after the common prefix (which keeps six characters free), the
    new ids were "7187L5" and "SK4U8K21", and the format check passed them."""
    from syngen.evaluation.formats import build_checks
    from syngen.sampling import RowPlanner

    rng = random.Random(4)
    for header, make in ((b"learner", lambda: b"L%05d" % rng.randrange(10**5)),
                         (b"sku", lambda: b"SKU%05d" % rng.randrange(10**5))):
        profile = _with_text(header, list(dict.fromkeys(make() for _ in range(300))))
        name = header.decode()
        planner = RowPlanner(profile, None, 0)
        made = pd.DataFrame([planner.skeleton(position).values for position in range(100)])
        prefix = "L" if name == "learner" else "SKU"
        assert made[name].str.fullmatch(prefix + r"\d{5}").all(), made[name].head().tolist()
        check = build_checks(profile)[name]
        wrong = pd.DataFrame({name: ["7187L5" if name == "learner" else "SK4U8K21"], "text": ["words"]})
        assert check(made).all() and not check(wrong).any()


def test_a_count_with_uneven_gaps_is_described_as_such():
    """Help-desk ticket numbers 2 to 12 apart (INC0012345, ...): the profile said "in steps of 7", the commonest gap
    among many."""
    from syngen.profiling.describe import column_format

    gaps = random.Random(3)
    numbers, number = [], 12345
    for _ in range(60):
        number += gaps.randint(2, 12)
        numbers.append(b"INC%07d" % number)
    column = _with_text(b"ticket_id", numbers).column("ticket_id")
    assert column.stats.counter is not None and not column.stats.counter.even
    assert "in uneven steps (most often" in column_format(column)
