"""Attachments in S3-compatible object storage (production): key `blobs/<sha256>` in one bucket.
boto3 is blocking, so every call runs in a worker thread; the event loop never waits on S3."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from spaces.storage.base import CHUNK_BYTES, BlobNotFound, checked_key

MISSING = ("404", "NoSuchKey", "NotFound", "NoSuchBucket")


class S3Storage:
    def __init__(
        self,
        *,
        endpoint_url: str,
        bucket: str,
        region: str,
        access_key_id: str,
        secret_access_key: str,
    ):
        self.bucket = bucket
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            # Path-style addressing: what S3-compatible servers (SeaweedFS, MinIO) answer.
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3},
            ),
        )

    @staticmethod
    def key_of(sha256: str) -> str:
        return f"blobs/{checked_key(sha256)}"

    async def prepare(self) -> None:
        try:
            await asyncio.to_thread(self.client.head_bucket, Bucket=self.bucket)
        except ClientError as error:
            if _code(error) not in MISSING:
                raise
            await asyncio.to_thread(self.client.create_bucket, Bucket=self.bucket)

    async def exists(self, sha256: str) -> bool:
        try:
            await asyncio.to_thread(
                self.client.head_object, Bucket=self.bucket, Key=self.key_of(sha256)
            )
        except ClientError as error:
            if _code(error) in MISSING:
                return False
            raise
        return True

    async def put(self, sha256: str, source: BinaryIO) -> bool:
        if await self.exists(sha256):
            return False
        # upload_fileobj reads in parts (multipart above 8 MiB): never the whole file in memory.
        await asyncio.to_thread(
            self.client.upload_fileobj, source, self.bucket, self.key_of(sha256)
        )
        return True

    async def open(self, sha256: str) -> AsyncIterator[bytes]:
        try:
            answer = await asyncio.to_thread(
                self.client.get_object, Bucket=self.bucket, Key=self.key_of(sha256)
            )
        except ClientError as error:
            if _code(error) in MISSING:
                raise BlobNotFound(sha256) from None
            raise
        body = answer["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK_BYTES):
                yield chunk
        finally:
            body.close()


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
