"""Conditions through a whole run with rejections: the rows delivered keep --where after top-ups, keep a
--distribution as far as the rejections let them, and the sidecar says how far that was (TVD)."""

from __future__ import annotations

import json
import random
import zlib

import pandas as pd
import pytest

from syngen.backends.base import Backend, Generation, GenerationRequest
from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session

WORDS = ["box", "lid", "tape", "label", "truck", "door", "rain", "note", "bell", "desk", "van", "road", "gate",
         "yard", "shelf", "crate", "paper", "string", "stamp", "scale", "window", "porch", "step", "driver"]


@pytest.fixture(scope="module")
def parcels(tmp_path_factory):
    rng = random.Random(3)
    rows = [{"depot": rng.choice(["north", "north", "south", "east"]), "fragile": rng.choice(["yes", "no", "no"]),
             "note": f"parcel {i} " + " ".join(rng.sample(WORDS, 14)) + "."} for i in range(150)]
    path = tmp_path_factory.mktemp("parcels") / "parcels.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


class Refusing(Backend):
    """Writes a varied parcel note for each request (the same for the same request), but nothing usable for
    the rows whose prompt `refuse` picks, on every attempt: those plan positions are rejected and topped up
    from the positions after N."""

    name = "scripted"
    supports_schema = True

    def __init__(self, refuse) -> None:
        super().__init__()
        self.refuse = refuse

    def load(self) -> None:
        """Nothing to load."""

    def generate(self, request: GenerationRequest) -> Generation:
        if self.refuse(request.messages[1]["content"]):
            return Generation(text="I cannot help with that.", tokens_in=50, tokens_out=5, model="scripted")
        number = zlib.crc32(json.dumps([request.messages, request.seed]).encode())
        fields = {}
        for name, spec in request.json_schema["properties"].items():
            text = f"parcel {number % 100_000} " + " ".join(random.Random(number).sample(WORDS, 14))
            fields[name] = text[: spec.get("maxLength", 200) - 1].rsplit(" ", 1)[0] + "."
        return Generation(text=json.dumps(fields), tokens_in=50, tokens_out=20, model="scripted")


def run(parcels, tmp_path, refuse, n: int = 40, **conditions):
    config = GenerationConfig(data=str(parcels), model="scripted", num_samples=n, out=str(tmp_path / "o.csv"),
                              **conditions)
    return run_generation(config, session=prepare_session(config, backend=Refusing(refuse)))


def a_third(prompt: str) -> bool:
    return zlib.crc32(prompt.encode()) % 3 == 0


def test_rows_topped_up_after_rejections_keep_where_and_stay_near_the_distribution(parcels, tmp_path):
    result = run(parcels, tmp_path, a_third, where={"depot": ["south", "east"]},
                 distribution={"fragile": {"yes": 0.5, "no": 0.5}})
    rows, sidecar = result.rows, result.sidecar
    assert sidecar["plan_positions_tried"] > 45  # about a third refused, and topped up
    assert len(rows) == 40 and set(rows["depot"]) <= {"south", "east"}
    fragile = sidecar["conditions"]["fragile"]
    assert fragile["tvd"] <= 0.1  # refusals unrelated to the value: the top-ups keep the shares
    assert fragile["tvd"] == pytest.approx(abs((rows["fragile"] == "yes").mean() - 0.5), abs=1e-3)


def test_rejections_of_one_value_skew_the_rows_and_the_sidecar_says_by_how_much(parcels, tmp_path):
    result = run(parcels, tmp_path, lambda prompt: "fragile: yes" in prompt, n=20,
                 distribution={"fragile": {"yes": 0.5, "no": 0.5}})  # a model that cannot write one value
    assert set(result.rows["fragile"]) == {"no"}
    assert result.sidecar["conditions"]["fragile"] == {"source": "distribution", "target": {"yes": 0.5, "no": 0.5},
                                                       "delivered": {"no": 1.0}, "tvd": 0.5}


def test_a_resumed_run_asked_for_more_rows_keeps_the_shares_exact(parcels, tmp_path):
    """The plan does not depend on N: the first 12 rows are kept, and the 30 hold the shares as exactly."""
    conditions = {"distribution": {"fragile": {"yes": 0.5, "no": 0.5}}, "run_dir": str(tmp_path / "o.run")}
    first = run(parcels, tmp_path, lambda prompt: False, n=12, **conditions).rows
    more = run(parcels, tmp_path, lambda prompt: False, n=30, force=True, **conditions).rows
    assert more.iloc[:12].equals(first)
    assert more["fragile"].value_counts().to_dict() == {"yes": 15, "no": 15}
