"""An audit record as a person reads it: plain text for the terminal and `repr`, HTML for notebooks. Prompts
are shown in full (they are what the reader came to see); a retry's prompt that extends the last one shown
whole shows only what was added (the reason its answer was rejected)."""

from __future__ import annotations

import html
from itertools import groupby

from syngen.generation.rows import Attempt
from syngen.runs.audit import AuditRecord, answer_verdict


def prompt_parts(record: AuditRecord) -> list[tuple[int, str, list[dict], list[Attempt]]]:
    """Per attempt: its number, how its prompt relates to the one before ("" when shown whole), the messages
    to show, and its answers (several when candidates were drawn)."""
    parts, whole = [], None
    for number, answers in groupby(record.attempts, key=lambda a: a.attempt):
        answers = list(answers)
        messages = answers[0].messages
        added = _added(whole, messages) if whole is not None else None
        if added is not None:
            parts.append((number, "the first prompt, then:", added, answers))
        else:
            parts.append((number, "", messages, answers))
            whole = messages
    return parts


def _added(before: list[dict], messages: list[dict]) -> list[dict] | None:
    """What `messages` add to `before`: messages after it, or text after its last message (a retry's reason)."""
    if messages[: len(before)] == before:
        return messages[len(before):]
    if len(messages) == len(before) and messages[:-1] == before[:-1]:
        last, previous = messages[-1], before[-1]
        if last.get("role") == previous.get("role") and last["content"].startswith(previous["content"]):
            return [{**last, "content": last["content"][len(previous["content"]):].lstrip("\n")}]
    return None


def record_text(record: AuditRecord, title: str | None = None) -> str:
    lines = [f"=== {title or f'Position {record.position}'} ({record.id or record.position}): {record.verdict()} ==="]
    answer_number = 0
    for number, relation, messages, answers in prompt_parts(record):
        lines.append(f"--- Prompt of attempt {number + 1}{' (' + relation.rstrip(':') + ')' if relation else ''} ---")
        lines += [f"[{m.get('role', '?')}]\n{m.get('content', '')}" for m in messages]
        for attempt in answers:
            answer_number += 1
            lines.append(f"--- Answer {answer_number} (attempt {number + 1}): {answer_verdict(attempt)} ---")
            lines.append(attempt.answer)
    lines.append("--- Row kept ---" if record.row else "--- No row: the position was given up ---")
    lines += [f"{name}: {value}" for name, value in (record.row or {}).items()]
    return "\n".join(lines)


def record_html(record: AuditRecord, title: str | None = None) -> str:
    head = html.escape(f"{title or f'Position {record.position}'}: {record.verdict()}")
    body = []
    answer_number = 0
    for number, relation, messages, answers in prompt_parts(record):
        shown = "".join(f"<b>{html.escape(m.get('role', '?'))}</b><pre style='white-space:pre-wrap'>"
                        f"{html.escape(m.get('content', ''))}</pre>" for m in messages)
        body.append(f"<details><summary>Prompt of attempt {number + 1} {html.escape(relation)}</summary>"
                    f"{shown}</details>")
        for attempt in answers:
            answer_number += 1
            body.append(f"<p>Answer {answer_number}: <i>{html.escape(answer_verdict(attempt))}</i></p>"
                        f"<pre style='white-space:pre-wrap'>{html.escape(attempt.answer)}</pre>")
    if record.row:
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                        for k, v in record.row.items())
        body.append(f"<table>{cells}</table>")
    return f"<details open><summary><b>{head}</b></summary>{''.join(body)}</details>"
