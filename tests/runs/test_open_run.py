"""open_run(): the one way a run is opened (CLI, app, experiment, Python API). What a user would notice: a
run opened and left is released (its run directory and output can be used at once), a resumed run says
how many rows it kept before any is made, and the chunk size follows the backend and the rows asked."""

import pytest

from syngen.errors import ConfigError
from syngen.generation.config import GenerationConfig
from syngen.generation.session import prepare_session
from syngen.runs import open_run
from syngen.runs.executors import LocalExecutor, open_executor
from syngen.runs.sinks import MIN_CHUNK, chunk_size_for
from tests.fakes import ScriptedBackend
from tests.scale.helpers import BatchSensitiveBackend, position_of, seeded_answer


@pytest.fixture
def config(demo_paths, tmp_path):
    reviews, products = demo_paths
    return GenerationConfig(data=str(reviews), products=str(products), num_samples=6, seed=0,
                            out=str(tmp_path / "o.csv"), run_dir=str(tmp_path / "o.csv.run"))


def test_a_run_opened_and_left_is_released(config):
    session = prepare_session(config, backend=ScriptedBackend(seeded_answer))
    with open_run(config, session=session) as run:
        assert run.rows_kept == 0 and isinstance(run.executor, LocalExecutor)
        with pytest.raises(ConfigError, match="another syngen process|already"), open_run(config, session=session):
            pass  # the output (and its run directory) is held by the first
    with open_run(config, session=session) as run:  # released: opens again, and runs
        result = run.execute()
    assert len(result.rows) == 6 and result.sidecar["executor"] == {"name": "local"}


def test_a_resumed_run_says_what_it_kept_before_making_any(config):
    backend = ScriptedBackend(seeded_answer)
    with open_run(config, session=prepare_session(config, backend=backend)) as run:
        run.execute()
    bigger = config.model_copy(update={"num_samples": 9, "force": True})
    again = ScriptedBackend(seeded_answer)
    with open_run(bigger, session=prepare_session(bigger, backend=again)) as run:
        kept = run.rows_kept
        assert kept >= 6 and again.requests == [], "nothing is made before execute()"
        result = run.execute()
    assert len(result.rows) == 9 and all(position_of(r) >= kept for r in again.requests)


@pytest.mark.parametrize(("batch", "asked", "size"), [(1, 5, 5), (1, 100, MIN_CHUNK), (4, 100, 8), (8, 3, 3),
                                                      (16, 100, 32), (8, 12, 12)])
def test_the_chunk_is_two_batches_of_the_backend_but_never_more_than_the_rows_asked(batch, asked, size):
    assert chunk_size_for(batch, asked) == size


def test_the_local_executor_makes_whole_aligned_chunks_with_one_batch_each(config):
    backend = BatchSensitiveBackend(batch=3)
    session = prepare_session(config, backend=backend)
    chunks = list(open_executor(session).chunks(range(3, 9), 3))
    assert [[o.position for o in chunk] for chunk in chunks] == [[3, 4, 5], [6, 7, 8]]
    assert [sorted(batch) for batch in backend.batches[:1]] == [[3, 4, 5]], "a chunk goes as one batch"
    assert all(max(b) // 3 == min(b) // 3 for b in backend.batches), "a batch never mixes two chunks"
