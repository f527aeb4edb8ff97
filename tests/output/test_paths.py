import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from syngen.errors import OutputError
from syngen.output import check_writable, claim_output, partial_path, sidecar_path
from syngen.output.paths import lock_path, remove_stale_partial

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["o.csv", "o.json", "o.syngen.json", "o", "o.partial.csv", "o.run", ".o.csv"])
def test_no_name_of_a_run_can_equal_another(name):
    out = Path("d") / name
    names = [out, sidecar_path(out), partial_path(out), sidecar_path(partial_path(out)), lock_path(out),
             out.with_name(out.name + ".run")]
    assert len(set(names)) == len(names)


def test_existing_output_or_sidecar_is_refused_without_force(tmp_path):
    target = tmp_path / "exists.csv"
    target.write_text("keep me")
    with pytest.raises(OutputError, match="--force"):
        check_writable(target, force=False)
    check_writable(target, force=True)
    assert target.read_text() == "keep me"
    target.unlink()
    sidecar_path(target).write_text("{}")
    with pytest.raises(OutputError, match="the sidecar .* already exists"):
        check_writable(target, force=False)


def test_missing_output_folder_is_created(tmp_path):
    check_writable(tmp_path / "new" / "deeper" / "o.csv", force=False)
    assert (tmp_path / "new" / "deeper").is_dir()


def test_only_regular_files_are_replaced_even_with_force(tmp_path):
    (tmp_path / "real.csv").write_text("x")
    os.symlink(tmp_path / "real.csv", tmp_path / "link.csv")
    os.mkfifo(tmp_path / "fifo.csv")
    (tmp_path / "folder.csv").mkdir()
    for name, kind in (("link.csv", "symbolic link"), ("fifo.csv", "FIFO"), ("folder.csv", "is a folder")):
        with pytest.raises(OutputError, match=kind):
            check_writable(tmp_path / name, force=True)
    with pytest.raises(OutputError, match="is a device"):
        check_writable(Path("/dev/null"), force=True)


def test_an_input_is_never_a_target_whatever_the_flags(tmp_path):
    data = tmp_path / "real.csv"
    data.write_text("a\n1\n")
    os.link(data, tmp_path / "hardlink.csv")
    for target in (data, tmp_path / "hardlink.csv", tmp_path / "sub" / ".." / "real.csv"):
        with pytest.raises(OutputError, match="is the input given to --data"):
            check_writable(target, force=True, inputs={"--data": str(data)})
    named = tmp_path / "o.partial.csv"
    named.write_text("a\n1\n")
    with pytest.raises(OutputError, match="the partial output"):
        check_writable(tmp_path / "o.csv", force=True, inputs={"--data": str(named)})


def test_a_run_directory_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "o.csv.run").write_text("not a folder")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_writable(tmp_path / "o.csv", force=False, run_dir=tmp_path / "o.csv.run")


HOLD = """
import sys, time
from pathlib import Path
from syngen.output import claim_output
with claim_output(Path(sys.argv[1]), False):
    print("held", flush=True)
    time.sleep(30)
"""


def test_a_second_run_on_the_same_output_refuses_while_the_first_holds_it(tmp_path):
    out = tmp_path / "o.csv"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True,
                              cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputError, match="another syngen run is writing"), claim_output(out, False):
            pass
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while True:  # the kernel drops a dead holder's lock: the output can be claimed again
        try:
            with claim_output(out, False):
                break
        except OutputError:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_claims_are_reentrant_within_one_process_and_leave_no_lock_file(tmp_path):
    out = tmp_path / "o.csv"
    with claim_output(out, False), claim_output(out, False):
        assert lock_path(out).exists()
    assert not lock_path(out).exists()


def test_stale_partial_files_of_the_run_are_removed_and_others_kept(tmp_path):
    out = tmp_path / "o.csv"
    partial_path(out).write_text("a\n1\n")
    sidecar_path(partial_path(out)).write_text(json.dumps({"output": str(partial_path(out))}))
    assert remove_stale_partial(out) == [partial_path(out), sidecar_path(partial_path(out))]
    assert not partial_path(out).exists()
    partial_path(out).write_text("a user's file that happens to have this name\n")
    assert remove_stale_partial(out) == [] and partial_path(out).exists()
