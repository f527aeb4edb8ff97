"""--format hf: the rows as a Hugging Face dataset folder, written whole or not at all."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from syngen.errors import ConfigError, GenerationIncomplete, OutputError
from syngen.generation.config import GenerationConfig
from syngen.output import output_format, write_table
from syngen.output.paths import check_writable

datasets = pytest.importorskip("datasets")  # the hf-datasets extra

ROWS = pd.DataFrame({"text": ["=1+1", "Good capsules.", "", "Ünïcode ✓"], "rating": ["5", "4", "1", "2"]})


def read(folder) -> pd.DataFrame:
    return datasets.load_from_disk(str(folder)).to_pandas()


def test_the_dataset_holds_exactly_the_rows_as_strings(tmp_path):
    write_table(ROWS, tmp_path / "rows.hf", "hf")
    loaded = datasets.load_from_disk(str(tmp_path / "rows.hf"))
    assert loaded.column_names == ["text", "rating"]
    assert all(feature.dtype == "string" for feature in loaded.features.values())
    assert read(tmp_path / "rows.hf").equals(ROWS)
    assert [p.name for p in tmp_path.iterdir()] == ["rows.hf"]  # no temporary folder left


def test_a_saved_dataset_is_replaced_only_when_asked(tmp_path):
    target = tmp_path / "rows.hf"
    write_table(ROWS, target, "hf")
    with pytest.raises(OutputError, match="written by someone else"):
        write_table(ROWS.head(1), target, "hf", replace=False)
    assert len(read(target)) == 4
    write_table(ROWS.head(1), target, "hf")
    assert len(read(target)) == 1 and [p.name for p in tmp_path.iterdir()] == ["rows.hf"]


def test_a_folder_that_is_not_a_dataset_is_never_replaced(tmp_path):
    folder = tmp_path / "rows.hf"
    folder.mkdir()
    (folder / "notes.txt").write_text("precious")
    with pytest.raises(OutputError, match="not a saved dataset"):
        write_table(ROWS, folder, "hf")
    with pytest.raises(OutputError, match="is a folder"):
        check_writable(folder, force=True)
    assert (folder / "notes.txt").read_text() == "precious"


def test_a_save_that_fails_midway_leaves_the_old_dataset_and_no_debris(tmp_path, monkeypatch):
    target = tmp_path / "rows.hf"
    write_table(ROWS, target, "hf")

    def half_written(self, path, **_):
        Path(path).mkdir()
        (Path(path) / "data-00000-of-00001.arrow").write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(datasets.Dataset, "save_to_disk", half_written)
    with pytest.raises(OSError, match="disk full"):
        write_table(ROWS.head(1), target, "hf")
    monkeypatch.undo()
    assert len(read(target)) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["rows.hf"]


def test_the_format_comes_from_the_name_or_the_option():
    assert output_format("out/rows.hf", None) == "hf"
    assert output_format("out/my_dataset", "hf") == "hf"
    with pytest.raises(ConfigError, match="ends in .csv but --format is hf"):
        output_format("rows.csv", "hf")


def test_without_the_library_the_run_is_refused_before_it_starts(monkeypatch, tmp_path):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "datasets" else real_find_spec(name, *a))
    with pytest.raises(ConfigError) as caught:
        GenerationConfig(data="d.csv", out=str(tmp_path / "rows.hf"))
    assert "pip install 'syngen[hf-datasets]'" in caught.value.one_line()


def _config(demo_paths, tmp_path, n=3, **extra):
    reviews, products = demo_paths
    return GenerationConfig(data=str(reviews), products=str(products), num_samples=n, seed=3,
                            out=str(tmp_path / "out.hf"), **extra)


def _run(config, backend):
    from syngen.generation.engine import run_generation
    from syngen.generation.session import prepare_session
    from syngen.output.paths import claim_output

    with claim_output(config.output_path(), config.force):
        return run_generation(config, session=prepare_session(config, backend=backend))


def _answers(request, index):
    from tests.fakes import review_answer

    return review_answer(request, index)  # true to its row: the demo's rating check passes it


def test_a_run_writes_the_dataset_and_its_sidecar_and_a_finished_run_removes_its_partial(demo_paths, tmp_path):
    from tests.fakes import ScriptedBackend

    with pytest.raises(GenerationIncomplete):
        _run(_config(demo_paths, tmp_path, n=40), ScriptedBackend(["not json"]))
    assert (tmp_path / "out.partial.hf" / "state.json").is_file()
    result = _run(_config(demo_paths, tmp_path), ScriptedBackend(_answers))
    assert read(tmp_path / "out.hf").equals(result.rows.astype(str).reset_index(drop=True))
    assert json.loads((tmp_path / "out.hf.syngen.json").read_text())["rows_delivered"] == 3
    assert not (tmp_path / "out.partial.hf").exists()
    with pytest.raises(OutputError, match="already exists"):
        check_writable(tmp_path / "out.hf", force=False)
    check_writable(tmp_path / "out.hf", force=True)  # a dataset SynGen wrote is replaced with --force


def test_generate_takes_format_hf_and_refuses_a_conflicting_name_in_one_line(demo_paths, tmp_path, capsys):
    from syngen.cli.main import main

    code = main(["generate", "--data", str(demo_paths[0]), "--format", "hf", "--out", str(tmp_path / "rows.csv")])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1 and "ends in .csv but --format is hf" in err
    assert not any(tmp_path.iterdir())


def test_evaluate_reads_a_dataset_folder_like_a_file(demo_paths, tmp_path):
    from syngen.evaluation import evaluate_files
    from tests.fakes import ScriptedBackend

    _run(_config(demo_paths, tmp_path), ScriptedBackend(_answers))
    report = evaluate_files(demo_paths[0], tmp_path / "out.hf", embeddings=False, calibration=False)
    assert report.rows == 3 and report.synthetic.format == "hf"
    assert report.synthetic.expected_rows == 3 and report.synthetic.expected_source == "sidecar"
