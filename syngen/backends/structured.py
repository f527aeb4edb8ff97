"""How a backend asks for JSON that fits the row's schema, by the mechanism its server offers.

Servers differ: OpenAI, vLLM and LM Studio take `response_format` of type "json_schema"; llama-cpp-python's
server takes "json_object" with a "schema"; plain JSON mode takes no schema; some servers take none of
these. Each is a mode in FORMATS (instructor's table keyed by mode). Where the mode does not enforce the
schema, the prompt carries an instruction naming the keys and lengths, and the engine's parser reads the
answer (it was going to validate it anyway).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Schema = dict[str, Any]
# Keywords outside the subset every provider accepts (OpenAI strict mode, Cohere): string bounds.
NON_PORTABLE = ("minLength", "maxLength", "pattern")


def portable_schema(schema: Schema) -> Schema:
    """The schema without string-length and pattern keywords (the prompt still states the lengths)."""
    if isinstance(schema, dict):
        return {k: portable_schema(v) for k, v in schema.items() if k not in NON_PORTABLE}
    if isinstance(schema, list):
        return [portable_schema(v) for v in schema]
    return schema


def _json_schema(schema: Schema) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "row", "strict": True, "schema": schema}}


FORMATS: dict[str, Callable[[Schema], dict[str, Any] | None]] = {
    "json_schema": _json_schema,
    "json_schema_portable": lambda s: _json_schema(portable_schema(s)),
    "json_object_schema": lambda s: {"type": "json_object", "schema": s},
    "json_object": lambda s: {"type": "json_object"},
    "text": lambda s: None,
}
ENFORCING = frozenset({"json_schema", "json_schema_portable", "json_object_schema"})
AUTO_ORDER = ("json_schema", "json_schema_portable", "json_object_schema", "json_object", "text")


def next_mode(mode: str) -> str | None:
    """The mode to try after a server rejected `mode`, or None when none is left."""
    index = AUTO_ORDER.index(mode)
    return AUTO_ORDER[index + 1] if index + 1 < len(AUTO_ORDER) else None


def schema_instruction(schema: Schema) -> str:
    """One sentence that asks for the schema's object in words, for modes that cannot enforce it."""
    parts = []
    for name, spec in schema.get("properties", {}).items():
        low, high = spec.get("minLength"), spec.get("maxLength")
        bounds = f" of {low}-{high} characters" if low is not None and high is not None else ""
        parts.append(f'"{name}" (a string{bounds})')
    keys = ", ".join(parts)
    return f"Answer with only a JSON object with the keys {keys}, and nothing else."


def with_instruction(messages: list[dict[str, str]], schema: Schema) -> list[dict[str, str]]:
    """A copy of the conversation whose last user message ends with the schema instruction."""
    result = copy.deepcopy(messages)
    for message in reversed(result):
        if message.get("role") == "user":
            message["content"] = f"{message['content']}\n{schema_instruction(schema)}"
            return result
    return result + [{"role": "user", "content": schema_instruction(schema)}]
