"""Dumps that escape a quote with a backslash (MySQL's `\\"`, NULL as `\\N`) are read as they mean; a file that
doubles its quotes keeps a backslash before a quote as text (JSON in a cell)."""

import json

import pandas as pd

from syngen.data.loader import read_table_bytes


def _dump(rows: int = 40) -> bytes:
    lines = ['"id","comment","helpful"']
    for i in range(rows):
        comment = f'Day {i}: she said \\"wow\\", then bought two' if i % 3 == 0 else f"Plain words, day {i}"
        helpful = "\\N" if i % 4 == 1 else str(i % 9)
        lines.append(f'"{i}","{comment}",{helpful}')
    return ("\n".join(lines) + "\n").encode()


def test_a_dump_escaping_quotes_with_backslashes_is_read_as_it_means():
    table = read_table_bytes(_dump(), source="dump.csv")
    assert table.frame.shape == (40, 3)
    assert table.frame["comment"][0] == 'Day 0: she said "wow", then bought two'
    assert table.missing == {"helpful": "\\N"} and (table.frame["helpful"] == "").sum() == 10


def test_a_file_doubling_its_quotes_keeps_backslashes_before_quotes():
    frame = pd.DataFrame({"payload": [json.dumps({"a": f'he said "hi" {i} times'}) for i in range(30)],
                          "note": [f"some words for row {i}" for i in range(30)], "empty": [""] * 30})
    table = read_table_bytes(frame.to_csv(index=False).encode(), source="json_cells.csv")
    assert table.frame["payload"].tolist() == frame["payload"].tolist()
