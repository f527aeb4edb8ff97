"""Spreadsheet formula injection, tried in a real spreadsheet: LibreOffice Calc opens SynGen's exports and
renders them. The rows are written as generated, so a raw CSV's formula cells run (the risk is real); the
.xlsx export holds every cell as text and the --spreadsheet-safe CSV prefixes them with ', so nothing runs."""

import html
import re
import shutil
import subprocess

import pandas as pd
import pytest

from syngen.output import write_table

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (apt package libreoffice-calc-nogui) is not here")
CELLS = ["=1+1", "+2*3", "@SUM(1;2)", '=HYPERLINK("http://attacker.example";"click")', "-5", "plain text"]


def rendered_cells(path, tmp_path) -> list[str]:
    """The cells of column `text` as Calc shows them after opening the file."""
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "html", str(path), "--outdir", str(tmp_path / "html")],
                   capture_output=True, timeout=180, check=True)
    page = (tmp_path / "html" / path.with_suffix(".html").name).read_text(encoding="utf-8", errors="replace")
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[0] for row in rows]
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_the_xlsx_and_the_safe_csv_run_nothing_but_the_raw_csv_does(tmp_path):
    frame = pd.DataFrame({"text": CELLS})
    write_table(frame, tmp_path / "rows.xlsx", "xlsx")
    write_table(frame, tmp_path / "safe.csv", "csv", spreadsheet_safe=True)
    write_table(frame, tmp_path / "raw.csv", "csv")
    assert rendered_cells(tmp_path / "rows.xlsx", tmp_path) == CELLS  # shown exactly as generated: nothing ran
    safe = rendered_cells(tmp_path / "safe.csv", tmp_path)
    assert safe[:4] == ["'" + cell for cell in CELLS[:4]] and safe[4:] == ["-5", "plain text"]
    raw = rendered_cells(tmp_path / "raw.csv", tmp_path)
    assert raw[0] == "2" and raw[3] == "click"  # the default CSV holds the values, and Calc runs the formulas
