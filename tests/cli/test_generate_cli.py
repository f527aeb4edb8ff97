"""`syngen generate` as a user runs it: one-line errors, exit codes, nothing written on failure."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from syngen.cli.generate import preview_lines

REPO = Path(__file__).resolve().parents[2]


def syngen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syngen.cli.main", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=600)


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (None, ("does not exist",)),
        (b"", ("is empty",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary",)),
        (b"a,b\n1,2\n3,4\n5,6\n", ("no free-text column",)),
    ],
)
def test_bad_data_gives_one_line_and_writes_nothing(tmp_path, content, fragments):
    data = tmp_path / "in.csv"
    if content is not None:
        data.write_bytes(content)
    out = tmp_path / "out.csv"
    result = syngen("generate", "--data", str(data), "--out", str(out))
    assert_one_line_error(result, *fragments)
    assert not out.exists() and not out.with_name("out.csv.syngen.json").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--num-samples", "0"], "--num-samples"),
        (["--model", "nosuch"], "unknown model backend"),
        (["--prompt-type", "fancy"], "fancy"),
    ],
)
def test_bad_options_give_one_line(demo_paths, tmp_path, args, fragment):
    result = syngen("generate", "--data", str(demo_paths[0]), "--out", str(tmp_path / "o.csv"), *args)
    assert_one_line_error(result, fragment)


def test_existing_output_is_not_overwritten_without_force(demo_paths, tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("precious")
    result = syngen("generate", "--data", str(demo_paths[0]), "--out", str(out))
    assert_one_line_error(result, "already exists", "--force")
    assert out.read_text() == "precious"


@pytest.mark.model
def test_generate_on_demo_data_writes_rows_and_sidecar(demo_paths, tmp_path):
    reviews, products = demo_paths
    out = tmp_path / "demo.csv"
    result = syngen("generate", "--data", str(reviews), "--products", str(products), "--num-samples", "3",
                    "--seed", "5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "3/3 rows" in result.stdout
    assert len(out.read_text().strip().splitlines()) == 4
    assert out.with_name("demo.csv.syngen.json").exists()


@pytest.mark.model
def test_study_entry_point_keeps_its_flags(tmp_path):
    out = tmp_path / "study.csv"
    result = subprocess.run([sys.executable, str(REPO / "main.py"), "--prompt_type", "diversity", "--model", "local",
                             "--num_samples", "2", "--out", str(out)], capture_output=True, text=True, cwd=tmp_path,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    assert len(out.read_text().strip().splitlines()) == 3


def test_importing_syngen_stays_light():
    code = ("import sys, syngen, syngen.cli.main; "
            "print(sorted(m for m in ('llama_cpp', 'torch', 'streamlit', 'ray', 'transformers') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def test_the_first_rows_stay_one_line_each_when_a_text_has_line_breaks():
    rows = pd.DataFrame({"urgency": ["low"], "changes": ["* Team upload.\n* New upstream release."]})
    sidecar = {"label_checks": [{"label": "urgency", "checked": True}], "columns": {"changes": "text"}}
    assert preview_lines(rows, sidecar) == ["first rows (urgency | changes):",
                                            "  low | * Team upload.\\n* New upstream release."]


def test_the_first_rows_show_a_multi_label_column_once_for_all_its_checked_labels():
    rows = pd.DataFrame({"tags": ["billing|refund"], "message": ["I was charged twice and want my money back."]})
    sidecar = {"label_checks": [{"label": f"tags={tag}", "column": "tags", "checked": True}
                                for tag in ("billing", "refund")], "columns": {"message": "text"}}
    assert preview_lines(rows, sidecar) == ["first rows (tags | message):",
                                            "  billing|refund | I was charged twice and want my money back."]
