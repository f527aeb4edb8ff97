"""`syngen generate` with conditions (--where, --distribution, --balance) and run files (--config RUN.yaml,
and OUT.config.yaml written beside every output), as a user meets them. The model is a schema-filling
stand-in: what is tested is which rows are planned and how the configuration travels, not the text."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from syngen.backends import registry
from syngen.cli.main import main

FRUIT = ["apple", "pear", "plum", "fig", "lime"]
WHEN = ["late", "early", "on time", "in a box", "wet"]


@pytest.fixture(autouse=True)
def scripted_backend(monkeypatch):
    monkeypatch.setitem(registry._BUILT_IN, "scripted", "tests.fakes:SchemaFillingBackend")


@pytest.fixture(scope="module")
def orders(tmp_path_factory) -> Path:
    """120 orders: a shop that fixes its town, a skewed yes/no written 'yes'/'no', a zero-padded code, an
    amount and a comment."""
    folder = tmp_path_factory.mktemp("orders")
    rng = random.Random(8)  # comments that predict no column: the stand-in model's text must pass the checks
    rows = []
    for i in range(120):
        shop = ["north", "south", "east"][i % 7 % 3]
        rows.append({"shop": shop, "town": {"north": "Oslo", "south": "Rome", "east": "Kyiv"}[shop],
                     "gift": "yes" if i % 5 == 0 else "no", "code": f"0{i % 4}", "amount": f"{3 + (i * 37) % 90}.50",
                     "comment": f"order {i} of {' and '.join(rng.sample(FRUIT, 2))} came {rng.choice(WHEN)}."})
    path = folder / "orders.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def generate(capsys, *args: str) -> tuple[int, str]:
    code = main(["generate", "--model", "scripted", "--quiet", *args])
    return code, capsys.readouterr().err


def rows_of(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_where_and_distribution_hold_in_the_rows_and_the_sidecar_records_them(capsys, orders, tmp_path):
    out = tmp_path / "o.csv"
    code, err = generate(capsys, "--data", str(orders), "--num-samples", "20", "--out", str(out),
                         "--where", "town=Oslo,Kyiv", "--distribution", "gift=yes:0.5,no:0.5")
    assert code == 0, err
    rows = rows_of(out)
    assert set(rows["town"]) <= {"Oslo", "Kyiv"} and rows["gift"].value_counts().to_dict() == {"yes": 10, "no": 10}
    towns = {"north": "Oslo", "south": "Rome", "east": "Kyiv"}
    assert all(towns[shop] == town for shop, town in zip(rows["shop"], rows["town"], strict=True))
    conditions = json.loads(out.with_name("o.csv.syngen.json").read_text())["conditions"]
    assert conditions["gift"] == {"source": "distribution", "target": {"yes": 0.5, "no": 0.5},
                                  "delivered": {"yes": 0.5, "no": 0.5}, "tvd": 0.0}
    assert conditions["town"]["source"] == "where" and conditions["town"]["tvd"] < 0.05


def test_balance_makes_each_real_value_as_often(capsys, orders, tmp_path):
    out = tmp_path / "b.csv"
    code, err = generate(capsys, "--data", str(orders), "--num-samples", "12", "--out", str(out), "--balance", "shop")
    assert code == 0, err
    assert rows_of(out)["shop"].value_counts().to_dict() == {"north": 4, "south": 4, "east": 4}


def test_the_run_file_beside_the_output_makes_the_same_rows_from_anywhere(capsys, orders, tmp_path, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(orders, folder / "orders.csv")
    out = folder / "first.csv"
    code, err = generate(capsys, "--data", str(folder / "orders.csv"), "--num-samples", "8", "--seed", "3",
                         "--out", str(out), "--where", "code=01,03", "--kind", "amount=float")
    assert code == 0, err
    run_file = folder / "first.csv.config.yaml"
    saved = yaml.safe_load(run_file.read_text())
    assert saved["data"] == "orders.csv" and saved["out"] == "first.csv"  # relative to the file: the folder moves
    assert saved["columns"] == {"amount": {"kind": "float"}, "code": {"values": ["01", "03"]}}
    moved = tmp_path / "moved"
    shutil.move(folder, moved)
    shutil.rmtree(moved / "first.csv.run")
    (moved / "first.csv").rename(moved / "kept.csv")
    (moved / "first.csv.syngen.json").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, err = generate(capsys, "--config", str(moved / "first.csv.config.yaml"))
    assert code == 0, err
    assert rows_of(moved / "first.csv").equals(rows_of(moved / "kept.csv"))
    code, err = generate(capsys, "--config", str(moved / "first.csv.config.yaml"), "--out", "again.jsonl")
    assert code == 0, err  # another --out's extension sets the format, whatever the file said
    again = pd.read_json(elsewhere / "again.jsonl", lines=True, dtype=str)
    assert again["code"].tolist() == rows_of(moved / "kept.csv")["code"].tolist()
    assert set(rows_of(moved / "kept.csv")["code"]) <= {"01", "03"}


def test_a_hand_written_run_file_with_per_column_settings_and_flags_on_top(capsys, orders, tmp_path):
    run_file = tmp_path / "run.yaml"
    run_file.write_text(f"""
data: {orders}
num-samples: 30
seed: 4
columns:
  gift: {{values: [yes]}}
  shop: {{distribution: {{north: 0.5, south: 0.5}}}}
  amount: {{range: [10, 20]}}
""")
    out = tmp_path / "h.csv"
    code, err = generate(capsys, "--config", str(run_file), "--num-samples", "10", "--out", str(out),
                         "--balance", "shop")
    assert code == 0, err
    rows = rows_of(out)
    assert len(rows) == 10 and set(rows["gift"]) == {"yes"}  # `yes` stays the text in the data
    assert rows["amount"].astype(float).between(10, 20).all()
    assert rows["shop"].value_counts().to_dict() in ({"north": 4, "south": 3, "east": 3},
                                                     {"north": 3, "south": 4, "east": 3},
                                                     {"north": 3, "south": 3, "east": 4})  # --balance replaced it
    written = yaml.safe_load(out.with_name("h.csv.config.yaml").read_text())
    assert written["num_samples"] == 10 and written["columns"]["shop"] == {"balance": True}


@pytest.mark.parametrize(("args", "says"), [
    (["--where", "town=Paris"], "'Paris' never occurs in column 'town'. Its values are: Oslo, Rome, Kyiv"),
    (["--where", "comment=x"], "'comment' is a text column, not a category"),
    (["--balance", "nowhere"], "the data has no column 'nowhere'"),
    (["--where", "gift=yes", "--balance", "gift"], "--where and --balance both set column 'gift'"),
    (["--distribution", "gift=yes:0.7,no:0.7"], "the shares add up to 1.4, not 1"),
    (["--distribution", "gift=yes"], "'yes' is not VALUE:SHARE"),
    (["--where", "gift"], "--where 'gift' is not COLUMN=VALUES"),
])
def test_a_condition_that_cannot_be_met_is_one_line_and_writes_nothing(capsys, orders, tmp_path, args, says):
    out = tmp_path / "x" / "o.csv"
    code, err = generate(capsys, "--data", str(orders), "--out", str(out), *args)
    assert code != 0 and says in err, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert not out.parent.exists() or not any(out.parent.iterdir())


@pytest.mark.parametrize(("content", "says"), [
    (None, "does not exist"),
    ("data: [unclosed\n", "is not valid YAML at line"),
    ("- just\n- a list\n", "does not hold options"),
    ("data: d.csv\nnum_sample: 3\n", "'num_sample' is not a generate option"),
    ("data: d.csv\ncolumns:\n  gift: {valuse: [yes]}\n", "columns: gift: valuse: Extra inputs are not permitted"),
])
def test_a_bad_run_file_is_one_line(capsys, tmp_path, content, says):
    run_file = tmp_path / "run.yaml"
    if content is not None:
        run_file.write_text(content)
    code, err = generate(capsys, "--config", str(run_file))
    assert code != 0 and says in err, err
    assert len(err.strip().splitlines()) == 1


def test_resume_and_config_together_are_refused(capsys, tmp_path):
    code, err = generate(capsys, "--config", str(tmp_path / "r.yaml"), "--resume", str(tmp_path / "r.run"))
    assert code != 0 and "--resume and --config cannot be used together" in err


def test_a_run_file_never_holds_a_key_and_asks_again_for_a_masked_url(capsys, orders, tmp_path):
    from syngen.generation.config import GenerationConfig
    from syngen.generation.config_file import dump_run_file

    config = GenerationConfig(data=str(orders), model="openai", base_url="http://ann:s3cret@127.0.0.1:9/v1",
                              backend_options={"api_key": "sk-live-123", "extra_body": {"top_k": 20}})
    run_file = tmp_path / "o.csv.config.yaml"
    run_file.write_text(dump_run_file(config, run_file))
    text = run_file.read_text()
    assert "s3cret" not in text and "sk-live-123" not in text and "top_k: 20" in text
    code, err = generate(capsys, "--config", str(run_file))
    assert code != 0 and "base_url had a user and password, which are not saved. Give the same --base-url again" in err


def test_derived_columns_are_computed_from_each_row_and_rerun_from_the_run_file(capsys, orders, tmp_path):
    run_file = tmp_path / "run.yaml"
    run_file.write_text(f"""
data: {orders}
num_samples: 8
columns:
  label: {{derived: "{{{{ shop }}}}/{{{{ town }}}}"}}
  gift: {{derived: "{{{{ 'big' if amount|float > 50 else 'small' }}}}"}}
  shout: {{derived: "{{{{ label|upper }}}}"}}
""")
    out = tmp_path / "d.csv"
    code, err = generate(capsys, "--config", str(run_file), "--out", str(out))
    assert code == 0, err
    rows = rows_of(out)
    assert list(rows.columns) == ["shop", "town", "gift", "code", "amount", "comment", "label", "shout"]
    assert (rows["label"] == rows["shop"] + "/" + rows["town"]).all()
    assert (rows["shout"] == rows["label"].str.upper()).all()
    assert (rows["gift"] == rows["amount"].astype(float).gt(50).map({True: "big", False: "small"})).all()
    sidecar = json.loads(out.with_name("d.csv.syngen.json").read_text())
    assert list(sidecar["derived_columns"]) == ["label", "gift", "shout"]
    again = tmp_path / "again.csv"
    code, err = generate(capsys, "--config", str(out.with_name("d.csv.config.yaml")), "--out", str(again))
    assert code == 0, err
    pd.testing.assert_frame_equal(rows_of(again), rows)


def test_derive_on_the_command_line_joins_the_run_files(capsys, orders, tmp_path):
    out = tmp_path / "c.csv"
    code, err = generate(capsys, "--data", str(orders), "--num-samples", "4", "--out", str(out),
                         "--derive", "cheap={{ 'yes' if amount|float <= 20 else 'no' }}")
    assert code == 0, err
    rows = rows_of(out)
    assert (rows["cheap"] == rows["amount"].astype(float).le(20).map({True: "yes", False: "no"})).all()
    written = yaml.safe_load(out.with_name("c.csv.config.yaml").read_text())
    assert written["columns"]["cheap"] == {"derived": "{{ 'yes' if amount|float <= 20 else 'no' }}"}


@pytest.mark.parametrize(("args", "says"), [
    (["--derive", "x={{ nowhere }}"], "derived column 'x' uses 'nowhere', which is not a generated column"),
    (["--derive", "x={{ shop "], "derived column 'x': unexpected end of template"),
    (["--derive", "x={{ shop + 1 }}"], "derived column 'x' fails on the data's first row"),
    (["--derive", "x={{ ''.__class__.__mro__[1].__subclasses__() }}"], "derived column 'x' fails on"),
    (["--derive", "town={{ shop }}", "--where", "town=Oslo"], "column 'town' is derived and also has --where"),
    (["--derive", "comment={{ shop }}"], "every text column is derived"),
    (["--derive", "x"], "--derive 'x' is not NAME=TEMPLATE"),
])
def test_a_bad_derived_column_is_one_line_before_the_run(capsys, orders, tmp_path, args, says):
    out = tmp_path / "x" / "o.csv"
    code, err = generate(capsys, "--data", str(orders), "--out", str(out), *args)
    assert code != 0 and says in err, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_evaluate_reads_rows_with_derived_columns_and_leaves_them_out(capsys, orders, tmp_path):
    from syngen.evaluation.inputs import load_synthetic

    out = tmp_path / "e.csv"
    code, err = generate(capsys, "--data", str(orders), "--num-samples", "4", "--out", str(out),
                         "--derive", "label={{ shop }}-{{ code }}")
    assert code == 0, err
    columns = list(rows_of(orders).columns)
    loaded = load_synthetic(out, columns, ["comment"])
    assert list(loaded.frame.columns) == columns and len(loaded.frame) == 4 and loaded.format == "csv"
    assert loaded.notes == ["column label not in the real table: not scored"]
