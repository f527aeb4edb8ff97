"""The phases a run and its report go through are enums whose values are the strings the page always showed."""

from __future__ import annotations

import json

from syngen.app.jobs import Progress
from syngen.app.state import ReportPhase, RunPhase


def test_a_run_is_done_only_in_its_three_end_phases():
    ended = {phase for phase in RunPhase if Progress(asked=1, phase=phase).done}
    assert ended == {RunPhase.FINISHED, RunPhase.CANCELLED, RunPhase.FAILED}
    assert Progress(asked=1).phase is RunPhase.PREPARING


def test_phases_are_written_as_their_old_strings():
    assert json.dumps([RunPhase.CANCELLED, ReportPhase.DRAWING]) == '["cancelled", "drawing"]'
    assert f"{RunPhase.FINISHED} / {ReportPhase.MEASURING}" == "finished / measuring"
    assert RunPhase("failed") is RunPhase.FAILED and ReportPhase("done") is ReportPhase.DONE
