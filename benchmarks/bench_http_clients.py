"""Client CPU per request of the HTTP clients the openai backend could use, against the instant server (another
process), 16 threads sending the same chat request (a supplements-review prompt with its JSON schema):

    python benchmarks/bench_http_clients.py --requests 1000

Why backends/jsonwire.py is on urllib3: the openai SDK and httpx need several times its CPU a request, and the
driver has 3 to 4 ms a row for everything. Needs the openai SDK and httpx installed (not SynGen's dependencies).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = {"type": "object", "properties": {"title": {"type": "string", "minLength": 10, "maxLength": 60},
                                           "text": {"type": "string", "minLength": 150, "maxLength": 400}},
          "required": ["title", "text"], "additionalProperties": False}
EXAMPLE = {"title": "Helps me sleep", "text": "I take two capsules before bed and fall asleep faster."}
BODY = {"model": "instant", "max_tokens": 200, "temperature": 0.8, "seed": 1,
        "messages": [{"role": "system", "content": "You write product reviews of supplements. " * 12},
                     {"role": "user", "content": "Real examples:\n" + json.dumps(EXAMPLE) + "\nWrite one."}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "row", "strict": True, "schema": SCHEMA}}}


def clients(url: str) -> dict[str, Callable[[], object]]:
    import httpx
    import openai
    import urllib3

    pool = urllib3.PoolManager(maxsize=16, retries=False)
    data, headers = json.dumps(BODY).encode(), {"Content-Type": "application/json"}
    web = httpx.Client(limits=httpx.Limits(max_connections=16))
    sdk = openai.OpenAI(api_key="unused", base_url=url, max_retries=0)
    return {
        "urllib3": lambda: json.loads(pool.request("POST", f"{url}/chat/completions", body=data, headers=headers).data),
        "httpx": lambda: web.post(f"{url}/chat/completions", content=data, headers=headers).json(),
        "openai SDK": lambda: sdk.chat.completions.create(**BODY),
    }


def cpu_per_request(call: Callable[[], object], requests: int, threads: ThreadPoolExecutor) -> float:
    list(threads.map(lambda _: call(), range(64)))  # connections open, code warm
    started = time.process_time()
    list(threads.map(lambda _: call(), range(requests)))
    return (time.process_time() - started) / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(HERE / "instant_server.py")], stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        with ThreadPoolExecutor(16) as threads:
            for name, call in clients(url).items():
                print(f"{name:>10}: {cpu_per_request(call, args.requests, threads):.2f} ms of client CPU a request")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
