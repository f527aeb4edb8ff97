"""An OpenAI-compatible server on 127.0.0.1 that answers at once with JSON valid for the request's schema, so
a benchmark of the driver counts no model time (benchmarks/bench_pipeline.py).

    python benchmarks/instant_server.py --port 8011          # prints its base URL, serves until killed

Strings are words of the examples the request shows (lines of its messages that are JSON objects; the words
of a field's own examples where they have it, so a title reads like a title and a text like the row's label),
random but seeded by the request's seed, within minLength/maxLength; a free text ends with a full stop.
Numbers respect minimum/maximum, arrays minItems/maxItems, and enum, const, anyOf/oneOf, nested objects and
patterns of the form ^[class]{m,n}$ (the one SynGen writes) are followed. Hand-written: the one library that
makes values for any schema (hypothesis-jsonschema) takes milliseconds a value.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORD = re.compile(r"[A-Za-z][a-z]{1,11}")
COUNTED_CLASS = re.compile(r"^\^?(\[[^\]]*\]|\.)\{(\d+),(\d+)\}\$?$")
SEEN: dict[str, None] = {}  # every example word of every request so far (ordered, bounded): long texts use them too
MAX_SEEN = 20_000
FALLBACK_WORDS = ["good", "product", "works", "well", "taste", "daily", "bottle", "price", "would", "again"]
MODEL = "instant"


class Filler:
    """Values for a JSON schema, made of `words` (a string property uses `by_field[its name]` if there is one)."""

    def __init__(self, words: list[str], rng: random.Random, by_field: dict[str, list[str]] | None = None,
                 seen: dict[str, None] = SEEN) -> None:
        self.words = words or FALLBACK_WORDS
        self.seen = seen
        self.by_field = by_field or {}
        self.rng = rng

    def value(self, schema: dict[str, Any]) -> Any:
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self.rng.choice(schema["enum"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self.value(self.rng.choice(schema[key]))
        kind = schema.get("type", "string")
        kind = self.rng.choice(kind) if isinstance(kind, list) else kind
        return getattr(self, f"_{kind}")(schema)

    def _object(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {name: self._field(name, spec) for name, spec in schema.get("properties", {}).items()}

    def _field(self, name: str, spec: dict[str, Any]) -> Any:
        if name not in self.by_field:
            return self.value(spec)
        words, self.words = self.words, self.by_field[name]
        try:
            return self.value(spec)
        finally:
            self.words = words

    def _array(self, schema: dict[str, Any]) -> list[Any]:
        low = schema.get("minItems", 0)
        count = self.rng.randint(low, max(low, min(schema.get("maxItems", low + 3), low + 3)))
        return [self.value(schema.get("items", {})) for _ in range(count)]

    def _integer(self, schema: dict[str, Any]) -> int:
        return self.rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 100)))

    def _number(self, schema: dict[str, Any]) -> float:
        return round(self.rng.uniform(schema.get("minimum", 0.0), schema.get("maximum", 100.0)), 3)

    def _boolean(self, schema: dict[str, Any]) -> bool:
        return self.rng.random() < 0.5

    def _null(self, schema: dict[str, Any]) -> None:
        return None

    def _string(self, schema: dict[str, Any]) -> str:
        low, high = schema.get("minLength", 1), schema.get("maxLength", 200)
        counted = COUNTED_CLASS.match(schema.get("pattern", ""))
        if counted:  # ^[class]{m,n}$: the bounds are in the pattern, and only letters and spaces are sure to fit
            low, high = int(counted[2]), int(counted[3])
        return self.text(low, high, full_stop=not counted)

    def text(self, low: int, high: int, full_stop: bool = True) -> str:
        """Words up to a length drawn in [low, high], padded to `low`: a sentence if `full_stop`."""
        target = self.rng.randint(low, max(low, high))
        pool = list(dict.fromkeys(self.words))  # each word once before any twice: repetitive texts are rejected
        self.rng.shuffle(pool)
        if len(pool) * 6 < target:  # too few words for the length: add words seen in other requests' examples
            pool += self.rng.sample(list(self.seen), min(len(self.seen), target // 4))
        words = iter(pool)
        text = next(words).capitalize()
        while len(text) < target:
            word = next(words, None)
            if word is None:  # each round in a new order: a phrase said again a few words on is rejected
                self.rng.shuffle(pool)
                words = iter(pool)
                word = next(words)
            text += " " + word
        end = "." if full_stop and high > 1 else ""
        text = text[: max(0, high - len(end))].rstrip()
        while len(text) + len(end) < low:
            text += "a"
        return text + end


def examples_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON objects that are whole lines of the messages: the examples a prompt shows."""
    found = []
    for line in "\n".join(str(m.get("content", "")) for m in messages).splitlines():
        if line.startswith("{") and line.endswith("}"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return [f for f in found if isinstance(f, dict)]


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def filler_for(body: dict[str, Any], share: bool = True) -> Filler:
    """`share`: long texts may borrow words of earlier requests (varied, but then an answer depends on the
    order requests came in); without it an answer depends on its request alone."""
    messages = body.get("messages", [])
    examples = examples_of(messages)
    by_field: dict[str, list[str]] = {}
    for example in examples:
        for name, value in example.items():
            by_field.setdefault(name, []).extend(words(str(value)))
    everything = [w for found in by_field.values() for w in found]
    if share and len(SEEN) < MAX_SEEN:
        SEEN.update(dict.fromkeys(everything))
    if not everything:
        everything = words(" ".join(str(m.get("content", "")) for m in messages))
    return Filler(everything, random.Random(body.get("seed")), {k: v for k, v in by_field.items() if v},
                  SEEN if share else {})


def schema_of(body: dict[str, Any]) -> dict[str, Any]:
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("schema", {})
    return response_format.get("schema", {"type": "object", "properties": {}})


def answer(body: dict[str, Any], share: bool = True) -> dict[str, Any]:
    """The chat completion for a request body: one choice whose content is JSON valid for its schema."""
    content = json.dumps(filler_for(body, share).value(schema_of(body)))
    return {"id": "chatcmpl-instant", "object": "chat.completion", "created": 0, "model": MODEL,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": len(content) // 4,
                      "total_tokens": 100 + len(content) // 4}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connections
    # One send an answer, without Nagle's wait: headers and body written apart, unbuffered, stalled each
    # answer ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # flushed once the answer is complete (handle_one_request)
    delay = 0.0  # seconds before each answer: a test can keep a run going long enough to interrupt it
    share_words = True

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "bench"}]})
        else:
            self._send(404, {"error": {"message": f"no {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.rstrip("/").endswith("/chat/completions"):
            time.sleep(self.delay)
            self._send(200, answer(body, self.share_words))
        else:
            self._send(404, {"error": {"message": f"no {self.path}"}})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: one line a request is noise
        return


def serve(port: int = 0, delay: float = 0.0, share_words: bool = True) -> ThreadingHTTPServer:
    """A running server on 127.0.0.1 (port 0: any free one), in a daemon thread; `shutdown()` stops it.
    `delay` and `share_words` as Handler's; `share_words=False` makes every answer a function of its request."""
    handler = type("ConfiguredHandler", (Handler,), {"delay": delay, "share_words": share_words})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True, name="instant-server").start()
    return server


def base_url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(base_url(server), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
