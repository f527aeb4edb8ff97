"""Where SynGen keeps what it computes once per machine (text vectors, the model's stock texts, the embedded
model's converted weights): `$SYNGEN_CACHE_DIR`, else `~/.cache/syngen`."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    return Path(os.environ.get("SYNGEN_CACHE_DIR") or Path.home() / ".cache" / "syngen")
