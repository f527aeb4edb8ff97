import pytest

from syngen.data import load_table, read_table_bytes
from syngen.errors import DataError


def test_real_file_reads_every_row_as_written(reviews_path):
    table = load_table(reviews_path)
    assert len(table.frame) == 1308
    assert table.columns[:3] == ["rating", "title", "text"]
    assert table.delimiter == "," and table.encoding == "utf-8"
    # Values stay strings exactly as in the file: no float ratings, no NaN for blanks.
    assert table.frame["rating"].iloc[0] == "4"
    assert table.frame["verified_purchase"].iloc[0] == "True"


def test_tab_separated_and_semicolon_files_are_sniffed():
    tsv = read_table_bytes(b"label\ttext\npos\tI liked it a lot\nneg\tNot for me, sadly\n")
    assert tsv.delimiter == "\t" and tsv.frame["text"].iloc[1] == "Not for me, sadly"
    semi = read_table_bytes(b"a;b\n1;x y\n2;z w\n")
    assert semi.delimiter == ";" and list(semi.frame.columns) == ["a", "b"]


def test_quoted_fields_spanning_lines_stay_one_value():
    table = read_table_bytes(b'id,text\n1,"first line\nsecond line"\n2,plain\n')
    assert len(table.frame) == 2
    assert table.frame["text"].iloc[0] == "first line\nsecond line"


def test_encodings_bom_utf16_latin1_and_crlf():
    assert read_table_bytes("\ufeffa,b\r\n1,é\r\n".encode()).frame.columns[0] == "a"
    utf16 = read_table_bytes("a,b\n1,ünïcode\n".encode("utf-16"))
    assert utf16.frame["b"].iloc[0] == "ünïcode" and utf16.encoding == "utf-16"
    latin = read_table_bytes("a,b\n1,café crème\n".encode("latin-1"))
    assert latin.frame["b"].iloc[0] == "café crème" and latin.notes


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "is empty"),
        (b"a,b\n", "no data rows"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"a,b\n1,2,3,4\n5,6\n", "not a well-formed table"),
        (b"a,a\n1,2\n", "duplicate column names"),
    ],
)
def test_bad_tables_raise_one_clear_error(raw, fragment):
    with pytest.raises(DataError) as caught:
        read_table_bytes(raw, source="bad.csv")
    assert fragment in caught.value.one_line()
    assert "\n" not in caught.value.one_line()


def test_missing_file_names_the_fix(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_table(tmp_path / "nope.csv")


def test_large_files_are_read_up_to_the_stated_limit():
    raw = b"n,text\n" + b"".join(b"%d,row number %d\n" % (i, i) for i in range(50))
    table = read_table_bytes(raw, max_rows=20)
    assert len(table.frame) == 20 and table.truncated
    assert "first 20 rows" in table.notes[-1]


def test_huge_files_are_read_only_up_to_the_byte_limit(tmp_path):
    path = tmp_path / "big.csv"
    body = "".join(f'{i},"review {i}\nspans two lines"\n' for i in range(3000))
    path.write_text("n,text\n" + body)
    table = load_table(path, max_bytes=10_000)
    assert table.truncated and 0 < len(table.frame) < 3000
    assert table.frame["text"].iloc[-1].endswith("spans two lines")  # the cut record was dropped, not garbled
    assert "larger than" in table.notes[-1]


def test_semicolon_file_with_a_quoted_semicolon_and_quoted_words_inside():
    # csv.Sniffer alone reads 'a','b' as comma-quoting and picks "," (the header then has one field).
    raw = b"id;text;grade\n1;\"tags: 'a','b','c'; done\";4,5\n2;plain;3,0\n"
    table = read_table_bytes(raw, source="semi.csv")
    assert table.delimiter == ";" and list(table.frame.columns) == ["id", "text", "grade"]
    assert table.frame["text"].iloc[0] == "tags: 'a','b','c'; done"
    assert table.frame["grade"].tolist() == ["4,5", "3,0"]


def test_comma_file_whose_texts_hold_semicolons_stays_comma():
    raw = b'a,b\n1,"x;y;z"\n2,"p;q"\n3,r\n'
    table = read_table_bytes(raw)
    assert table.delimiter == "," and table.frame["b"].tolist() == ["x;y;z", "p;q", "r"]


def test_json_lines_are_refused_with_how_to_export_them():
    with pytest.raises(DataError, match="holds JSON, not a delimited table"):
        read_table_bytes(b'{"text": "good", "label": 1}\n{"text": "bad", "label": 0}\n', source="rows.jsonl")
    with pytest.raises(DataError, match="holds JSON"):
        read_table_bytes(b'[{"text": "good", "label": 1}]', source="rows.json")
    assert read_table_bytes(b"{a},text\n1,words here\n").columns == ["{a}", "text"]  # a header, not JSON
