"""JSON over HTTP for the OpenAI-compatible backend, on urllib3: one keep-alive pool shared by the request
threads, proxies from the environment as the openai SDK's httpx read them (HTTPS_PROXY, HTTP_PROXY,
ALL_PROXY, NO_PROXY), certificates from the system and from certifi. No retries here: http.py retries.

Not the openai SDK, nor httpx under it: against a local server, with 16 request threads, a request costs
1.9 to 2.1 ms of client CPU through the SDK, 0.8 to 0.95 ms through httpx and 0.3 to 0.4 ms through urllib3
(benchmarks/bench_http_clients.py), and the driver has 3 to 4 ms a row for everything.
"""

from __future__ import annotations

import json
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import certifi
import urllib3


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON; a ValueError if it is not."""
        return json.loads(self.body)

    def error_detail(self) -> str:
        """What an error answer says: OpenAI's {"error": {"message": ...}}, else the body as text."""
        try:
            body = self.json()
        except ValueError:
            return self.body.decode("utf-8", "replace")
        error = body.get("error", body) if isinstance(body, dict) else body
        return str(error.get("message", error)) if isinstance(error, dict) else str(error)


class JSONWire:
    """Requests to `base_url` + a path, with `headers` on each; at most `connections` kept open."""

    def __init__(self, base_url: str, headers: Mapping[str, str], timeout: float, connections: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
        options: dict[str, Any] = {"maxsize": connections, "retries": False, "ssl_context": _tls(),
                                   "timeout": urllib3.Timeout(connect=timeout, read=timeout)}
        proxy = proxy_for(self.base_url)
        if proxy is None:
            self._pool: urllib3.PoolManager = urllib3.PoolManager(**options)
        else:
            auth = urllib3.util.parse_url(proxy).auth
            headers = urllib3.make_headers(proxy_basic_auth=auth) if auth else None
            self._pool = urllib3.ProxyManager(proxy, proxy_headers=headers, **options)

    def post(self, path: str, payload: Mapping[str, Any]) -> Answer:
        return self._request("POST", path, json.dumps(payload).encode())

    def get(self, path: str) -> Answer:
        return self._request("GET", path, None)

    def _request(self, method: str, path: str, body: bytes | None) -> Answer:
        response = self._pool.request(method, self.base_url + path, body=body, headers=self.headers,
                                      redirect=False)
        return Answer(response.status, response.headers, response.data)

    def close(self) -> None:
        self._pool.clear()


def proxy_for(url: str) -> str | None:
    """The proxy the environment names for `url` (urllib's reading of *_PROXY and NO_PROXY, as httpx's)."""
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(parts.scheme) or proxies.get("all")


def _tls() -> ssl.SSLContext:
    """The system's certificates (SSL_CERT_FILE and SSL_CERT_DIR honoured) and certifi's, which the SDK used:
    a Python without system certificates (macOS's python.org builds) still reaches the OpenAI API."""
    context = ssl.create_default_context()
    context.load_verify_locations(certifi.where())
    return context
