"""Main area: the models x prompt types grid."""

from __future__ import annotations

from syngen.app.settings_panel import Settings
from syngen.app.uploads import LoadedData
from syngen.profiling import DatasetProfile


def render_grid(data: LoadedData | None, profile: DatasetProfile | None, topic: str | None,
                settings: Settings) -> None:
    return None
