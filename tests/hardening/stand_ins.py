"""Stand-in models for the output-safety matrix, registered under the name 'scripted' as a test needs them:
one that writes spreadsheet formulas, one that answers nothing (so a run stops early and leaves partial
files), and one slow enough to be interrupted. What is tested is SynGen's handling, not a model."""

from __future__ import annotations

import json
import sys
import time

from syngen.backends.base import Generation, GenerationRequest
from tests.fakes import SchemaFillingBackend


class FormulaBackend(SchemaFillingBackend):
    """Every free-text value begins like a spreadsheet formula (= or @, one call in two)."""

    def generate(self, request: GenerationRequest) -> Generation:
        answer = super().generate(request)
        fields = {name: "=@"[self._calls % 2] + value for name, value in json.loads(answer.text).items()}
        return Generation(text=json.dumps(fields), tokens_in=50, tokens_out=20, model="scripted")


class SilentBackend(SchemaFillingBackend):
    """Answers with nothing: every row is rejected and the run stops early with its partial files."""

    def generate(self, request: GenerationRequest) -> Generation:
        return Generation(text="", tokens_in=50, tokens_out=1, model="scripted")


class SlowBackend(SchemaFillingBackend):
    def generate(self, request: GenerationRequest) -> Generation:
        time.sleep(0.4)
        return super().generate(request)


def main() -> int:
    """`python -m tests.hardening.stand_ins ARGS`: `syngen ARGS` with the slow stand-in as 'scripted'."""
    from syngen.backends import registry
    from syngen.cli.main import main as syngen

    registry._BUILT_IN["scripted"] = "tests.hardening.stand_ins:SlowBackend"
    return syngen(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
