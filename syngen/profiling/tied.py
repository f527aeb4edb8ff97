"""Short free text that says what its row's text is about is written by the model with that text.

A column of a few words, mostly distinct (names, handles, places), is drawn by a sampler of its words or
characters, apart from the row's text. Where the text tells the value, that makes pairs no one would train on: a
Jeopardy! clue about Galileo's house arrest answered "Cinco de Magellanticaca", a C# question tagged
`<php><formance>`. So such a column is tied to the table's main text when the two say the same thing: MiniLM's
sentence vectors of each real value and its own row's text are closer than those of the value and another row's
text, in TIED_AUC of the pairs or more (the area under the curve). Measured (150-160 rows each): Jeopardy! answers
0.97 and categories 0.95, Stack Overflow tags 0.99; a wine's winery 0.55, region 0.61 and designation 0.56 against
its tasting note. A tied column is a text column of the model's, like a title: written, and checked, with its row.
Only a column of plain words is tied: asked to write the tags too (`<c#><linq>`), the embedded model wrote the
question's HTML into a broken object and made 0 of 8 Stack Overflow rows (8 of 8 with the tags drawn).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from syngen.profiling.embedder import Encoder, sentence_encoder

TIED_AUC = 0.8
_MARKUP = re.compile(r"[<>{}\[\]|#@]")  # tags, handles and lists, not words
PLAIN_SHARE = 0.9  # of the values free of markup
SAMPLE_ROWS = 200  # pairs judged: enough to tell 0.6 from 0.8, a few seconds of MiniLM on 2 cores
MIN_ROWS = 30
OTHER_ROW = 7  # a value is set against the text this many rows on (rows next to each other can be alike)


def tied_share(values: pd.Series, texts: pd.Series, encoder: Encoder | None = None) -> float | None:
    """How often a value's sentence vector is nearer its own row's text than another row's (AUC over the
    pairs); None when fewer than MIN_ROWS rows hold both, or the values are not plain words."""
    both = (values.astype(str).str.strip() != "") & (texts.astype(str).str.strip() != "")
    rows = np.flatnonzero(both.to_numpy())
    if len(rows) < MIN_ROWS or values.iloc[rows].astype(str).str.contains(_MARKUP).mean() > 1 - PLAIN_SHARE:
        return None
    rows = rows[np.linspace(0, len(rows) - 1, min(SAMPLE_ROWS, len(rows))).astype(int)]
    encoder = encoder or sentence_encoder()
    own = encoder.encode(values.iloc[rows].astype(str).tolist())
    text = encoder.encode(texts.iloc[rows].astype(str).tolist())
    matched = (own * text).sum(axis=1)
    other = (own * np.roll(text, OTHER_ROW, axis=0)).sum(axis=1)
    return float((matched[:, None] > other[None, :]).mean() + 0.5 * (matched[:, None] == other[None, :]).mean())
