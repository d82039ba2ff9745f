"""Absolute links always name the public origin: the configured public URL (MEENT_PUBLIC_URL, the
gateway's address) and the path the gateway forwards, which is this service's own (/ogc, /tiles).

Never the client's Host or X-Forwarded-* headers: a link built from them could point anywhere (and
poison a cache that does not key on them), and a client that reaches the internal port directly
still gets links it can share."""

from fastapi import Request


def public_root(request: Request, own_path: str) -> str:
    """The public address of `own_path` (e.g. /ogc), without a trailing slash."""
    public_url: str = request.app.state.runtime.settings.public_url
    return public_url.rstrip("/") + own_path
