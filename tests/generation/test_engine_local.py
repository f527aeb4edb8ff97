"""The embedded model end to end: real llama.cpp inference on SmolLM2-135M, small N."""

import pandas as pd
import pytest

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.profiling.conformance import row_problems

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def real_run(reviews_path, products_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "rows.csv"
    config = GenerationConfig(data=str(reviews_path), products=str(products_path), prompt_type="base",
                              num_samples=6, seed=11, out=str(out))
    return run_generation(config), config


def test_rows_are_valid_new_and_on_the_catalogue(real_run, real_profile):
    result, _ = real_run
    table, catalogue, profile = real_profile
    frame = pd.read_csv(result.output_path, dtype=str, keep_default_na=False)
    assert len(frame) == 6
    for row in frame.to_dict("records"):
        assert row_problems(profile, row) == []
    assert frame["user_id"].is_unique and not set(frame["user_id"]) & set(table.frame["user_id"])
    assert set(frame["parent_asin"]) <= set(catalogue.item_keys())
    assert not set(frame["text"]) & set(table.frame["text"])
    assert all(frame["text"].str.len() > 0)


def test_sidecar_records_the_run(real_run):
    result, config = real_run
    sidecar = result.sidecar
    assert sidecar["model"]["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert len(sidecar["model"]["model_sha256"]) == 64
    assert sidecar["rows_delivered"] == 6 and sidecar["tokens_out"] > 0
    assert sidecar["config"]["seed"] == 11 and sidecar["few_shot_rows"]


def test_same_seed_same_rows(real_run, tmp_path):
    result, config = real_run
    again = run_generation(config.model_copy(update={"out": str(tmp_path / "again.csv")}))
    assert again.rows.to_dict("records") == result.rows.to_dict("records")


def test_the_longest_real_review_length_compiles_and_runs_in_llama_cpp(real_profile, tmp_path):
    """A grammar for the real data's longest text once crashed llama.cpp; run it in a child process so a
    crash fails this test instead of the whole suite."""
    import subprocess
    import sys

    code = (
        "from syngen.backends.local import LocalBackend\n"
        "from syngen.backends.base import GenerationRequest\n"
        "from syngen.generation.schema import answer_schema\n"
        "import json, sys\n"
        "limits = json.loads(sys.argv[1])\n"
        "answer = LocalBackend().generate(GenerationRequest([{'role': 'user', 'content': 'Write a long review.'}],"
        " answer_schema({k: tuple(v) for k, v in limits.items()}), max_tokens=8, seed=1))\n"
        "print('tokens', answer.tokens_out)\n"
    )
    from syngen.generation.schema import field_limits
    from syngen.sampling.planner import Skeleton

    limits = field_limits(real_profile[2], Skeleton(0, {}, {"title": 23, "text": 410}), tolerance=0.35)
    import json

    result = subprocess.run([sys.executable, "-c", code, json.dumps(limits)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-500:]
    assert "tokens 8" in result.stdout


@pytest.fixture(scope="module")
def demo_run(demo_paths, tmp_path_factory):
    reviews, products = demo_paths
    out = tmp_path_factory.mktemp("demo") / "rows.csv"
    config = GenerationConfig(data=str(reviews), products=str(products), num_samples=12, seed=7, out=str(out))
    return run_generation(config)


def test_demo_rows_agree_with_their_rating_and_carry_no_prompt_fragments(demo_run, demo_paths):
    """What a newcomer reads first: the quick start's rows. The text checks are learned from the demo data, so
    the figures below come from the project's own consistency property, trained on the real rows."""
    from syngen.data.loader import load_table
    from syngen.evaluation.context import EvalContext
    from syngen.evaluation.properties import consistency
    from syngen.profiling import load_catalogue, profile_table

    table = load_table(demo_paths[0])
    profile = profile_table(table, load_catalogue(demo_paths[1], table))
    result = consistency.measure(EvalContext(real=table.frame, synthetic=demo_run.rows, profile=profile))
    metrics = {(m.metric, m.column): m for m in result.metrics}
    assert metrics[("prompt_fragment_share", "text")].raw == 0
    assert metrics[("prompt_fragment_share", "title")].raw == 0
    assert metrics[("cut_text_share", "text")].raw == 0  # the grammar lets a text close only on a sentence end
    agreement = metrics[("label_agreement:rating", "title")]
    # 12 rows over five ratings, most of them with a row or two: noisy, so this asks only that titles do not
    # read against their rating more than chance would.
    assert agreement.raw >= agreement.details["chance"] - 0.1
    assert any(c["checked"] for c in demo_run.sidecar["label_checks"])
