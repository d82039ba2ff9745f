from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from meent_shared.settings import ServiceSettings

DOCUMENT_BODY_MAX_BYTES = 1_048_576
# Local mode keeps attachments under the repository's var/, beside PostgreSQL's and NATS's data.
LOCAL_ATTACHMENTS_DIR = Path(__file__).resolve().parents[3] / "var" / "attachments"


class StorageBackend(StrEnum):
    filesystem = "filesystem"  # one machine: local mode, a single-node deployment
    s3 = "s3"  # S3-compatible object storage: production


class Settings(ServiceSettings):
    service_name: str = "spaces"
    # A revision's Markdown body, in UTF-8 bytes (also bounds rendering, diffs and search).
    document_body_max_bytes: int = Field(default=DOCUMENT_BODY_MAX_BYTES, ge=1_000, le=16_777_216)
    # A request carries one body, JSON-escaped (a control character takes six bytes as \uXXXX).
    max_body_bytes: int = 4 * DOCUMENT_BODY_MAX_BYTES

    # Where attachments' bytes live (MEENT_STORAGE_BACKEND): a folder or an S3 bucket.
    storage_backend: StorageBackend = StorageBackend.filesystem
    # Empty: var/attachments in the repository (local mode only).
    attachments_dir: str = ""
    s3_endpoint_url: str = ""
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # The largest file an upload may carry; a larger one is refused (413) as it streams in.
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, gt=0)

    @property
    def attachments_path(self) -> Path:
        return Path(self.attachments_dir) if self.attachments_dir else LOCAL_ATTACHMENTS_DIR

    @model_validator(mode="after")
    def refuse_to_start_without_storage(self) -> Self:
        # The filesystem backend works anywhere (var/attachments unless MEENT_ATTACHMENTS_DIR);
        # the S3 one has no usable defaults.
        if self.is_local or self.storage_backend is not StorageBackend.s3:
            return self
        required = {
            "MEENT_S3_ENDPOINT_URL": self.s3_endpoint_url,
            "MEENT_S3_BUCKET": self.s3_bucket,
            "MEENT_S3_ACCESS_KEY_ID": self.s3_access_key_id,
            "MEENT_S3_SECRET_ACCESS_KEY": self.s3_secret_access_key,
        }
        problems = [f"{name} is required" for name, value in required.items() if not value]
        if problems:
            raise ValueError("refusing to start: " + "; ".join(problems))
        return self
