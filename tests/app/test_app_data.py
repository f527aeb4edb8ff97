"""The data part of the page: demo data, uploads (good and bad), the profile and kind corrections."""

from __future__ import annotations

import pytest

from tests.app.conftest import new_app, page_has, texts, use_upload

REVIEW_HEADER = b"rating,title,text,date\n"
SMALL_REVIEWS = REVIEW_HEADER + b"".join(
    f'{1 + i % 5},Title {i},"Review number {i}, about the capsules and how I slept after taking them",'
    f"2021-03-{1 + i % 28:02d}\n".encode()
    for i in range(30)
)


def _profile(app) -> dict[str, str]:
    frame = app.dataframe[0].value  # the profile is the page's first table
    return dict(zip(frame["column"], frame["kind"], strict=True))


def test_demo_data_is_profiled_on_first_view():
    app = new_app()
    assert app.subheader[0].value == "Profile of reviews.csv"
    kinds = _profile(app)
    assert kinds["text"] == "text" and kinds["parent_asin"] == "foreign_key" and kinds["date"] == "derived"
    assert app.text_input(key="topic::demo").value == "Vitamins & Supplements"
    assert not app.button(key="generate").disabled


def test_uploaded_reviews_with_catalogue(reviews_path, products_path):
    app = use_upload(new_app(), "reviews_supplements.csv", reviews_path.read_bytes())
    assert app.subheader[0].value == "Profile of reviews_supplements.csv"
    assert page_has(app, "1,308 rows") and page_has(app, "11 columns")
    assert _profile(app)["parent_asin"] == "categorical"  # no catalogue yet
    app.file_uploader(key="upload_catalogue").set_value(("product_asin.csv", products_path.read_bytes(), "text/csv"))
    app.run()
    assert _profile(app)["parent_asin"] == "foreign_key"
    assert page_has(app, "catalogue product_asin.csv (key column parent_asin)")
    digest = app.session_state["data"].digest
    assert app.text_input(key=f"topic::{digest}").value == "Vitamins & Supplements"


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("blank.csv", b"  \n\n ", "blank.csv is empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file"),
        ("utf16.csv", b"\xff\xfe" + b"a\x00,\x00b\x00\n\x00\x00\xd8", "not valid UTF-16"),
        ("header.csv", b"rating,title,text\n", "has a header but no data rows"),
        ("numbers.csv", b"a,b\n" + b"".join(f"{i},{i * 2}\n".encode() for i in range(20)), "no free-text column"),
        ("ragged.csv", b'a,b\n1,2\n3,4,5,6\n"x,y\n', "not a well-formed table"),
    ],
)
def test_bad_upload_shows_a_message_and_the_app_keeps_working(name, raw, message):
    app = use_upload(new_app(), name, raw)
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and message in errors[0] and errors[0].startswith("The file could not be used")
    assert app.button(key="generate").disabled
    assert page_has(app, "Choose the demo data or upload a table first")
    # A good file afterwards replaces the message and the page works as before.
    use_upload(app, "reviews.csv", SMALL_REVIEWS)
    assert not app.error and app.subheader[0].value == "Profile of reviews.csv"
    assert not app.button(key="generate").disabled


def test_too_large_upload_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setenv("SYNGEN_APP_MAX_UPLOAD_MB", "0.001")  # about 1 KB
    app = use_upload(new_app(), "big.csv", SMALL_REVIEWS * 2)
    assert "more than the app's limit of 0.001 MB" in app.error[0].value
    assert "syngen generate --data" in app.error[0].value
    assert "data" not in app.session_state


def test_windows_encoded_file_is_read_with_a_note():
    rows = "".join(f'5,Très bon,"Café crème number {i}, I sleep better since taking it",2021-01-0{i}\n'
                   for i in range(1, 6))
    raw = (REVIEW_HEADER.decode() + rows).encode("cp1252")
    app = use_upload(new_app(), "reviews.csv", raw)
    assert not app.error
    assert any("read as cp1252 (not UTF-8)" in w.value for w in app.warning)
    assert "Café crème number 1" in app.session_state["data"].table.frame["text"].iloc[0]


def test_upload_name_is_only_a_label(tmp_path):
    app = use_upload(new_app(), "../../etc/<evil>name.csv", SMALL_REVIEWS)
    assert app.subheader[0].value == "Profile of evil_name.csv"


def test_correcting_a_column_kind_changes_the_profile():
    app = use_upload(new_app(), "reviews.csv", SMALL_REVIEWS)
    digest = app.session_state["data"].digest
    assert _profile(app)["rating"] == "categorical"
    app.selectbox(key=f"kind::{digest}::rating").set_value(_kind("integer")).run()
    assert _profile(app)["rating"] == "integer" and not app.error
    assert app.session_state["overrides"] == {"rating": _kind("integer")}
    # Back to the inferred kind: no correction is kept.
    app.selectbox(key=f"kind::{digest}::rating").set_value(_kind("categorical")).run()
    assert _profile(app)["rating"] == "categorical" and app.session_state["overrides"] == {}


def test_an_impossible_kind_is_refused_on_the_column():
    app = use_upload(new_app(), "reviews.csv", SMALL_REVIEWS)
    digest = app.session_state["data"].digest
    app.selectbox(key=f"kind::{digest}::text").set_value(_kind("datetime")).run()
    assert any("'text' cannot be treated as datetime" in e.value for e in app.error), texts(app)
    assert _profile(app)["text"] == "text"
    assert app.selectbox(key=f"kind::{digest}::text").value == _kind("text")
    # The only text column cannot stop being text: the message names the problem.
    app.selectbox(key=f"kind::{digest}::text").set_value(_kind("categorical")).run()
    assert any("no free-text column" in e.value for e in app.error), texts(app)
    assert _profile(app)["text"] == "text"
    assert not app.button(key="generate").disabled


def test_short_texts_are_taken_as_text_with_a_note_the_user_can_change():
    raw = b"label,comment\n" + b"".join(f"{'pos' if i % 2 else 'neg'},nice {i}\n".encode() for i in range(12))
    app = use_upload(new_app(), "short.csv", raw)
    assert not app.error
    assert _profile(app)["comment"] == "text"
    assert any("'comment' is taken as the text the model writes" in w.value for w in app.warning)
    digest = app.session_state["data"].digest
    app.selectbox(key=f"kind::{digest}::label").set_value(_kind("text")).run()
    assert _profile(app) == {"label": "text", "comment": "text"} and not app.error


def test_kinds_needing_a_catalogue_or_inference_are_not_offered():
    app = use_upload(new_app(), "reviews.csv", SMALL_REVIEWS)
    digest = app.session_state["data"].digest
    options = app.selectbox(key=f"kind::{digest}::rating").options
    assert "foreign_key" not in options and "derived" not in options and "empty" not in options
    assert "categorical (inferred)" in options and "integer" in options


def _kind(name: str):
    from syngen.profiling import ColumnKind

    return ColumnKind(name)
