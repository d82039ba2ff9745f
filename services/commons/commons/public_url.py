"""Absolute links as the client reached us: through the gateway, or directly.

Through the gateway (X-Forwarded-Host, -Proto, -Prefix) it is the gateway's origin and the public
prefix it forwards; if the host is missing or malformed, the configured public URL stands in for it.
Called directly, it is this service's own base URL."""

import re

from fastapi import Request

_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
_PREFIX = re.compile(r"(/[A-Za-z0-9._~-]+)*/?")


def public_root(request: Request, own_path: str) -> str:
    """The public address of `own_path` (e.g. /ogc), without a trailing slash."""
    host = _first(request.headers.get("x-forwarded-host"))
    given = _first(request.headers.get("x-forwarded-prefix"))
    prefix = given.rstrip("/") if given and _PREFIX.fullmatch(given) else None
    if host and _HOST.fullmatch(host):
        proto = _first(request.headers.get("x-forwarded-proto")).lower()
        scheme = proto if proto in ("http", "https") else request.url.scheme
        return f"{scheme}://{host}{own_path if prefix is None else prefix}"
    if prefix is not None:
        public_url: str = request.app.state.runtime.settings.public_url
        return public_url.rstrip("/") + prefix
    return str(request.base_url).rstrip("/") + own_path


def _first(value: str | None) -> str:
    """The client-side value of a header that proxies may have appended to."""
    return (value or "").split(",")[0].strip()
