"""Services that fail the way real ones do: one that accepts connections and never answers (busy
or hung), and an address where nothing listens (down)."""

import socket
from collections.abc import Iterator

import pytest

from meent_shared.local.ports import free_port


@pytest.fixture
def hung_service_url() -> Iterator[str]:
    """A real port whose connections are accepted (by the kernel) and never answered."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def down_service_url() -> str:
    """A port nothing listens on: connections are refused."""
    return f"http://127.0.0.1:{free_port()}"
