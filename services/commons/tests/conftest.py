"""commons as a real process, for tests that show a request does not hold up the others (the
shared `start_service_process`, for commons)."""

from collections.abc import Callable

import pytest

from meent_shared.testing.processes import ServiceProcess


@pytest.fixture
def start_commons_process(start_service_process) -> Callable[..., ServiceProcess]:
    """Start commons with any settings as MEENT_* variables; stopped after the test."""

    def start(**env: str) -> ServiceProcess:
        return start_service_process("commons", **env)

    return start
