"""A small HTTP/1.1 client on asyncio streams, for the load generator only.

Why not httpx: its connection pool rescans every connection and queued request on each event, so
with hundreds of requests in flight — exactly when a server falls behind an open-loop schedule —
the generator itself runs out of CPU and stops keeping its schedule (encode/httpcore#1035). Here a
request takes an idle keep-alive connection or opens a new one; that is all the pooling there is.
Plain `http://` only, responses with Content-Length, chunked, or read-to-close bodies.
"""

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

STREAM_LIMIT = 1 << 20  # the longest header block or chunk-size line accepted


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class Origin:
    """Keep-alive connections to one host and port, opened as needed, at most `max_connections`."""

    def __init__(self, url: str, max_connections: int):
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"only http:// URLs: {url}")
        self.host, self.port = parts.hostname, parts.port or 80
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(max_connections)

    def request_bytes(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None
    ) -> bytes:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")

    async def send(self, request: bytes, *, bodyless: bool = False) -> Response:
        """Send one request and read its response; retry once if a reused connection was stale."""
        async with self.slots:
            for _ in range(2):
                reused, (reader, writer) = await self._connection()
                try:
                    writer.write(request)
                    response, keep = await _read_response(reader, bodyless)
                except (ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    if reused:
                        continue  # the server closed an idle connection under us
                    raise
                except BaseException:  # a timeout or cancellation: the connection is mid-exchange
                    writer.close()
                    raise
                if keep:
                    self.idle.append((reader, writer))
                else:
                    writer.close()
                return response
            raise ConnectionError("stale connection twice in a row")

    async def _connection(self) -> tuple[bool, tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
        while self.idle:
            reader, writer = self.idle.pop()  # the most recently used: least likely to be stale
            if not reader.at_eof() and not writer.is_closing():
                return True, (reader, writer)
            writer.close()
        return False, await asyncio.open_connection(self.host, self.port, limit=STREAM_LIMIT)

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _read_response(reader: asyncio.StreamReader, bodyless: bool) -> tuple[Response, bool]:
    """The response, and whether the connection may carry another request."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
    version, status = status_line.split(" ", 2)[:2]
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
    code = int(status)
    if bodyless or code in (204, 304) or 100 <= code < 200:
        return Response(code, b""), keep
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return Response(code, await _read_chunked(reader)), keep
    if (length := headers.get("content-length")) is not None:
        return Response(code, await reader.readexactly(int(length))), keep
    return Response(code, await reader.read()), False  # the body runs until the server closes


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        parts.append((await reader.readexactly(size + 2))[:-2])
    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then the closing blank line
        pass
    return b"".join(parts)
