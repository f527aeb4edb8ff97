"""The run directory: where a run keeps its accepted rows and its manifest while it goes, so that a run
killed at any moment (SIGKILL included) can be resumed without losing, duplicating or re-generating rows.

Layout of `RUN/`:
    manifest.json        what the run is (config fingerprint) and how far it got; replaced atomically
    shards/part-NNNNN.jsonl  accepted rows, append-only, one JSON object per line, fsync'd per row
    lock                 held (flock) by the one process running it; the kernel drops it if that dies

The shards are the truth about accepted rows; the manifest is a checkpoint written after them, so it can
lag behind the shards but never claim a row they do not hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from syngen import __version__
from syngen.errors import ConfigError, DataError
from syngen.output.paths import open_locked
from syngen.runs.manifest import check_manifest

MANIFEST = "manifest.json"
FORMAT = 2  # 2: rows are made in chunks of a recorded size (format 1 runs made them in other chunks)
# Configuration fields that never change which row a plan position gives, so they may differ on resume.
# Anything else (new fields included) is part of the fingerprint: refusing too much is the safe error.
NOT_FINGERPRINTED = frozenset({
    "data", "products", "out", "format", "force", "concurrency", "rpm", "max_attempts_factor", "raw_export",
    "spreadsheet_safe", "audit",  # the audit records how rows were made; it never changes them
    "run_dir", "num_samples", "executor", "new_run", "max_rows_per_file", "ray_actors", "ray_cpus_per_actor",
    "model_path", "base_url",  # stand-ins for the model identity below, which the backend reports
})


def row_id(seed: int, position: int) -> str:
    """The stable id of a plan position: the same seed and position always name the same row."""
    return f"s{seed}p{position}"


def default_run_dir(output: Path) -> Path:
    """Beside the output, so re-running the same command finds the same run."""
    return output.with_name(output.name + ".run")


def file_digest(path: str | None) -> str | None:
    if not path:
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint_fields(config: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    """What decides the rows: the row-shaping options, the input files' contents, the model's identity and
    SynGen's version. File paths are left out so the same run can be resumed from another folder or node."""
    fields = {k: v for k, v in sorted(config.items()) if k not in NOT_FINGERPRINTED}
    fields["data_sha256"] = file_digest(config.get("data"))
    fields["products_sha256"] = file_digest(config.get("products"))
    fields["model_identity"] = {k: v for k, v in sorted(model.items()) if k not in ("model_path", "base_url")}
    # Another SynGen may prompt or validate differently: its rows would not match the ones already kept.
    fields["syngen_version"] = __version__
    return fields


def digest_of(fields: dict[str, Any]) -> str:
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> str:
    """'seed 0 -> 1, temperature 0.8 -> 0.5' for the refusal message."""
    names = sorted(set(old) | set(new), key=lambda k: (k == "model_identity", k))
    parts = [f"{name} {_short(old.get(name))} -> {_short(new.get(name))}"
             for name in names if old.get(name) != new.get(name)]
    return ", ".join(parts[:4]) + (f" and {len(parts) - 4} more" if len(parts) > 4 else "")


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict) else str(value)
    return text if len(text) <= 24 else text[:12] + "..."


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` survive a power cut, not only a killed process."""
    if os.name == "nt":  # Windows cannot open a folder to fsync it; NTFS journals renames itself
        return
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, default=str)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def position_ranges(positions: set[int] | list[int]) -> list[list[int]]:
    """[0, 1, 2, 5, 6] -> [[0, 3], [5, 7]]: half-open ranges, so a million ids stay a short manifest."""
    ranges: list[list[int]] = []
    for position in sorted(positions):
        if ranges and ranges[-1][1] == position:
            ranges[-1][1] = position + 1
        else:
            ranges.append([position, position + 1])
    return ranges


def expand_ranges(ranges: list[list[int]]) -> set[int]:
    return {p for start, stop in ranges for p in range(start, stop)}


class RunDirectory:
    """Opens, checks, locks and checkpoints one run directory."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.shards = self.path / "shards"
        self._lock_handle: int | None = None

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def read_manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot read the run manifest {self.manifest_path}: {exc}",
                            "Pass --new-run to start this run again") from exc
        if isinstance(manifest, dict) and manifest.get("format") != FORMAT:
            raise DataError(f"{self.manifest_path} is from an unknown run format {manifest.get('format')}",
                            "Pass --new-run to start this run again with this version of SynGen")
        return check_manifest(manifest, self.manifest_path, "Pass --new-run to start this run again")

    def check_same_run(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The existing manifest, if it was made by the same configuration; a one-line refusal if not."""
        manifest = self.read_manifest()
        if manifest["fingerprint"] != digest_of(fields):
            old_fields = manifest.get("fingerprint_fields", {})
            # Equal values with unequal digests: a setting only one of the two SynGen versions knows about.
            changes = describe_changes(old_fields, fields) or "settings recorded by another SynGen version"
            raise ConfigError(f"the run in {self.path} was made with another configuration ({changes})",
                              "Pass --new-run to start over (the old run is kept aside), or use another --run-dir")
        return manifest

    def set_aside(self) -> Path:
        """Move an existing run out of the way for --new-run; kept, not deleted: it may hold hours of rows."""
        base = f"{self.path.name}.old-{time.strftime('%Y%m%d-%H%M%S')}"
        target, suffix = self.path.with_name(base), 1
        while target.exists():
            target, suffix = self.path.with_name(f"{base}-{suffix}"), suffix + 1
        os.replace(self.path, target)
        return target

    def lock(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self.shards.mkdir(exist_ok=True)
        try:
            handle = open_locked(self.path / "lock")
        except OSError as exc:
            raise ConfigError(f"the run in {self.path} is being run by another syngen process",
                              "Wait for it to finish, or stop it and run this command again") from exc
        self._lock_handle = handle

    def unlock(self) -> None:
        if self._lock_handle is not None:
            os.close(self._lock_handle)  # closing the descriptor releases the flock
            self._lock_handle = None

    def saved_config(self) -> dict[str, Any]:
        """The configuration the run was last started with, its relative paths made absolute against the
        folder that start ran in, so `--resume RUN` works from anywhere."""
        manifest = self.read_manifest()
        config = dict(manifest["config"])
        sessions = manifest.get("sessions") or [{}]
        base = Path(sessions[-1].get("cwd") or manifest.get("cwd") or ".")
        for key in ("data", "products", "out", "model_path"):
            if config.get(key) and not Path(config[key]).is_absolute():
                config[key] = str(base / config[key])
        config["run_dir"] = str(self.path)
        config.update(new_run=False, force=False)  # one-off requests of the start they were given to
        return config

    def new_manifest(self, fields: dict[str, Any], config: dict[str, Any], chunk_size: int) -> dict[str, Any]:
        return {
            "format": FORMAT, "syngen_version": __version__, "created": _now(), "cwd": os.getcwd(),
            "fingerprint": digest_of(fields), "fingerprint_fields": fields, "config": config,
            "seed": config.get("seed"), "id_scheme": "s{seed}p{position}", "chunk_size": chunk_size,
            "positions_tried": 0, "accepted_positions": [], "rows_accepted": 0, "sessions": [],
        }

    def checkpoint(self, manifest: dict[str, Any]) -> None:
        manifest["updated"] = _now()
        write_json_atomic(self.manifest_path, manifest)

    def shard_paths(self) -> list[Path]:
        return sorted(self.shards.glob("part-*.jsonl"))

    def next_shard_path(self) -> Path:
        existing = self.shard_paths()
        number = int(existing[-1].stem.split("-")[1]) + 1 if existing else 0
        return self.shards / f"part-{number:05d}.jsonl"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
