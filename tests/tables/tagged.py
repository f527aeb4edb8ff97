"""A hand-made multi-label table: support tickets whose text speaks of each of their tags."""

from __future__ import annotations

import numpy as np
import pandas as pd

PHRASES = {
    "billing": ["I was charged twice this month", "the invoice shows the wrong amount", "my card was billed again"],
    "login": ["I cannot sign in to my account", "the password reset link never works", "the app logs me out"],
    "shipping": ["the parcel has not arrived yet", "the courier left it at the wrong door", "delivery is a week late"],
    "refund": ["I want my money back", "please return the payment to me", "the refund never came through"],
}
OPENINGS = ["Hello,", "Hi team,", "Good morning,", "Dear support,", "Hey,"]
CLOSINGS = ["Thanks.", "Please help.", "Regards.", "Any news?", "Thank you in advance."]
ASIDES = ["I have been a customer for years", "this is the second time I write", "my order number is in the subject",
          "I tried the help pages first", "my husband had the same problem", "it started on Monday",
          "I use the app on my phone", "nobody answered the chat", "I am writing from work", "it is quite urgent"]


def tickets(rows: int = 240, seed: int = 0, separator: str = "|") -> pd.DataFrame:
    """Support tickets whose text speaks of each of their tags, one to three of four; some untagged."""
    rng = np.random.default_rng(seed)
    records = []
    for _ in range(rows):
        tags = [] if rng.random() < 0.15 else list(rng.choice(list(PHRASES), size=rng.integers(1, 4), replace=False))
        said = [str(rng.choice(PHRASES[t])) for t in tags] or ["I have a question about the service"]
        text = f"{rng.choice(OPENINGS)} {rng.choice(ASIDES)}, and {' and '.join(said)}. {rng.choice(CLOSINGS)}"
        records.append({"message": text, "tags": separator.join(sorted(tags)), "priority": rng.choice(["low", "high"])})
    return pd.DataFrame(records)
