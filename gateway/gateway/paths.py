"""Paths that could mean two things are refused before any route sees them.

The gateway routes on the decoded path, and a service behind it (or a proxy in front) may resolve
`..`, decode `%2f` or treat `\\` as `/` differently: `/ogc/../metrics` or `/ogc/%2e%2e/metrics`
would leave the forwarded prefix. Every resource has one plain path, so a dot segment, an empty
segment (`//`), a backslash, an encoded separator or percent sign, or a control character is a 400
with the reason, and nothing is forwarded.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from meent_shared.errors import error_item, error_response

# Percent-encodings of "/", "\" and "%": decoded, they would change the path's structure.
ENCODED_SEPARATORS = (b"%2f", b"%5c", b"%25")


def why_ambiguous(path: str, raw_path: bytes) -> str | None:
    """The reason `path` (decoded; `raw_path` as sent) is refused, or None when it is plain."""
    raw = raw_path.lower()
    if any(encoded in raw for encoded in ENCODED_SEPARATORS):
        return "an encoded '/', '\\' or '%'"
    if "\\" in path:
        return "a backslash"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return "a control character"
    segments = path.split("/")[1:]
    if any(segment in (".", "..") for segment in segments):
        return "a '.' or '..' segment"
    if "" in segments[:-1]:  # a trailing slash is an ordinary path; "//" inside is not
        return "an empty segment ('//')"
    return None


class RefuseAmbiguousPaths:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            raw_path = scope.get("raw_path") or scope["path"].encode()
            reason = why_ambiguous(scope["path"], raw_path)
            if reason is not None:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                item = error_item(
                    f"The path has {reason}: ask for the resource by its plain path",
                    "ambiguous_path",
                    ["path"],
                )
                await error_response(400, [item])(scope, receive, send)
                return
        await self.app(scope, receive, send)
