"""The storage backends on real stores: a folder, and a real S3 server (SeaweedFS)."""

import hashlib
import io
import uuid

import pytest

from spaces.storage import BlobNotFound, FilesystemStorage, S3Storage, Storage

PLAN = b"# Park plan\n\nTrees along the canal.\n" * 5000  # ~180 kB: several chunks


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def read_all(storage: Storage, sha256: str) -> bytes:
    return b"".join([chunk async for chunk in storage.open(sha256)])


@pytest.fixture
async def s3_storage(s3_server) -> S3Storage:
    storage = S3Storage(
        endpoint_url=s3_server.endpoint_url,
        bucket=f"meent-test-{uuid.uuid4().hex[:12]}",
        region="us-east-1",
        access_key_id=s3_server.access_key_id,
        secret_access_key=s3_server.secret_access_key,
    )
    await storage.prepare()
    return storage


@pytest.fixture
async def filesystem_storage(tmp_path) -> FilesystemStorage:
    storage = FilesystemStorage(tmp_path / "attachments")
    await storage.prepare()
    return storage


async def assert_round_trip_stored_once(storage: Storage) -> None:
    sha256 = digest(PLAN)
    assert not await storage.exists(sha256)
    assert await storage.put(sha256, io.BytesIO(PLAN)) is True
    assert await storage.exists(sha256)
    assert await read_all(storage, sha256) == PLAN
    # The same bytes again: the same key, nothing written a second time.
    assert await storage.put(sha256, io.BytesIO(PLAN)) is False
    assert await read_all(storage, sha256) == PLAN


async def test_s3_round_trips_a_file_on_a_real_server_and_stores_it_once(s3_storage):
    await assert_round_trip_stored_once(s3_storage)
    listing = list_keys(s3_storage)
    assert listing == [f"blobs/{digest(PLAN)}"]


def list_keys(storage: S3Storage) -> list[str]:
    answer = storage.client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in answer.get("Contents", [])]


async def test_s3_reading_an_unknown_hash_is_blob_not_found(s3_storage):
    with pytest.raises(BlobNotFound):
        await read_all(s3_storage, digest(b"never stored"))


async def test_filesystem_round_trips_a_file_content_addressed_and_once(filesystem_storage):
    await assert_round_trip_stored_once(filesystem_storage)
    sha256 = digest(PLAN)
    files = [p for p in filesystem_storage.root.rglob("*") if p.is_file()]
    assert files == [filesystem_storage.root / sha256[:2] / sha256[2:4] / sha256]


async def test_filesystem_refuses_bytes_that_do_not_match_their_key(filesystem_storage):
    wrong = digest(b"something else")
    with pytest.raises(ValueError, match="hash to"):
        await filesystem_storage.put(wrong, io.BytesIO(PLAN))
    assert not await filesystem_storage.exists(wrong)
    assert [p for p in filesystem_storage.root.rglob("*") if p.is_file()] == []


async def test_a_key_that_is_not_a_hash_never_names_a_path(filesystem_storage):
    with pytest.raises(ValueError):
        await filesystem_storage.exists("../../etc/passwd")


def production(**values):
    from spaces.config import Settings

    base = {
        "mode": "production",
        "database_url": "postgresql://db/spaces",
        "jwks_url": "https://id.example/jwks",
        "jwt_secret": "x" * 40,
        "nats_password": "a-real-nats-password-1234",
    }
    return Settings(**(base | values))


def test_production_refuses_to_start_with_s3_but_without_its_settings():
    with pytest.raises(ValueError, match="MEENT_S3_BUCKET is required"):
        production(storage_backend="s3", s3_endpoint_url="https://s3.example")
    settings = production(
        storage_backend="s3",
        s3_endpoint_url="https://s3.example",
        s3_bucket="meent",
        s3_access_key_id="key",
        s3_secret_access_key="secret",
    )
    assert settings.s3_bucket == "meent"
