"""Attachments in a folder: `<root>/ab/cd/abcd…` by hash. A blob is written to a temporary file
beside its final place, flushed to disk (fsync), then renamed: a reader never sees half a file, and
a crash leaves at most a stray temporary file, never a wrong blob."""

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from spaces.storage.base import CHUNK_BYTES, BlobNotFound, checked_key


class FilesystemStorage:
    def __init__(self, root: Path):
        self.root = root

    def path_of(self, sha256: str) -> Path:
        key = checked_key(sha256)
        return self.root / key[:2] / key[2:4] / key

    async def prepare(self) -> None:
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self.path_of(sha256).is_file)

    async def put(self, sha256: str, source: BinaryIO) -> bool:
        return await asyncio.to_thread(self._put, sha256, source)

    def _put(self, sha256: str, source: BinaryIO) -> bool:
        final = self.path_of(sha256)
        if final.is_file():
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as target:
                digest = _copy(source, target)
                target.flush()
                os.fsync(target.fileno())
            if digest != sha256:
                raise ValueError(f"the bytes hash to {digest}, not {sha256}")
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_folder(final.parent)
        return True

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        try:
            handle = await asyncio.to_thread(self.path_of(sha256).open, "rb")
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_BYTES):
                yield chunk
        finally:
            handle.close()


def _copy(source: BinaryIO, target: BinaryIO) -> str:
    """Copy in chunks, hashing on the way: the key is checked against the bytes written."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def _fsync_folder(folder: Path) -> None:
    """The rename itself survives a power cut only once the folder is flushed too."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
