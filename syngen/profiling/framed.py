"""Find columns written mostly from the row's other values around a part that varies: a wine review's title
"Trimbach 2015 Pinot Noir (Alsace)" is its winery, a vintage no column holds, its variety and its region.

No single template writes such a column (profiling/composed.py needs one for nine rows in ten), and a model
writes it badly: shown "winery: Stemmari ... variety: Touriga Nacional", a small model titled the row
"Gård 2014 Estate Güellach (Pauillac)". Found here, the column is made like a derived one: each generated row
takes the frame of a real row whose same sources were filled (its fixed text and where each value stood) and
fills it with its own values, so the varying part (the vintage) keeps its real values and the rest agrees with
the row. No library infers such frames, hence this search over the values composed.py already finds standing
whole in a text.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from syngen.profiling.composed import _NOT_TARGETS, CHECK_ROWS, MIN_ROWS, _spots, _stands_in
from syngen.profiling.model import ColumnFrames, ColumnKind, DatasetProfile, Frame

MIN_COVER = 0.5  # of a value's characters, those its row's values make up for it to be framed
SHARE = 0.9  # of a column's filled values that must be framed so
MIN_UNIQUE = 0.5  # distinct values among the filled: a column of few values is a category, sampled as one
MIN_STANDING = 0.1  # of the filled values a source must stand whole in to be a slot
MAX_FRAMES = 500  # kept per column, spread over the real rows


def find_frames(frame: pd.DataFrame, profile: DatasetProfile, taken: set[str]) -> dict[str, ColumnFrames]:
    """Column -> its frames, for the columns framed by their rows' values; `taken`: columns already made
    otherwise (composed). A column another's frames use stays a source."""
    head = frame.head(CHECK_ROWS).fillna("").astype(str)
    if len(head) < MIN_ROWS:
        return {}
    sources = [c.name for c in profile.columns
               if c.kind not in {ColumnKind.DERIVED, ColumnKind.EMPTY} and c.name not in taken]
    found: dict[str, ColumnFrames] = {}
    for column in profile.columns:
        if column.kind in _NOT_TARGETS or column.name in taken:
            continue
        framed = _framed(head, column.name, [s for s in sources if s != column.name])
        if framed is not None:
            found[column.name] = framed
    used = {slot for framed in found.values() for slot in framed.sources}
    return {name: framed for name, framed in found.items() if name not in used}


def _framed(head: pd.DataFrame, target: str, sources: list[str]) -> ColumnFrames | None:
    filled = head[head[target].str.strip() != ""]
    if len(filled) < MIN_ROWS or filled[target].nunique() < MIN_UNIQUE * len(filled):
        return None
    standing = [s for s in sources
                if sum(map(_stands_in, filled[s], filled[target])) >= MIN_STANDING * len(filled)]
    if not standing:
        return None
    rows = filled[[target, *standing]].to_dict("records")
    frames = [(f, row) for row in rows if (f := _frame(row, target, standing)) is not None]
    if len(frames) < SHARE * len(filled):
        return None
    share = len(frames) / len(filled)
    frames = _usual([f for f, row in frames if not _ambiguous(f, row)] or [f for f, _ in frames])
    step = max(1, len(frames) // MAX_FRAMES)
    used = sorted({slot for f in frames for slot in f.slots}, key=standing.index)
    kept = [f.model_copy(update={"present": [s for s in f.present if s in used]}) for f in frames[::step][:MAX_FRAMES]]
    return ColumnFrames(sources=used, frames=kept, share=round(share, 3))


def _frame(row: dict[str, str], target: str, sources: list[str]) -> Frame | None:
    """The row's value as fixed text around its sources' values; None when they make up too little of it."""
    text, spots = _spots(row, target, sources)
    if not spots or sum(end - start for start, end, _ in spots) < MIN_COVER * len(text.strip()):
        return None
    texts, at = [], 0
    for start, end, _ in spots:
        texts.append(text[at:start])
        at = end
    return Frame(texts=[*texts, text[at:]], slots=[sources[i] for _, _, i in spots],
                 present=[s for s in sources if row[s].strip()])


def _ambiguous(frame: Frame, row: dict[str, str]) -> bool:
    """Whether a slot's value is another filled source's too ("Alsace", both province and region): which one
    stood there cannot be told, and the wrong one would name a region that is not the row's."""
    return any(row[slot] == row[other] for slot in frame.slots for other in frame.present if other != slot)


def _usual(frames: list[Frame]) -> list[Frame]:
    """For each pattern of filled sources, the frames placing as many of them as most do: a frame placing fewer
    kept a value as fixed text ("Trimbach" where the winery was spelt otherwise), which would name another's."""
    counts = Counter((tuple(f.present), len(f.slots)) for f in frames)
    usual = {}
    for (present, slots), count in counts.items():
        if count > counts.get((present, usual.get(present, -1)), 0):
            usual[present] = slots
    return [f for f in frames if len(f.slots) == usual[tuple(f.present)]]
