"""The running suite, started once per test run on free ports (beside any `make run`)."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from meent_shared.local.suite import Suite, SuitePorts
from meent_shared.testing.servers import make_scratch_dir

ROOT = Path(__file__).parents[1]


@dataclass
class RunningSuite:
    suite: Suite
    http: httpx.Client

    @property
    def url(self) -> str:
        return self.suite.url("gateway")

    def token(self, sub: str, roles: list[str] | None = None, name: str | None = None) -> str:
        """A bearer token from the gateway's dev issuer, as the web client gets one."""
        answer = self.http.post(
            f"{self.url}/auth/dev-token",
            json={"sub": sub, "name": name or sub, "roles": roles or ["citizen"]},
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        api_key: str | None = None,
    ) -> httpx.Response:
        headers = {"Accept": "application/graphql-response+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if api_key:
            headers["X-API-Key"] = api_key
        return self.http.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )


@pytest.fixture(scope="session")
def running_suite() -> Iterator[RunningSuite]:
    folder = make_scratch_dir("meent-e2e-")
    suite = Suite(ROOT, folder / "var", SuitePorts.free(), fast_unsafe=True)
    try:
        suite.start()
        with httpx.Client(timeout=30) as http:
            yield RunningSuite(suite, http)
    finally:
        suite.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def suite_url(running_suite: RunningSuite) -> str:
    """The gateway's address: the web client, GraphQL, the forwarded interfaces."""
    return running_suite.url
