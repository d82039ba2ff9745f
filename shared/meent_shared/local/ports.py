"""Free ports, so test runs never collide with a running suite or with each other.

A port asked of the kernel (bind to 0) comes from the ephemeral range, the same range every
outgoing connection takes its local port from: between choosing a port and the server binding it
(seconds, for the suite's gateway, while the services open connections to PostgreSQL and NATS) a
connection may take it, and the server dies with "address already in use" (a CI run lost the
gateway that way). So ports are drawn at random from below the ephemeral range, which outgoing
connections never use, checked free, and never handed out twice by one process.
"""

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST_PORT = 20000  # above the well-known and most registered services' ports
_handed_out: set[int] = set()


def ephemeral_range() -> tuple[int, int]:
    try:
        low, high = (int(part) for part in EPHEMERAL_RANGE_FILE.read_text().split())
    except (OSError, ValueError):
        return 49152, 65535  # IANA's dynamic range, where other systems take ephemeral ports
    return low, high


def free_port() -> int:
    low = LOWEST_PORT
    high = ephemeral_range()[0] - 1
    if high - low < 1000:  # an unusual range leaves too little room below it
        return _kernel_port()
    for _ in range(200):
        port = random.randint(low, high)
        if port not in _handed_out and port_is_free(port):
            _handed_out.add(port)
            return port
    return _kernel_port()


def _kernel_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a server could listen on the port now (as servers do, ignoring TIME_WAIT)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
