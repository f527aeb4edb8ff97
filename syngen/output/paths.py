"""Where a run writes, and the checks made before it writes anything.

Names, for an output `OUT` (any name, any extension, `.json` included):
    OUT.syngen.json         the sidecar (the run's record)
    OUT.config.yaml         the run's resolved configuration (syngen generate --config reruns it)
    STEM.partial.EXT        the rows of a run that stopped early, with its own `.syngen.json` sidecar
    OUT.run/                the run directory (resume)
    .OUT.syngen-lock        held while a run writes OUT, so a second run on OUT refuses
Each name adds to OUT's name, so none can equal OUT or another's name for the same OUT.

Rules: an input (data, catalogue, model, real or synthetic file) is never a target, whatever the flags;
only regular files are replaced (a folder, symlink, FIFO or device is refused even with --force); an
existing file is replaced only with --force.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from syngen.errors import OutputError
from syngen.output.formats import is_saved_dataset

SIDECAR_SUFFIX = ".syngen.json"
RUN_FILE_SUFFIX = ".config.yaml"


def sidecar_path(output: Path) -> Path:
    return output.with_name(output.name + SIDECAR_SUFFIX)


def run_file_path(output: Path) -> Path:
    return output.with_name(output.name + RUN_FILE_SUFFIX)


def partial_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.partial{output.suffix}")


def lock_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.syngen-lock")


_KINDS = ((stat.S_ISREG, "file"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link"),
          (stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"))


def file_kind(path: Path) -> str | None:
    """None if nothing is there, "file" for a regular file, else what it is (a symlink is not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a parent that is a file: the folder check says why
        return None
    return next((name for test, name in _KINDS if test(mode)), "special file")


def check_not_input(target: Path, inputs: Mapping[str, str | Path | None], option: str, what: str = "") -> None:
    """Refuse a target that is one of the inputs (the same file by any path, hard links included)."""
    for name, given in inputs.items():
        if given and _same_file(target, Path(given)):
            raise OutputError(f"{what or option} {target} is the input given to {name}; SynGen never writes over "
                              "an input",
                              f"Choose another {option}")


def _same_file(target: Path, given: Path) -> bool:
    """By path (`a/../x`, symlinked folders) or by identity (hard links), even before the target exists."""
    if target.resolve() == given.resolve():
        return True
    return target.exists() and given.exists() and os.path.samefile(target, given)


def check_target(target: Path, force: bool, option: str, what: str = "") -> None:
    """Refuse a target that is not a regular file, or exists without force."""
    kind = file_kind(target)
    if kind == "folder" and is_saved_dataset(target):
        kind = "file"  # a Hugging Face dataset output (--format hf) is replaced like a file
    label = f"{what} {target}".strip()
    if kind == "folder" and not what:
        raise OutputError(f"{option} {target} is a folder", f"Give {option} a file name (in that folder or another)")
    if kind not in (None, "file"):
        raise OutputError(f"{label} is a {kind}; SynGen only replaces regular files, even with --force",
                          f"Choose another {option}")
    if kind == "file" and not force:
        raise OutputError(f"{label} already exists", f"Pass --force to overwrite it, or choose another {option}")


def check_folder(target: Path, option: str) -> None:
    """Create the target's folder and make sure a file can be created in it."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".syngen-check-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror}",
                          f"Choose an {option} in a folder you can write to") from exc


def check_run_dir(run_dir: Path) -> None:
    kind = file_kind(run_dir)
    if kind is not None and not run_dir.is_dir():
        raise OutputError(f"the run directory {run_dir} is a {kind}, not a folder",
                          "Give --run-dir a folder (or a new name), or pass --no-run-dir")


def check_writable(output: Path, force: bool, inputs: Mapping[str, str | Path | None] | None = None,
                   run_dir: str | Path | None = None) -> None:
    """Fail before any work if the output, its sidecar or its run directory cannot be written as asked.
    The partial files are SynGen's own leftovers of an earlier stop, and OUT.config.yaml only describes how
    OUT is made (it may be the --config being rerun): both are replaced without --force, but never when they
    are an input or not a regular file."""
    inputs = inputs or {}
    for target, what, forced in ((output, "", force), (sidecar_path(output), "the sidecar", force),
                                 (run_file_path(output), "the run's configuration", True),
                                 (partial_path(output), "the partial output", True),
                                 (sidecar_path(partial_path(output)), "the partial sidecar", True),
                                 (run_file_path(partial_path(output)), "the partial run's configuration", True)):
        check_not_input(target, inputs, "--out", what)
        check_target(target, forced, "--out", what)
    if run_dir:
        check_run_dir(Path(run_dir))
    check_folder(output, "--out")


def remove_stale_partial(output: Path) -> list[Path]:
    """After a run completes, the partial files an earlier stop of it left (recognised by their sidecar,
    which names them as its output) go: the complete output holds their rows."""
    partial, record = partial_path(output), sidecar_path(partial_path(output))
    if (file_kind(partial) != "file" and not is_saved_dataset(partial)) or file_kind(record) != "file":
        return []
    try:
        sidecar = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(sidecar, dict) or Path(str(sidecar.get("output"))).name != partial.name:
        return []
    if is_saved_dataset(partial):
        shutil.rmtree(partial)
    for path in (partial, record, run_file_path(partial)):
        path.unlink(missing_ok=True)
    return [partial, record]


_held: dict[Path, tuple[int, int]] = {}  # lock file -> (descriptor, holders in this process)
_held_guard = threading.Lock()


@contextmanager
def claim_output(output: Path, force: bool, inputs: Mapping[str, str | Path | None] | None = None,
                 run_dir: str | Path | None = None) -> Iterator[None]:
    """Check the targets, then hold the output's lock until the block ends: a second run on the same
    output (in another process) refuses at once instead of replacing the first one's rows. Re-entrant
    within one process, so the CLI and the engine may both claim it."""
    check_writable(output, force, inputs, run_dir)
    lock = lock_path(output).absolute()
    _acquire(lock, output)
    try:
        yield
    finally:
        _release(lock)


def _acquire(lock: Path, output: Path) -> None:
    with _held_guard:
        if lock in _held:
            handle, count = _held[lock]
            _held[lock] = (handle, count + 1)
            return
        try:
            handle = open_locked(lock)
        except OSError as exc:
            raise OutputError(f"another syngen run is writing {output}",
                              "Wait for it to finish, or choose another --out") from exc
        _held[lock] = (handle, 1)


def _release(lock: Path) -> None:
    with _held_guard:
        handle, count = _held.pop(lock)
        if count > 1:
            _held[lock] = (handle, count - 1)
            return
        lock.unlink(missing_ok=True)  # while still held: a waiting run then finds the output written
        os.close(handle)


def open_locked(path: Path) -> int:
    """A handle holding an exclusive lock on `path` (created if need be); OSError while another process holds it."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        lock_file(handle)
    except OSError:
        os.close(handle)
        raise
    return handle


def lock_file(handle: int) -> None:
    """An exclusive, non-blocking lock that the OS drops when the holder dies (SIGKILL included)."""
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
