"""The storage interface every backend implements."""

import re
from collections.abc import AsyncIterator
from typing import BinaryIO, Protocol

CHUNK_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobNotFound(Exception):
    """No bytes are stored under this hash (the database names a blob the store lost)."""


def checked_key(sha256: str) -> str:
    """The hash as a key: 64 lower-case hex digits, so it can never name another path."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class Storage(Protocol):
    async def put(self, sha256: str, source: BinaryIO) -> bool:
        """Store the bytes `source` reads (from its current position) under `sha256`; False
        when they were there already (stored once)."""
        ...

    def open(self, sha256: str) -> AsyncIterator[bytes]:
        """The stored bytes in chunks; BlobNotFound before the first when there are none."""
        ...

    async def exists(self, sha256: str) -> bool: ...

    async def prepare(self) -> None:
        """Make the folder or bucket if it is missing (at start-up)."""
        ...
