"""An answer that copies one of its examples is asked again with another real row in that example's place,
whatever it was rejected for (a 5-star title copied from an example and rejected as not reading like 5 stars was
written again and again with the same example shown); the retry is still told a reason that is not the copy."""

import json
import random

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend
from tests.generation.test_example_openings import _text


def test_an_answer_rejected_for_another_reason_while_copying_an_example_is_asked_again_without_it(tmp_path):
    rng = random.Random(0)
    texts = [_text(rng) for _ in range(60)]
    data = tmp_path / "notes.csv"
    pd.DataFrame({"note": texts}).to_csv(data, index=False)
    shown: list[list[str]] = []
    prompts: list[str] = []

    def answers(request, index):
        prompt = " ".join(message["content"] for message in request.messages)
        shown.append([text for text in texts if text in prompt])
        prompts.append(prompt)
        if index == 0:  # its first example and a template marker: a prompt fragment, and a copy of that example
            return json.dumps({"note": shown[0][0].replace(" ", " {x} ", 1)})
        return json.dumps({"note": _text(rng)})

    config = GenerationConfig(data=str(data), num_samples=3, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))

    assert len(result.rows) == 3 and result.sidecar["rejections"] == {"prompt_fragment": 1}
    retry = shown[-1]  # the rejected row's second attempt, after the other rows' first
    assert shown[0][0] not in retry and set(shown[0][1:]) <= set(retry)
    assert "An earlier answer was rejected" in prompts[-1] and "never do" in prompts[-1]
