"""Where attachments' bytes live: one small interface, content-addressed by SHA-256.

`put(sha256, source)` stores a readable file's bytes under their hash (once: the same bytes are
the same key), `open(sha256)` streams them back in chunks, `exists(sha256)` asks. Two backends:
the filesystem (local mode, under var/) and S3-compatible object storage (production).
"""

from spaces.config import Settings, StorageBackend
from spaces.storage.base import CHUNK_BYTES, BlobNotFound, Storage
from spaces.storage.filesystem import FilesystemStorage
from spaces.storage.s3 import S3Storage

__all__ = [
    "CHUNK_BYTES",
    "BlobNotFound",
    "FilesystemStorage",
    "S3Storage",
    "Storage",
    "make_storage",
]


def make_storage(settings: Settings) -> Storage:
    if settings.storage_backend is StorageBackend.s3:
        return S3Storage(
            endpoint_url=settings.s3_endpoint_url,
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
    return FilesystemStorage(settings.attachments_path)
