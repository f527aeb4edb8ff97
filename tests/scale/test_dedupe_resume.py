"""The near-duplicate index survives a crash: a resumed run rebuilds it from the rows in the shards, so a near
copy of a row accepted before the crash is refused after it."""

import json
from pathlib import Path

import pytest

from syngen.generation.dedupe import DuplicateIndex
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend
from tests.scale.helpers import (
    SEED_STEP,
    Crash,
    crashing_at,
    position_of,
    read_shard_records,
    seeded_answer,
)

CRASH = 9  # after the first chunk of rows made together (engine.MIN_CHUNK)


def first_attempt(request, seed: int = 0) -> bool:
    return (request.seed - seed * 1_000_003) % (2**31) % SEED_STEP == 0  # RowMaker: + position * 31 + attempt


def run(config, backend):
    return run_generation(config, session=prepare_session(config, backend=backend))


def test_a_resumed_run_refuses_a_near_copy_of_a_row_kept_before_the_crash(scripted_config):
    config = scripted_config(n=12)
    with pytest.raises(Crash):
        run(config, crashing_at(CRASH))
    kept = {r["position"]: r["row"] for r in read_shard_records(Path(config.run_dir))}
    assert kept, "rows made before the crash are in the shards"
    words = kept[min(kept)]["text"].split()
    near = " ".join([words[0], words[2], words[1], *words[3:]])  # two of 12 words swapped: ratio about 95

    def reply(request, index):
        # A few positions' first answer is the near copy: where the text checks let it through (they judge its
        # length against the position's target), only the index rebuilt from the shards can refuse it.
        if first_attempt(request) and CRASH <= position_of(request) < CRASH + 4:
            return json.dumps({**json.loads(seeded_answer(request, index)), "text": near})
        return seeded_answer(request, index)

    result = run(config, ScriptedBackend(reply))
    assert result.sidecar["rejections"].get("duplicate_near_copy", 0) >= 1
    assert near not in set(result.rows["text"]) and len(result.rows) == 12
    index = DuplicateIndex()
    for text in result.rows["text"]:
        assert index.check(text) is None, f"{text!r} copies a row of the same table"
        index.add(text)
