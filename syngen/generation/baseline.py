"""The original study's method, kept as a baseline: one free-text request for N CSV rows, then parse.

It is what SynGen must beat; the benchmark runs both on the same model and compares valid rows per minute.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

from syngen.backends.base import Backend, GenerationRequest
from syngen.data.loader import Table
from syngen.generation.dedupe import DuplicateIndex
from syngen.parsing import parse_answer
from syngen.profiling.conformance import row_problems
from syngen.profiling.model import ColumnKind, DatasetProfile

STUDY_PROMPT = (
    "Generate {n} rows of synthetic {topic} data in CSV format with the columns: {columns}.\n"
    "Here are some examples:\n{examples}"
)


@dataclass
class BaselineResult:
    asked: int
    parsed: int
    valid: int
    seconds: float
    tokens_out: int
    answer: str = ""
    problems: dict[str, int] = field(default_factory=dict)

    @property
    def valid_per_minute(self) -> float:
        return self.valid / max(self.seconds, 1e-9) * 60


def study_prompt(table: Table, topic: str, n: int, examples: int = 3) -> str:
    sample = io.StringIO()
    table.frame.head(examples).to_csv(sample, index=False)
    return STUDY_PROMPT.format(n=n, topic=topic, columns=", ".join(table.columns), examples=sample.getvalue())


def run_baseline(backend: Backend, table: Table, profile: DatasetProfile, n: int, seed: int = 0,
                 tokens_per_row: int = 120) -> BaselineResult:
    """Ask once for n rows in free text, parse whatever comes back, count the rows that would pass SynGen."""
    request = GenerationRequest(
        messages=[{"role": "user", "content": study_prompt(table, profile.topic, n)}],
        max_tokens=n * tokens_per_row, temperature=0.8, seed=seed,
    )
    started = time.monotonic()
    answer = backend.generate(request)
    seconds = time.monotonic() - started
    parsed = parse_answer(answer.text, profile.names)
    copies = DuplicateIndex()
    main_text = profile.main_text
    copies.add_all(table.frame[main_text])
    problems: dict[str, int] = {}
    valid = 0
    seen_ids: set[tuple[str, str]] = set()
    real_ids = {c.name: set(c.stats.known) for c in profile.of_kind(ColumnKind.IDENTIFIER)}
    for row in parsed.rows[:n]:
        issues = row_problems(profile, row) + ([f"{main_text}:copy"] if copies.check(row[main_text]) else [])
        issues += _identifier_problems(real_ids, row, seen_ids)
        for issue in issues:
            problems[issue] = problems.get(issue, 0) + 1
        valid += not issues
    return BaselineResult(n, len(parsed.rows), valid, seconds, answer.tokens_out, answer.text, problems)


def _identifier_problems(real_ids: dict[str, set[str]], row: dict[str, str],
                         seen: set[tuple[str, str]]) -> list[str]:
    """Ids must be new (not a real person's) and unique within the output."""
    issues = []
    for name, known in real_ids.items():
        value = row.get(name, "")
        if value in known:
            issues.append(f"{name}:real_id")
        elif (name, value) in seen:
            issues.append(f"{name}:duplicate")
        seen.add((name, value))
    return issues
