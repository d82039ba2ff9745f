"""An upload as it streams in: into a temporary file on disk (never whole in memory), hashed and
sniffed on the way, refused the moment it passes the size limit."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO

from meent_shared.errors import PayloadTooLarge
from spaces.attachments.media import Sniffer


@dataclass
class Received:
    sha256: str
    size: int
    sniffer: Sniffer


async def receive(chunks: AsyncIterator[bytes], staged: BinaryIO, max_bytes: int) -> Received:
    digest = hashlib.sha256()
    sniffer = Sniffer()
    size = 0
    async for chunk in chunks:
        if not chunk:
            continue
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(
                f"The file is larger than the upload limit of {max_bytes} bytes",
                code="file_too_large",
            )
        digest.update(chunk)
        sniffer.feed(chunk)
        await asyncio.to_thread(staged.write, chunk)
    await asyncio.to_thread(staged.flush)
    return Received(digest.hexdigest(), size, sniffer)
