"""`syngen generate --resume RUN` and friends as a user types them: one-line errors, no model loaded."""

import subprocess
import sys

from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.runs.sinks import open_sink


def syngen(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syngen.cli.main", "generate", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_resuming_nothing_says_what_to_give(tmp_path):
    line = one_line_error(syngen("--resume", str(tmp_path / "nothing.run")))
    assert "there is no SynGen run in" in line and "OUT.run" in line


def test_resume_with_no_run_dir_is_refused(tmp_path):
    assert "cannot be used together" in one_line_error(syngen("--resume", str(tmp_path), "--no-run-dir"))


def test_resume_takes_the_saved_configuration_and_refuses_a_change(demo_paths, tmp_path):
    reviews, products = demo_paths
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=3, seed=2,
                              out=str(tmp_path / "o.csv"), run_dir=str(tmp_path / "o.csv.run"))
    open_sink(prepare_session(config)).close()  # a run that was started and stopped before its first row
    line = one_line_error(syngen("--resume", str(tmp_path / "o.csv.run"), "--seed", "5", cwd=tmp_path / ".."))
    assert "seed 2 -> 5" in line and "--new-run" in line
    assert not (tmp_path / "o.csv").exists()
