"""`syngen generate`'s options come from GenerationConfig: choices and defaults are stated once, in the model."""

from __future__ import annotations

from typing import get_args

import click
import pytest

from syngen.cli.generate import generate
from syngen.cli.main import main
from syngen.generation.config import PROMPT_TYPES, GenerationConfig, OutputFormat, PromptType

FIELDS = GenerationConfig.model_fields


def _options() -> dict[str, click.Option]:
    names = {"format_": "format"}
    return {names.get(p.name, p.name): p for p in generate.params
            if names.get(p.name, p.name) in FIELDS and not p.multiple}  # repeatable ones are parsed per column


def test_every_config_option_leaves_its_default_to_the_configuration():
    options = _options()
    assert len(options) >= 25
    assert all(option.default is None for option in options.values())  # else a run file's value would lose
    assert list(options["prompt_type"].type.choices) == list(PROMPT_TYPES) == list(get_args(PromptType))
    assert list(options["format"].type.choices) == list(get_args(OutputFormat))
    assert list(options["complexity"].type.choices) == ["low", "match", "high"]
    assert options["force"].is_flag and options["num_samples"].type is click.INT


def test_the_help_shows_the_configurations_defaults(capsys):
    assert main(["generate", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for field in ("num_samples", "seed", "temperature", "candidates", "few_shot", "max_rows_per_file", "executor"):
        assert f"[default: {FIELDS[field].default}]" in shown, field


@pytest.mark.parametrize(("args", "fragments"), [
    (["--candidates", "9"], ["--candidates 9", "less than or equal to 8"]),
    (["--temperature", "3"], ["--temperature 3", "less than or equal to 2"]),
    (["--few-shot", "11"], ["--few-shot 11", "less than or equal to 10"]),
])
def test_a_value_out_of_the_configurations_bounds_is_one_line(capsys, tmp_path, args, fragments):
    data = tmp_path / "d.csv"
    data.write_text("note\nA fine day out.\n")
    assert main(["generate", "--data", str(data), "--out", str(tmp_path / "o.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and all(f in err for f in fragments), err
