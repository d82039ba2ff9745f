"""What a scenario is: its target, its load, its targets, and what a data hook returns. (Apart
from the registry in `scenarios.py`, so that scenario modules such as `hours_scenarios.py` can use
them while the registry imports those modules.)"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from meent_shared.local.suite import Suite

BodyFactory = Callable[[int, Any], bytes | None]  # (request index, the load hook's data) -> body
PathFactory = Callable[[int, Any], str]  # (request index, the load hook's data) -> path and query
HeaderFactory = Callable[[int, Any], dict[str, str]]  # -> the request's own extra headers


@dataclass
class Loaded:
    """What a load hook may return instead of bare data: the data for the factories, facts for
    the report, where the target listens when it is not a suite service, processes outside the
    suite whose memory the report shows, and what to call once the scenario is over."""

    data: Any = None
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # {section title: facts}
    base_url: str | None = None
    processes: dict[str, int] = field(default_factory=dict)  # {name: pid}
    close: Callable[[], None] | None = None


DataLoader = Callable[[Suite], Any]  # returns the data, or a `Loaded`


def no_body(index: int, data: Any) -> bytes | None:
    return None


def constant_json(document: dict[str, Any]) -> BodyFactory:
    body = json.dumps(document).encode()
    return lambda index, data: body


@dataclass(frozen=True)
class Target:
    service: str  # "gateway", a service name, or a server the load hook starts (its `base_url`)
    method: str
    path: str  # the request's path; with `paths`, a template of them for the report
    headers: dict[str, str] = field(default_factory=dict)
    body: BodyFactory = no_body
    check: str = "http_200"  # a key of loadgen.CHECKS: what counts as success
    paths: PathFactory | None = None  # each request's own path and query
    count: str | None = None  # a key of loadgen.COUNTERS: items per response, for the report
    headers_for: HeaderFactory | None = None  # each request's own headers (one caller each)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    target: Target
    rate: float = 50.0  # requests per second (open loop)
    duration: float = 30.0  # measured seconds, summed over the rounds
    warmup: float = 5.0  # seconds before each round's measurement, left out of the figures
    baseline: str | None = None
    rounds: int = 3  # interleaved rounds when there is a baseline; otherwise one
    load_data: DataLoader | None = None
    concurrency: int | None = None  # closed loop: this many clients instead of a fixed rate
    p95_target_ms: float | None = None  # passes when the measured p95 is at most this
    max_target_ms: float | None = None  # passes when every request was answered within this
    ratio_at_least: float | None = None  # with a baseline: passes when our/their ratio is ≥ this
    items_per_s_at_least: float | None = None  # with `count`: passes when items/s is ≥ this
    # closed loop: the length of a round's request list (taken in turn, over and over), when
    # runner.CLOSED_LOOP_REQUESTS would repeat requests that should each be new
    closed_loop_requests: int | None = None

    @property
    def closed_loop(self) -> bool:
        return bool(self.concurrency)
