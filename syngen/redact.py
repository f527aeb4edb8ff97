"""Credentials in URLs are never shown: `http://alice:s3cret@host/v1` reads `http://***:***@host/v1` in every
message, sidecar, manifest and report. Standard library only, so the error tree can use it."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
# scheme://userinfo@ : the userinfo is everything up to the last @ before the host part ends.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s@]*(?:@[^/?#\s@]*)*)@")
# ?api_key=...&token=... : query values named like a secret.
_SECRET_QUERY = re.compile(r"(?P<name>[?&][^=&#\s]*(?:key|token|secret|password|passwd|sig)[^=&#\s]*=)[^&#\s]+",
                           re.IGNORECASE)


def mask_urls(text: str) -> str:
    """`text` with the user, password and secret-looking query values of every URL in it masked."""
    if "://" not in text:
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{_mask_userinfo(m['userinfo'])}@", text)
    return _SECRET_QUERY.sub(lambda m: f"{m['name']}{MASK}", text)


def _mask_userinfo(userinfo: str) -> str:
    return f"{MASK}:{MASK}" if ":" in userinfo else MASK


def has_credentials(url: str | None) -> bool:
    return bool(url) and mask_urls(url) != url


def was_masked(url: str | None) -> bool:
    """True for a URL whose credentials were masked when it was saved (they must be given again)."""
    return bool(url) and (f"://{MASK}" in url or f"={MASK}" in url)


def redact(value: Any) -> Any:
    """A copy of a JSON-like value (dicts, lists, strings) with every URL credential masked."""
    if isinstance(value, str):
        return mask_urls(value)
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value
