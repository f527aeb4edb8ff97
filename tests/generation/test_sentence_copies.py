"""Every text column of sentences is kept from copying, not only the main one: a helpdesk table's subjects are
each one person's words (all distinct), and a small model shown three tickets copies their subjects."""

import json
import random

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from tests.fakes import ScriptedBackend

DEVICES = ["laptop", "printer", "monitor", "docking station", "keyboard", "headset", "phone", "scanner"]
FAULTS = ["keeps freezing", "will not start", "shows no picture", "drops the connection", "makes a loud noise"]
PLACES = ["in room", "on floor", "at desk", "in building", "near office"]


def _subject(rng: random.Random, number: int) -> str:
    return f"{rng.choice(DEVICES).capitalize()} {rng.choice(FAULTS)} {rng.choice(PLACES)} {number}"


WORDS = ["screen", "cable", "driver", "update", "error", "restart", "window", "login", "password", "office",
         "battery", "charger", "sound", "wifi", "router", "meeting", "badge", "account", "folder", "drive", "shared",
         "access", "email", "calendar", "invite", "server", "backup", "slow", "noisy", "broken", "blank", "flicker",
         "crash", "freeze", "reboot", "patch", "vendor", "ticket", "urgent", "team", "manager", "deadline"]


def _description(rng: random.Random) -> str:
    """Words in an order of its own: no two descriptions are near copies."""
    return f"My {rng.choice(DEVICES)} {rng.choice(FAULTS)} again. " + " ".join(rng.sample(WORDS, 14)).capitalize() + "."


def _table(path) -> list[str]:
    rng = random.Random(0)
    rows = [{"category": rng.choice(["hardware", "network"]), "subject": _subject(rng, 100 + i),
             "description": _description(rng)} for i in range(60)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return [row["subject"] for row in rows]


def test_a_subject_copied_from_a_real_ticket_is_rejected_and_asked_again(tmp_path):
    data = tmp_path / "tickets.csv"
    real_subjects = _table(data)
    rng = random.Random(1)

    def answers(request, index):
        subject = real_subjects[index] if index in (0, 2, 3) else _subject(rng, 500 + index)  # 3 word for word
        return json.dumps({"subject": subject, "description": _description(rng)})

    config = GenerationConfig(data=str(data), num_samples=6, seed=3, out=str(tmp_path / "out.csv"),
                              topic_check=False, stock_check=False)
    result = run_generation(config, session=prepare_session(config, backend=ScriptedBackend(answers)))

    assert len(result.rows) == 6
    assert not set(result.rows["subject"]) & set(real_subjects)
    assert result.sidecar["rejections"].get("exact_copy", 0) >= 3
