"""The second bad-input matrix (issue 14): outputs are never lost or written over, and each odd input is
one line with the right exit code. Driven through the CLI entry point as a user meets it, with stand-in
models (tests/fakes.py, tests/hardening/stand_ins.py): what is tested is the handling, not the model."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from syngen.backends import registry
from syngen.cli.main import main
from tests.hardening.tables import reviews_csv, sentence

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def scripted_backend(monkeypatch, tmp_path):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "real.csv"
    path.write_text(reviews_csv(30))
    return path


def generate(capsys, data: Path, *extra: str, n: int = 2) -> tuple[int, str, str]:
    code = main(["generate", "--data", str(data), "--model", "scripted", "--num-samples", str(n), "--quiet", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(code: int, err: str, *fragments: str, exit_code: int = 2) -> str:
    lines = err.strip().splitlines()
    assert code == exit_code and len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- Outputs --------------------------------------------------------------------------------------------

def test_out_json_is_refused_and_with_a_format_the_rows_and_sidecar_both_survive(capsys, data, tmp_path):
    one_line(*generate(capsys, data, "--out", "out.json")[::2], "cannot tell the output format", ".jsonl")
    assert not (tmp_path / "out.json").exists()
    code, _, err = generate(capsys, data, "--out", "out.json", "--format", "jsonl")
    assert code == 0, err
    rows = [json.loads(line) for line in (tmp_path / "out.json").read_text().splitlines()]
    assert len(rows) == 2 and set(rows[0]) == {"stars", "review"}
    assert json.loads((tmp_path / "out.json.syngen.json").read_text())["rows_delivered"] == 2


def test_a_file_where_the_sidecar_goes_is_refused_and_a_json_beside_the_output_is_untouched(capsys, data, tmp_path):
    (tmp_path / "out.json").write_text("a user's file")
    (tmp_path / "out.csv.syngen.json").write_text("another run's record")
    one_line(*generate(capsys, data, "--out", "out.csv")[::2], "the sidecar", "already exists", "--force")
    assert not (tmp_path / "out.csv").exists()
    (tmp_path / "out.csv.syngen.json").unlink()
    assert generate(capsys, data, "--out", "out.csv")[0] == 0
    assert (tmp_path / "out.json").read_text() == "a user's file"


def test_a_second_run_on_the_same_output_refuses(capsys, data, tmp_path):
    hold = "import sys,time; from pathlib import Path; from syngen.output import claim_output\n" \
           "with claim_output(Path('out.csv'), False):\n    print('held', flush=True); time.sleep(30)"
    first = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True, cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert first.stdout.readline().strip() == "held"  # a first run is writing out.csv
        for extra in (["--no-run-dir"], ["--run-dir", "elsewhere.run"]):
            one_line(*generate(capsys, data, "--out", "out.csv", *extra)[::2], "another syngen run is writing")
    finally:
        first.kill()
        first.wait()
    assert generate(capsys, data, "--out", "out.csv", "--no-run-dir")[0] == 0
    one_line(*generate(capsys, data, "--out", "out.csv", "--no-run-dir")[::2], "already exists")  # one after


@pytest.mark.parametrize("target", ["data", "catalogue", "partial", "data by another path"])
def test_an_input_is_never_written_over_even_with_force(capsys, data, tmp_path, target):
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("stars,label\n" + "".join(f"{i},level {i}\n" for i in range(1, 6)))
    out = {"data": str(data), "catalogue": str(catalogue), "partial": str(tmp_path / "real.csv").replace(
        "real.csv", "x.csv"), "data by another path": f"{tmp_path}/sub/../real.csv"}[target]
    if target == "partial":  # --data x.partial.csv: the partial output of --out x.csv
        data = data.rename(tmp_path / "x.partial.csv")
    before = files(tmp_path)
    code, _, err = generate(capsys, data, "--products", str(catalogue), "--out", out, "--force")
    one_line(code, err, "is the input given to", "never writes over an input")
    assert files(tmp_path) == before


def test_evaluate_never_writes_its_reports_over_its_inputs(capsys, data, tmp_path):
    (tmp_path / "syn.csv").write_text(reviews_csv(3))
    before = files(tmp_path)
    code = main(["evaluate", "--real", str(data), "--synthetic", "syn.csv", "--json", str(data), "--report", "syn.csv"])
    one_line(code, capsys.readouterr().err, "--report syn.csv is the input given to --synthetic")
    (tmp_path / "report.html").write_text("an older report")
    code = main(["evaluate", "--real", str(data), "--synthetic", "syn.csv", "--report", "report.html"])
    one_line(code, capsys.readouterr().err, "already exists", "--force")
    assert files(tmp_path) == {**before, "report.html": b"an older report"}


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder", "device"])
def test_only_regular_files_are_replaced_even_with_force(capsys, data, tmp_path, kind):
    (tmp_path / "target.csv").write_text("keep")
    out = {"symlink": tmp_path / "link.csv", "fifo": tmp_path / "fifo.csv", "folder": tmp_path / "folder",
           "device": Path("/dev/null")}[kind]
    if kind == "symlink":
        out.symlink_to(tmp_path / "target.csv")
    elif kind == "fifo":
        os.mkfifo(out)
    elif kind == "folder":
        out.mkdir()
    for force in ([], ["--force"]):  # the same one line with and without --force
        line = one_line(*generate(capsys, data, "--out", str(out), "--format", "csv", *force)[::2])
        assert ("is a folder" if kind == "folder" else "only replaces regular files") in line
    assert (tmp_path / "target.csv").read_text() == "keep" and (kind != "symlink" or out.is_symlink())


def test_the_format_follows_the_extension_and_a_contradiction_is_refused(capsys, data, tmp_path):
    assert generate(capsys, data, "--out", "x.jsonl")[0] == 0
    assert [set(json.loads(line)) for line in (tmp_path / "x.jsonl").read_text().splitlines()] == [
        {"stars", "review"}] * 2
    one_line(*generate(capsys, data, "--out", "y.jsonl", "--format", "csv")[::2], "ends in .jsonl but --format is csv")
    assert not (tmp_path / "y.jsonl").exists()


def test_outputs_are_created_with_the_usual_umask(capsys, data, tmp_path):
    old = os.umask(0o022)
    try:
        assert generate(capsys, data, "--out", "out.csv")[0] == 0
    finally:
        os.umask(old)
    for name in ("out.csv", "out.csv.syngen.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644


# --- Spreadsheet formulas (issue 12 item 7) -------------------------------------------------------------

def test_rows_are_written_as_generated_and_formula_cells_are_counted(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.hardening.stand_ins:FormulaBackend")
    data = tmp_path / "mentions.csv"  # real texts with @-mentions and = signs: the model's are like them
    data.write_text("stars,review\n" + "".join(f"{1 + i % 5},@shop{i} {sentence(i)} = {i % 3}\n" for i in range(30)))
    code, _, err = generate(capsys, data, "--out", "raw.csv")
    assert code == 0, err
    texts = pd.read_csv(tmp_path / "raw.csv", dtype=str)["review"].tolist()
    assert all(text[0] in "=@" for text in texts)  # exactly what the model wrote, no ' prefix
    assert json.loads((tmp_path / "raw.csv.syngen.json").read_text())["formula_like_cells"] == 2
    assert "note: 2 cells begin with = + - or @" in err and "--spreadsheet-safe" in err
    assert generate(capsys, data, "--out", "safe.csv", "--spreadsheet-safe")[0] == 0
    assert all(t[:2] in ("'=", "'@") for t in pd.read_csv(tmp_path / "safe.csv", dtype=str)["review"])
    code, _, err = generate(capsys, data, "--out", "rows.xlsx")
    assert code == 0 and "the .xlsx holds them as text" in err


@pytest.mark.parametrize(("extra", "fragment"), [
    (["--out", "o.jsonl", "--spreadsheet-safe"], "--spreadsheet-safe applies to CSV and TSV, not jsonl"),
    (["--out", "o.csv", "--spreadsheet-safe", "--raw-export"], "contradict"),
])
def test_spreadsheet_options_that_cannot_apply_are_one_line(capsys, data, extra, fragment):
    one_line(*generate(capsys, data, *extra)[::2], fragment)


def test_the_old_raw_export_flag_still_works(capsys, data, tmp_path):
    assert generate(capsys, data, "--out", "o.csv", "--raw-export")[0] == 0 and (tmp_path / "o.csv").exists()


# --- Tracebacks and misleading messages -----------------------------------------------------------------

@pytest.mark.parametrize("command", ["generate", "evaluate", "experiment"])
def test_a_negative_seed_is_one_line(capsys, data, tmp_path, command):
    args = {"generate": ["--data", str(data), "--out", "o.csv"], "evaluate": ["--real", str(data), "--synthetic",
            str(data)], "experiment": ["--data", str(data), "--out", "grid"]}[command]
    one_line(main([command, *args, "--seed", "-1"]), capsys.readouterr().err, "--seed", "-1")
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "grid").exists()


@pytest.mark.parametrize(("manifest", "fragment"), [
    ("[1, 2, 3]", "is not a JSON object"), ('"SEED"', "damaged (seed:"), ("{not json", "cannot read the run manifest"),
])
def test_a_damaged_manifest_is_one_line(capsys, data, tmp_path, manifest, fragment):
    assert generate(capsys, data, "--out", "o.csv")[0] == 0
    path = tmp_path / "o.csv.run" / "manifest.json"
    text = json.loads(path.read_text())
    text["seed"] = "x"
    path.write_text(manifest.replace('"SEED"', json.dumps(text)))
    one_line(*generate(capsys, data, "--out", "o.csv", "--force")[::2], fragment, "--new-run")
    one_line(main(["generate", "--resume", "o.csv.run"]), capsys.readouterr().err, fragment)


def test_resume_with_new_run_on_an_unreadable_manifest_gives_the_advice_once(capsys, data, tmp_path):
    assert generate(capsys, data, "--out", "o.csv")[0] == 0
    (tmp_path / "o.csv.run" / "manifest.json").write_text("[1, 2, 3]")
    line = one_line(main(["generate", "--resume", "o.csv.run", "--new-run"]), capsys.readouterr().err)
    assert "Pass --new-run" not in line and "original syngen generate command" in line


def test_a_run_dir_that_is_a_file_is_one_line(capsys, data, tmp_path):
    (tmp_path / "run").write_text("a file")
    one_line(*generate(capsys, data, "--out", "o.csv", "--run-dir", "run")[::2], "is a file, not a folder")
    assert (tmp_path / "run").read_text() == "a file" and not (tmp_path / "o.csv").exists()


def test_resuming_more_rows_than_asked_says_so_plainly(capsys, data, tmp_path):
    assert generate(capsys, data, "--out", "o.csv", n=5)[0] == 0
    code, out, _ = generate(capsys, data, "--out", "o.csv", "--force", n=3)
    kept = len(pd.read_json(next((tmp_path / "o.csv.run" / "shards").iterdir()), lines=True))  # whole chunks: >= 5
    assert code == 0 and f"all 3 rows asked were already made (the first 3 of the {kept} kept there" in out
    assert kept >= 5 and f"{kept} of 3" not in out and len(pd.read_csv(tmp_path / "o.csv")) == 3


def test_stale_partial_files_are_removed_after_a_successful_resume(capsys, data, tmp_path, monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.hardening.stand_ins:SilentBackend")
    code, _, err = generate(capsys, data, "--out", "o.csv", n=10)  # stops after 20 failed positions
    one_line(code, err, "o.partial.csv")
    assert (tmp_path / "o.partial.csv").exists() and (tmp_path / "o.partial.csv.syngen.json").exists()
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    assert generate(capsys, data, "--out", "o.csv", n=10)[0] == 0
    assert (tmp_path / "o.csv").exists() and not list(tmp_path.glob("o.partial*"))


def test_a_blank_header_is_named_by_its_position_and_written_blank_again(capsys, tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text(",review\n" + "".join(f"{i},{sentence(i)}\n" for i in range(30)))
    code, _, err = generate(capsys, blank, "--out", "o.csv")
    assert code == 0 and "column 1 has no name in the header: it is called 'column_1'" in err
    assert (tmp_path / "o.csv").read_text().splitlines()[0] == ",review", "the header as the real file writes it"
    assert generate(capsys, blank, "--out", "o.jsonl")[0] == 0
    assert "column_1" in (tmp_path / "o.jsonl").read_text().splitlines()[0], "JSON needs a name"


def test_a_url_password_is_never_shown(capsys, data, tmp_path):
    code, out, err = generate(capsys, data, "--model", "openai", "--base-url", "http://alice:S3CRET@127.0.0.1:9/v1",
                              "--out", "o.csv")
    one_line(code, err, "http://***:***@127.0.0.1:9/v1")
    assert "S3CRET" not in out + err + "".join(str(v) for v in files(tmp_path).values())


# --- Evaluate: nothing to score is an error, never a perfect score ---------------------------------------

@pytest.mark.parametrize(("real", "synthetic", "fragment"), [
    (reviews_csv(30), "a,b\n" + "".join(f"{i},{sentence(i)}\n" for i in range(5)), "shares no column"),
    (reviews_csv(30), "a,b\nx,y\n", "shares no column"),
    (reviews_csv(1), reviews_csv(3), "has 1 row; scoring needs at least 2 real rows"),
])
def test_evaluate_with_nothing_to_score_is_one_line(capsys, tmp_path, real, synthetic, fragment):
    (tmp_path / "r.csv").write_text(real)
    (tmp_path / "s.csv").write_text(synthetic)
    one_line(main(["evaluate", "--real", "r.csv", "--synthetic", "s.csv"]), capsys.readouterr().err, fragment)


# --- Ctrl-C: exit 130, the rows so far kept, the same command resumes ------------------------------------

def test_sigint_exits_130_keeping_the_rows_and_the_same_command_resumes(data, tmp_path):
    command = [sys.executable, "-m", "tests.hardening.stand_ins", "generate", "--data", str(data), "--model",
               "scripted", "--num-samples", "24", "--quiet", "--out", "o.csv"]  # three chunks of 8
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shard = tmp_path / "o.csv.run" / "shards" / "part-00000.jsonl"
    deadline = time.monotonic() + 120
    while not (shard.exists() and shard.read_text().count("\n") >= 2):
        assert time.monotonic() < deadline and run.poll() is None, run.communicate()
        time.sleep(0.1)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert "interrupted: kept" in err and "Traceback" not in err
    kept = pd.read_csv(tmp_path / "o.partial.csv")
    assert 2 <= len(kept) < 24  # the chunk being made when Ctrl-C came is finished, no chunk after it
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "o.csv")) == 24 and not list(tmp_path.glob("o.partial*"))
