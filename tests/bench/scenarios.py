"""The scenarios: what is requested, how often, for how long, and against which baseline.

A scenario whose figure is a ratio names a `baseline`; the two then run in interleaved rounds
(A, B, A, B, …) in the same run, so the machine's noise hits both alike.
To add one: write its `Target` (and a `load_data` hook if it needs data at scale) and append it
to `SCENARIOS`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from meent_shared.local.suite import Suite

BodyFactory = Callable[[int, Any], bytes | None]  # (request index, the load hook's data) -> body
DataLoader = Callable[[Suite], Any]


def no_body(index: int, data: Any) -> bytes | None:
    return None


def constant_json(document: dict[str, Any]) -> BodyFactory:
    body = json.dumps(document).encode()
    return lambda index, data: body


@dataclass(frozen=True)
class Target:
    service: str  # "gateway" or a service name: whose address the path is on
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: BodyFactory = no_body
    check: str = "http_200"  # a key of loadgen.CHECKS: what counts as success


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    target: Target
    rate: float = 50.0  # requests per second
    duration: float = 30.0  # measured seconds, summed over the rounds
    warmup: float = 5.0  # seconds before each round's measurement, left out of the figures
    baseline: str | None = None
    rounds: int = 3  # interleaved rounds when there is a baseline; otherwise one
    load_data: DataLoader | None = None


GRAPHQL_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/graphql-response+json",
}
SYSTEM_QUERY = "{ system { version services { name ready version } } }"

SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in [
        Scenario(
            name="gateway_system",
            description="GraphQL `system` query through the gateway (asks every service)",
            target=Target(
                service="gateway",
                method="POST",
                path="/graphql",
                headers=GRAPHQL_HEADERS,
                body=constant_json({"query": SYSTEM_QUERY}),
                check="graphql",
            ),
            baseline="service_healthz",
        ),
        Scenario(
            name="service_healthz",
            description="commons `/healthz`: one service, no database; the floor",
            target=Target(service="commons", method="GET", path="/healthz"),
        ),
    ]
}


def baselines_of(scenarios: list[Scenario]) -> set[str]:
    return {s.baseline for s in scenarios if s.baseline is not None}
