import json
import os
import re
import zipfile

import pandas as pd
import pytest

from syngen.errors import ConfigError, OutputError
from syngen.output import count_formula_like, neutralise_formulas, output_format, write_sidecar, write_table
from syngen.output.formats import XLSX_MAX_CELL

FORMULAS = ["=1+1", "+2*3", "@SUM(1;2)", '=HYPERLINK("http://x";"y")', "-5", "plain", "-2.5"]


def test_formula_cells_are_neutralised_but_numbers_are_not():
    frame = pd.DataFrame({"a": ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "plain", "-2.5"]})
    safe = neutralise_formulas(frame)["a"].tolist()
    assert safe == ["'=HYPERLINK(\"http://x\")", "'+1+2", "-3", "'@SUM(A1)", "plain", "-2.5"]
    assert count_formula_like(frame) == 3


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_every_format_holds_exactly_the_generated_values(tmp_path, fmt):
    values = [*FORMULAS, "* Team upload.\n* New upstream release.", "a\ttab"]
    frame = pd.DataFrame({"text": values, "n": [str(i) for i in range(len(values))]})
    write_table(frame, tmp_path / f"o.{fmt}", fmt)
    read = {"csv": lambda p: pd.read_csv(p, dtype=str), "tsv": lambda p: pd.read_csv(p, sep="\t", dtype=str),
            "parquet": pd.read_parquet,
            "jsonl": lambda p: pd.read_json(p, lines=True, dtype=str)}[fmt]
    assert read(tmp_path / f"o.{fmt}")["text"].tolist() == values


def test_the_spreadsheet_safe_csv_prefixes_formula_cells_only(tmp_path):
    write_table(pd.DataFrame({"text": FORMULAS}), tmp_path / "safe.csv", "csv", spreadsheet_safe=True)
    assert pd.read_csv(tmp_path / "safe.csv")["text"].tolist()[:4] == ["'" + c for c in FORMULAS[:4]]
    with pytest.raises(ConfigError, match="applies to CSV"):
        write_table(pd.DataFrame({"text": FORMULAS}), tmp_path / "safe.jsonl", "jsonl", spreadsheet_safe=True)


def xlsx_cells(path) -> list[tuple[str, str | None, bool]]:
    """(cell reference, type attribute, has a formula) for every cell of the first sheet, and the texts."""
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
    cells = re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(/>|>(.*?)</c>)', sheet)
    texts = re.findall(r"<t(?: [^>]*)?>(.*?)</t>", sheet + strings)  # inline strings or shared ones
    return [(ref, (re.search(r't="(\w+)"', attrs) or [None, None])[1], "<f>" in body) for ref, attrs, _, body
            in cells], texts


def test_the_xlsx_holds_every_cell_as_text_and_no_formula(tmp_path):
    frame = pd.DataFrame({"text": FORMULAS, "n": ["1", "2", "", "4", "5", "6", "7"]})
    write_table(frame, tmp_path / "o.xlsx", "xlsx")
    cells, texts = xlsx_cells(tmp_path / "o.xlsx")
    assert cells and all(kind in ("s", "inlineStr", "str") for _, kind, _ in cells)
    assert not any(formula for _, _, formula in cells)
    assert {"=1+1", "@SUM(1;2)", "text", "n", "4"} <= {t.replace("&quot;", '"') for t in texts}
    assert len(cells) == 2 + len(FORMULAS) * 2 - 1  # the empty cell stays empty


def test_an_xlsx_cell_too_long_for_a_spreadsheet_is_refused(tmp_path):
    with pytest.raises(OutputError, match="does not fit a spreadsheet cell"):
        write_table(pd.DataFrame({"text": ["x" * (XLSX_MAX_CELL + 1)]}), tmp_path / "o.xlsx", "xlsx")
    assert not (tmp_path / "o.xlsx").exists()


def test_jsonl_and_sidecar_are_written_whole(tmp_path):
    write_table(pd.DataFrame({"a": ["x", "y"]}), tmp_path / "o.jsonl", "jsonl")
    assert [json.loads(line)["a"] for line in (tmp_path / "o.jsonl").read_text().splitlines()] == ["x", "y"]
    write_sidecar(tmp_path / "o.json", {"rows": 2, "url": "http://u:pw@h/v1"})
    assert json.loads((tmp_path / "o.json").read_text()) == {"rows": 2, "url": "http://***:***@h/v1"}
    assert not list(tmp_path.glob(".*tmp"))  # no temporary files left behind


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_are_created_with_the_usual_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_table(pd.DataFrame({"a": ["x"]}), tmp_path / "o.csv", "csv")
        write_sidecar(tmp_path / "o.csv.syngen.json", {"rows": 1})
    finally:
        os.umask(old)
    assert (tmp_path / "o.csv").stat().st_mode & 0o777 == mode
    assert (tmp_path / "o.csv.syngen.json").stat().st_mode & 0o777 == mode


def test_without_replace_a_file_that_appeared_meanwhile_is_kept(tmp_path):
    target = tmp_path / "o.csv"
    target.write_text("another run's rows")
    with pytest.raises(OutputError, match="written by someone else"):
        write_table(pd.DataFrame({"a": ["x"]}), target, "csv", replace=False)
    assert target.read_text() == "another run's rows" and not list(tmp_path.glob(".*tmp"))


def test_a_symlink_that_appeared_meanwhile_is_not_replaced(tmp_path):
    (tmp_path / "elsewhere.csv").write_text("keep")
    (tmp_path / "o.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(OutputError, match="symbolic link"):
        write_table(pd.DataFrame({"a": ["x"]}), tmp_path / "o.csv", "csv")
    assert (tmp_path / "o.csv").is_symlink() and (tmp_path / "elsewhere.csv").read_text() == "keep"


@pytest.mark.parametrize(("out", "given", "expected"), [
    ("o.csv", None, "csv"), ("o.tsv", None, "tsv"), ("o.JSONL", None, "jsonl"), ("o.ndjson", None, "jsonl"),
    ("o.parquet", None, "parquet"),
    ("o.xlsx", None, "xlsx"), ("o.csv", "csv", "csv"), ("o.json", "jsonl", "jsonl"), ("o", "parquet", "parquet"),
])
def test_the_format_follows_the_extension_unless_given(out, given, expected):
    assert output_format(out, given) == expected


@pytest.mark.parametrize(("out", "given", "fragment"), [
    ("o.jsonl", "csv", "ends in .jsonl but --format is csv"), ("o.csv", "xlsx", "ends in .csv but --format is xlsx"),
    ("o.json", None, "cannot tell the output format"), ("o", None, "cannot tell the output format"),
    ("folder/", None, "names a folder"),
])
def test_a_format_the_name_contradicts_or_does_not_tell_is_refused(out, given, fragment):
    with pytest.raises(ConfigError, match=fragment):
        output_format(out, given)


@pytest.mark.parametrize(("delimiter", "written"), [(";", ";"), ("|", "|"), ("\t", ","), ("", ",")])
def test_a_csv_keeps_the_real_tables_delimiter(tmp_path, delimiter, written):
    """A German export (";" between cells, "1.234,50 €" in them) came back with commas, which its spreadsheet
    reads as one column; a tab's table asks for .tsv, a JSON one has none."""
    frame = pd.DataFrame({"Preis": ["1.234,50 €", "9,99 €"], "Kommentar": ["Gut; schnell", "Naja"]})
    write_table(frame, tmp_path / "o.csv", "csv", delimiter=delimiter)
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()[0] == f"Preis{written}Kommentar"
    assert pd.read_csv(tmp_path / "o.csv", sep=written, dtype=str).equals(frame)


def test_a_run_on_a_semicolon_table_writes_semicolons(tmp_path, demo_paths):
    from syngen.generation.config import GenerationConfig
    from syngen.generation.engine import run_generation
    from syngen.generation.session import prepare_session
    from tests.fakes import ScriptedBackend, review_answer

    reviews, products = demo_paths
    semicolons = tmp_path / "reviews.csv"
    pd.read_csv(reviews, dtype=str, keep_default_na=False).to_csv(semicolons, sep=";", index=False)
    config = GenerationConfig(data=str(semicolons), products=str(products), num_samples=2, seed=3,
                              stock_check=False, out=str(tmp_path / "rows.csv"))
    run_generation(config, session=prepare_session(config, backend=ScriptedBackend(review_answer)))
    header = (tmp_path / "rows.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("rating;title;text;")
