"""The Python API (`syngen.generate/evaluate/profile`) as a notebook user meets it: the same rows as the CLI
for the same seed, from a path and from a DataFrame; results that save, evaluate and show themselves; one
SynGenError with its fix for bad arguments; and `import syngen` light."""

import json
import subprocess
import sys

import pandas as pd
import pytest

import syngen
from syngen import events
from syngen.backends import registry
from syngen.cli.main import main
from syngen.errors import ConfigError, OutputError
from tests.fakes import WORDS
from tests.hardening.tables import sentence


@pytest.fixture(autouse=True)
def scripted_backend(monkeypatch, tmp_path):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")
    monkeypatch.chdir(tmp_path)


def title(i: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(2 + i % 3)).capitalize()


@pytest.fixture
def data(tmp_path):
    """A small table of our own: a rating, a short title and a review the stand-in model can write."""
    path = tmp_path / "real.csv"
    path.write_text("stars,title,review\n" + "".join(f"{1 + i % 5},{title(i)},{sentence(i)}\n" for i in range(30)))
    return path


def cli_rows(data, tmp_path, n: int, seed: int, *extra: str) -> list[dict]:
    out = tmp_path / f"cli_{n}_{seed}.csv"
    code = main(["generate", "--data", str(data), "--model", "scripted", "--num-samples", str(n), "--seed", str(seed),
                 "--out", str(out), "--quiet", *extra])
    assert code == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False).to_dict("records")


def test_a_path_and_a_dataframe_give_the_cli_rows_for_the_same_seed(data, tmp_path):
    expected = cli_rows(data, tmp_path, 6, 4, "--topic", "real")
    from_path = syngen.generate(data, num_samples=6, seed=4, model="scripted", topic="real", progress=False)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    from_frame = syngen.generate(frame, num_samples=6, seed=4, model="scripted", topic="real", progress=False)
    assert from_path.rows.to_dict("records") == expected
    assert from_frame.rows.to_dict("records") == expected
    assert from_path.sidecar["rows_delivered"] == 6 and from_path.sidecar["seed"] == 4
    other = syngen.generate(data, num_samples=6, seed=5, model="scripted", topic="real", progress=False)
    assert other.rows.to_dict("records") != expected, "the seed must matter"


def test_nothing_is_written_unless_asked_and_save_writes_rows_and_sidecar(data, tmp_path):
    before = set(tmp_path.rglob("*"))
    result = syngen.generate(data, num_samples=3, model="scripted", progress=False)
    assert set(tmp_path.rglob("*")) == before, "generate() without out= must leave no file"
    saved = result.save(tmp_path / "rows.jsonl")
    lines = [json.loads(line) for line in saved.read_text().splitlines()]
    assert lines == result.rows.to_dict("records")
    sidecar = json.loads((tmp_path / "rows.jsonl.syngen.json").read_text())
    assert sidecar["output"] == str(saved) and sidecar["rows_delivered"] == 3
    with pytest.raises(OutputError, match="force=True"):
        result.save(tmp_path / "rows.jsonl")
    result.save(tmp_path / "rows.jsonl", force=True)


def test_audit_without_a_run_directory_is_kept_on_the_result_and_writes_nothing(data, tmp_path):
    before = set(tmp_path.rglob("*"))
    result = syngen.generate(data, num_samples=3, model="scripted", progress=False, audit=True)
    assert set(tmp_path.rglob("*")) == before
    assert result.sidecar["audit"] == {"on": True, "kept_in": "memory"}
    assert [result.audit.row(i).row for i in range(3)] == result.rows.to_dict("records")
    attempts = result.audit.row(0).attempts
    assert attempts[-1].kept and attempts[-1].answer and attempts[0].messages[0]["role"] == "system"
    assert syngen.generate(data, num_samples=3, model="scripted", progress=False).audit is None


def test_preview_from_python_shows_rows_and_their_answers(data, tmp_path):
    before = set(tmp_path.rglob("*"))
    preview = syngen.preview(data, model="scripted", seed=2, out="ignored.csv")
    assert set(tmp_path.rglob("*")) == before
    assert len(preview.rows) == 3 and all(r.attempts[0].answer for r in preview.records)
    assert "=== Row 1" in repr(preview)


def test_out_writes_like_the_cli(data, tmp_path):
    result = syngen.generate(data, num_samples=2, model="scripted", progress=False, out=str(tmp_path / "o.csv"))
    assert pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False).to_dict("records") == \
        result.rows.to_dict("records")
    assert result.sidecar["output"] == str(tmp_path / "o.csv")


def test_on_event_hears_the_engine_and_progress_counts_rows(data, capsys):
    heard = []
    syngen.generate(data, num_samples=3, model="scripted", on_event=heard.append, progress=True)
    names = [event.name for event in heard]
    assert names[0] == events.RUN_STARTED and names[-1] == events.RUN_FINISHED
    assert [e.data["accepted"] for e in heard if e.name == events.ROW_ACCEPTED] == [1, 2, 3]
    assert "3/3" in capsys.readouterr().err  # tqdm's bar, outside a notebook, on stderr


def test_where_and_kinds_pass_through(data):
    result = syngen.generate(data, num_samples=4, model="scripted", where={"stars": ["1", "2"]},
                             kinds={"title": "short_text"}, progress=False)
    assert set(result.rows["stars"]) <= {"1", "2"}
    assert result.sidecar["config"]["where"] == {"stars": ["1", "2"]}
    assert result.sidecar["columns"]["title"] == "short_text"


@pytest.mark.parametrize(("arguments", "fragment"), [
    ({"num_samples": 0}, "num_samples"),
    ({"temperatur": 0.5}, "temperatur"),
    ({"where": {"stars": ["9"]}}, "9"),
])
def test_bad_arguments_are_one_synGenError_naming_them(data, arguments, fragment):
    with pytest.raises(syngen.SynGenError) as caught:
        syngen.generate(data, model="scripted", progress=False, **arguments)
    message = caught.value.one_line()
    assert fragment in message and "\n" not in message


def test_data_must_be_a_path_or_a_frame_and_a_frame_has_no_run_directory(tmp_path):
    with pytest.raises(ConfigError, match="path or a pandas DataFrame"):
        syngen.generate([1, 2, 3], progress=False)
    frame = pd.DataFrame({"text": ["a b c d e f"] * 5})
    with pytest.raises(ConfigError, match="run directory"):
        syngen.generate(frame, run_dir=str(tmp_path / "run"), progress=False)


def test_evaluate_a_result_a_frame_and_a_file_alike(data, tmp_path):
    result = syngen.generate(data, num_samples=6, model="scripted", progress=False)
    path = result.save(tmp_path / "rows.csv")
    reports = [result.evaluate(embeddings=False),
               syngen.evaluate(data, result, embeddings=False),
               syngen.evaluate(data, path, embeddings=False),
               syngen.evaluate(pd.read_csv(data, dtype=str, keep_default_na=False), result.rows, embeddings=False)]
    scores = [report.scores for report in reports]
    assert scores[0] == scores[1] == scores[2] == scores[3]
    assert {"validity", "fidelity", "privacy"} <= set(scores[0])
    assert all(v is None or 0 <= v <= 1 for v in scores[0].values())
    report = reports[0]
    assert json.loads(report.to_json())["rows"] == 6
    assert report.to_html(tmp_path / "r.html").read_text().lstrip().lower().startswith("<!doctype html")
    assert "<table>" in report._repr_html_() and "validity" in repr(report)


def test_profile_reads_like_syngen_profile(data):
    profile = syngen.profile(data, kinds={"title": "short_text"})
    text = repr(profile)
    assert text.startswith(f"Profile of {data}: 30 rows, 3 columns")
    assert "title: short_text" in text and "stars: categorical" in text
    assert list(profile.to_frame()["column"]) == list(pd.read_csv(data).columns)


def test_import_syngen_is_light_and_quick():
    code = ("import sys, time; t = time.perf_counter(); import syngen; took = time.perf_counter() - t; "
            "heavy = [m for m in ('torch', 'llama_cpp', 'streamlit', 'ray', 'sklearn', 'pandas') if m in sys.modules]; "
            "print(took, heavy)")
    took = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
                     .stdout.split()[0]) for _ in range(3))
    heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert took < 0.3 and heavy.strip().endswith("[]"), heavy
    assert callable(syngen.generate) and "generate" in dir(syngen)
    assert callable(syngen.preview) and callable(syngen.read_audit) and "Preview" in dir(syngen)
    with pytest.raises(AttributeError):
        syngen.no_such_name  # noqa: B018


@pytest.mark.model
def test_the_embedded_model_from_python_gives_valid_rows_from_a_dataframe(demo_paths):
    from syngen.data import load_table
    from syngen.profiling import load_catalogue, profile_table
    from syngen.profiling.conformance import row_problems

    reviews, products = demo_paths
    frame = pd.read_csv(reviews, dtype=str, keep_default_na=False)
    result = syngen.generate(frame, products=products, num_samples=2, seed=3, progress=False)
    table = load_table(reviews)
    profile = profile_table(table, load_catalogue(products, table))
    assert list(result.rows.columns) == profile.names and len(result.rows) == 2
    assert all(row_problems(profile, row) == [] for row in result.rows.to_dict("records"))
    assert all(text.strip() for text in result.rows["text"]) and result.rows["text"].nunique() == 2
    assert result.sidecar["model"]["backend"] == "local" and result.sidecar["chunk_size"] == 2


def test_to_hf_gives_a_dataset_of_the_rows(data):
    pytest.importorskip("datasets")
    result = syngen.generate(data, num_samples=2, model="scripted", progress=False)
    dataset = result.to_hf()
    assert dataset.num_rows == 2 and dataset.column_names == list(result.rows.columns)
    assert dataset.to_pandas().to_dict("records") == result.rows.to_dict("records")


def test_a_label_the_model_cannot_write_warns_in_python_as_on_the_cli(monkeypatch, demo_paths):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:NoOneStarBackend")
    reviews, products = demo_paths
    with pytest.warns(UserWarning, match=r"of \d+ with rating 1 within the attempt budget"):
        result = syngen.generate(reviews, products=products, num_samples=12, seed=3, model="scripted",
                                 progress=False)
    assert len(result.rows) == 12 and "1" in result.sidecar["label_quota"]["short"]
