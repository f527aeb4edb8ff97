"""Progress of `syngen generate`: a bar on a terminal, and piped to a log a line now and then, never silence."""

from syngen import events
from syngen.cli import progress
from syngen.cli.progress import TerminalProgress
from syngen.events import Event


def test_piped_progress_says_a_line_now_and_then(capsys, monkeypatch):
    monkeypatch.setattr(progress, "LINE_SECONDS", 0.0)
    shown = TerminalProgress(3)  # stderr is captured here: not a terminal
    shown(Event(events.RUN_STARTED))
    shown(Event(events.ROW_REJECTED, {"reason": "cut_text"}))
    shown(Event(events.ROW_ACCEPTED, {"accepted": 1}))
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["generating: 1/3 rows; answers rejected so far: 1"]


def test_quiet_says_nothing_and_lines_wait_their_time(capsys, monkeypatch):
    quiet = TerminalProgress(3, enabled=False)
    quiet(Event(events.ROW_ACCEPTED, {"accepted": 1}))
    piped = TerminalProgress(3)
    piped(Event(events.ROW_ACCEPTED, {"accepted": 1}))  # within the first minute
    assert capsys.readouterr().err == ""
