"""The shape of a run manifest, checked when it is read back: a manifest edited by hand, or damaged, is
a one-line error naming the field rather than a crash somewhere in the resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from syngen.errors import DataError


class Totals(BaseModel):
    model_config = ConfigDict(extra="allow")

    positions_tried: int = Field(0, ge=0)
    tokens_in: int = Field(0, ge=0)
    tokens_out: int = Field(0, ge=0)
    rejections: dict[str, int] = Field(default_factory=dict)
    wall_seconds: float = Field(0.0, ge=0)


class Session(BaseModel):
    model_config = ConfigDict(extra="allow")

    cwd: str | None = None


class Manifest(BaseModel):
    """What resuming reads; other fields are kept as they are."""

    model_config = ConfigDict(extra="allow")

    format: int
    fingerprint: str
    fingerprint_fields: dict[str, Any] = Field(default_factory=dict)
    config: dict[str, Any]
    seed: int = Field(ge=0)
    chunk_size: int = Field(ge=1)  # the row at position p depends on its chunk: a resume must keep it
    positions_tried: int = Field(ge=0)
    accepted_positions: list[tuple[int, int]]
    sessions: list[Session]
    few_shot_rows: list[int] = Field(default_factory=list)
    totals: Totals | None = None
    cwd: str | None = None


def check_manifest(data: Any, path: Path, fix: str) -> dict[str, Any]:
    """`data` if it has the manifest's shape; a DataError naming the first bad field if not."""
    if not isinstance(data, dict):
        raise DataError(f"the run manifest {path} is not a JSON object", fix)
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the manifest"
        raise DataError(f"the run manifest {path} is damaged ({where}: {first['msg']})", fix) from exc
    for key in ("data", "products", "out", "model_path"):
        if data["config"].get(key) is not None and not isinstance(data["config"][key], str):
            raise DataError(f"the run manifest {path} is damaged (config.{key} is not a path)", fix)
    return data
