"""The bad-input matrix of the hardening issue, through the CLI entry point as a user meets it.

Each case either works (correct handling) or exits non-zero with one line naming the problem and the fix,
with no traceback and no output written or overwritten. The model is a schema-filling stand-in here: what
is tested is the handling of the input, not the model.
"""

import json
from pathlib import Path

import pytest

from syngen.backends import registry
from syngen.cli.main import main
from syngen.data import load_table
from syngen.output.writer import output_encoding
from tests.hardening.tables import reviews_csv, sentence

REVIEWS = reviews_csv(30)


@pytest.fixture(autouse=True)
def scripted_backend(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")


def run(capsys, tmp_path: Path, data: Path, *extra: str, out: Path | None = None) -> tuple[int, str, str, Path]:
    out = out or tmp_path / "out" / "rows.csv"
    code = main(["generate", "--data", str(data), "--model", "scripted", "--num-samples", "2", "--quiet",
                 "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


def write(tmp_path: Path, content: bytes | str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


FAILING = {
    "empty file": (b"", "is empty"),
    "header only": (b"stars,review\n", "no data rows"),
    "one numeric column": (b"n\n1\n2\n3\n", "no free-text column"),
    "no text-like column": (b"a,b\n" + b"".join(b"%d,%d\n" % (i, i % 3) for i in range(40)), "no free-text column"),
    "binary renamed .csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    "ragged rows": (b"a,b\n1,two words\n2,three,extra,fields\n", "record 3 has 4 fields"),
    "duplicate column names": (b"text,text\nsome words,other words\n", "duplicate column names"),
    "no header (one line)": (b"\n\n", "is empty"),
}


@pytest.mark.parametrize("case", FAILING, ids=list(FAILING))
def test_bad_files_fail_with_one_line(capsys, tmp_path, case):
    content, fragment = FAILING[case]
    code, _, err, out = run(capsys, tmp_path, write(tmp_path, content))
    assert code != 0 and fragment in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and "Traceback" not in err
    assert not out.parent.exists() or not any(out.parent.iterdir())


BAD_OPTIONS = {
    "unknown prompt type": (["--prompt-type", "fancy"], "'fancy' is not one of"),
    "unknown model": (["--model", "gpt-17"], "unknown model backend 'gpt-17'"),
    "N is zero": (["--num-samples", "0"], "--num-samples"),
    "N is negative": (["--num-samples", "-3"], "--num-samples"),
    "N absurdly large": (["--num-samples", "99999999999"], "less than or equal to 10000000"),
    "missing data file": (["--data", "/nonexistent/x.csv"], "does not exist"),
    "catalogue matching nothing": (["--products", "CATALOGUE"], "matches the values of any column"),
}


@pytest.mark.parametrize("case", BAD_OPTIONS, ids=list(BAD_OPTIONS))
def test_bad_options_fail_with_one_line(capsys, tmp_path, case):
    extra, fragment = BAD_OPTIONS[case]
    extra = [str(write(tmp_path, "sku,name\nX1,thing\nX2,other\n", "cat.csv")) if e == "CATALOGUE" else e
             for e in extra]
    code, _, err, out = run(capsys, tmp_path, write(tmp_path, REVIEWS), *extra)
    assert code != 0 and fragment in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


def test_output_that_cannot_be_written(capsys, tmp_path):
    code, _, err, _ = run(capsys, tmp_path, write(tmp_path, REVIEWS), out=Path("/dev/null/sub/rows.csv"))
    assert code != 0 and "cannot write into /dev/null/sub" in err and len(err.strip().splitlines()) == 1


def test_existing_output_is_kept_without_force(capsys, tmp_path):
    out = tmp_path / "rows.csv"
    out.write_text("precious")
    code, _, err, _ = run(capsys, tmp_path, write(tmp_path, REVIEWS), out=out)
    assert code != 0 and "--force" in err and out.read_text() == "precious"
    code, _, _, _ = run(capsys, tmp_path, write(tmp_path, REVIEWS), "--force", out=out)
    assert code == 0 and out.read_text() != "precious"


HANDLED = {
    "one text column only": "review\n" + "".join(f"{sentence(i)}\n" for i in range(20)),
    "UTF-8 with BOM": "\ufeff" + REVIEWS,
    "CRLF line ends": REVIEWS.replace("\n", "\r\n"),
    "Latin-1": ("stars,review\n" + "".join(f'{i % 5},"Café crème, {sentence(i)} très bon"\n' for i in range(20))
                ).encode("latin-1"),
    "UTF-16 with BOM": REVIEWS.encode("utf-16"),
    "quoted fields spanning lines": "stars,review\n" + "".join(f'{i % 5},"{sentence(i)}\n{sentence(i + 99)}"\n'
                                                              for i in range(20)),
    "short (ragged) rows padded": REVIEWS + "3\n",
    "a column entirely empty": "stars,review,empty\n" + "".join(f"{i % 5},{sentence(i)},\n" for i in range(20)),
    "ids mangled in scientific notation": "id,review\n" + "".join(f"1.2345E+{10 + i},{sentence(i)}\n"
                                                                 for i in range(20)),
    "dates reformatted by a spreadsheet": "day,review\n" + "".join(
        (f"2021-03-{1 + i:02d}" if i % 2 else f"3/{1 + i}/2021") + f",{sentence(i)}\n" for i in range(20)),
}


@pytest.mark.parametrize("case", HANDLED, ids=list(HANDLED))
def test_awkward_but_valid_files_work(capsys, tmp_path, case):
    data = write(tmp_path, HANDLED[case])
    code, out_text, err, out = run(capsys, tmp_path, data)
    assert code == 0, err
    assert "2/2 rows" in out_text and out.exists()
    encoding = json.loads(out.with_name(out.name + ".syngen.json").read_text())["output_encoding"]
    assert encoding == output_encoding(load_table(data).encoding), "written as read"
    assert len(out.read_text(encoding=encoding).strip().splitlines()) >= 3


def test_data_notes_reach_the_user_and_the_sidecar(capsys, tmp_path):
    code, _, err, out = run(capsys, tmp_path, write(tmp_path, HANDLED["ids mangled in scientific notation"]))
    assert code == 0 and "note: column 'id' holds numbers in scientific notation" in err
    assert "scientific notation" in out.with_name(out.name + ".syngen.json").read_text()


@pytest.mark.parametrize(("option", "fragment"), [("timeout", "is not KEY=VALUE"),
                                                  ("colour=blue", "has no option colour")])
def test_bad_backend_options_fail_with_one_line(capsys, tmp_path, option, fragment):
    code, _, err, out = run(capsys, tmp_path, write(tmp_path, REVIEWS), "--backend-option", option)
    assert code != 0 and fragment in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
