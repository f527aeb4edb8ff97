"""Spreadsheet formula injection, tried in a real spreadsheet: LibreOffice Calc opens SynGen's CSV export and
renders it. Neutralised cells stay text; with --raw-export the same cells are evaluated (the risk is real)."""

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


def rendered_cells(csv_path, tmp_path) -> list[str]:
    """The cells of column `text` as Calc shows them after opening the CSV."""
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "html", str(csv_path), "--outdir", str(tmp_path / "html")],
                   capture_output=True, timeout=180, check=True)
    page = (tmp_path / "html" / csv_path.with_suffix(".html").name).read_text(encoding="utf-8", errors="replace")
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[0] for row in rows]
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_neutralised_cells_are_not_evaluated_but_raw_ones_are(tmp_path):
    frame = pd.DataFrame({"text": CELLS})
    write_table(frame, tmp_path / "safe.csv", "csv")
    write_table(frame, tmp_path / "raw.csv", "csv", raw=True)
    safe = rendered_cells(tmp_path / "safe.csv", tmp_path)
    raw = rendered_cells(tmp_path / "raw.csv", tmp_path)
    assert safe[:4] == ["'" + cell for cell in CELLS[:4]]  # shown as typed: nothing ran
    assert safe[4:] == ["-5", "plain text"]
    assert raw[0] == "2" and raw[3] == "click"  # without neutralising, Calc runs the formulas
