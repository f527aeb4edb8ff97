"""A table read in a legacy encoding (the SMS spam collection's cp1252, read with `encoding="latin-1"` in the
notebooks that use it) is written back in it, with its line ends, and a generated text that encoding cannot
write is rejected."""

from __future__ import annotations

import json
import random
import re

import pandas as pd

from syngen.generation.config import GenerationConfig
from syngen.generation.engine import run_generation
from syngen.generation.session import prepare_session
from syngen.output.writer import output_encoding, unwritable_characters, writable_encoding
from tests.fakes import ScriptedBackend, answer

HAM = ["ok lar see you at home later", "are you coming to the movie tonight", "sorry i will call you later",
       "i am on the bus now, be there soon", "did you eat yet? i am so hungry lol", "call me when you get home ok",
       "having crème brûlée at the café à côté lol"]  # letters that tell cp1252 from cp1250 (which reads £ as Ł)
SPAM = ["WINNER! Claim your £{n}00 prize now, text WIN to 8{n}086",
        "URGENT: your mobile won £{n},000 cash, call 0906{n}1",
        "FREE entry to win £{n}50 of vouchers, reply YES to 8{n}123",
        "Your £{n}00 bonus is waiting, call 0800{n}22 now"]


def _table(path, line_end: str = "\r\n") -> None:
    """A Windows export: cp1252, each line ending in CR LF."""
    rng = random.Random(4)
    rows = [("spam", rng.choice(SPAM).format(n=rng.randint(1, 9))) if i % 4 == 0 else ("ham", rng.choice(HAM) + f" {i}")
            for i in range(160)]
    frame = pd.DataFrame(rows, columns=["v1", "v2"])
    path.write_bytes(frame.to_csv(index=False, lineterminator=line_end).encode("cp1252"))


def _answers(request, index: int) -> str:
    """Each row's first answer ends with an emoji, which cp1252 has no bytes for; the next one does not."""
    label = re.search(r"^v1: (\w+)", request.messages[-1]["content"], re.M).group(1)
    n = index // 2 + 1
    text = f"WINNER! your mobile won £{n}00 cash, text WIN to 8{n}1 now" if label == "spam" else \
        f"ok lar i am on the bus, see you at home {n}"
    return answer(v2=text + (" 👍" if index % 2 == 0 else ""))


def test_the_output_keeps_the_tables_encoding_and_a_text_it_cannot_write_is_asked_again(tmp_path):
    data = tmp_path / "spam.csv"
    _table(data)
    out = tmp_path / "synthetic.csv"
    config = GenerationConfig(data=str(data), num_samples=6, seed=2, stock_check=False, out=str(out),
                              where={"v1": ["spam"]})  # texts with a pound sign
    session = prepare_session(config, backend=ScriptedBackend(_answers))
    assert session.table.encoding == "cp1252" and session.maker.checks.encoding == "cp1252"
    result = run_generation(config, session=session)
    assert result.sidecar["rejections"].get("wrong_format", 0) >= 6, result.sidecar["rejections"]
    assert out.read_bytes().count("£".encode("cp1252")) == 6, "one byte a pound sign, as the real file writes it"
    assert out.read_bytes().count(b"\r\n") == 7, "a header and six rows, each line ended as the real file's"
    written = pd.read_csv(out, encoding="cp1252", dtype=str)
    assert len(written) == 6 and not written["v2"].str.contains("👍").any()
    assert json.loads(out.with_name(out.name + ".syngen.json").read_text())["output_encoding"] == "cp1252"


def test_unwritable_characters_are_named_once_in_order():
    assert unwritable_characters("ok 👍 lar 👍 ✓ £5", "cp1252") == ["👍", "✓"]
    assert unwritable_characters("ok 👍 lar", "utf-8") == []


def test_ascii_tables_are_written_as_utf8_and_a_cell_the_encoding_cannot_write_falls_back_to_it():
    assert output_encoding("ascii") == "utf-8" and output_encoding("cp1252") == "cp1252"
    assert writable_encoding(pd.DataFrame({"a": ["£5"]}), "cp1252") == "cp1252"
    assert writable_encoding(pd.DataFrame({"a": ["✓ done"]}), "cp1252") == "utf-8"


def test_a_table_with_plain_line_ends_is_written_with_them(tmp_path):
    data = tmp_path / "spam.csv"
    _table(data, line_end="\n")
    out = tmp_path / "synthetic.csv"
    config = GenerationConfig(data=str(data), num_samples=2, seed=2, stock_check=False, out=str(out))
    run_generation(config, session=prepare_session(config, backend=ScriptedBackend(_answers)))
    assert b"\r" not in out.read_bytes() and out.read_bytes().count(b"\n") == 3
