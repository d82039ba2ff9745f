"""Services that fail the way real ones do: one that accepts connections and never answers (busy
or hung), and an address where nothing listens (down), one that answers every request with a
500 (failing), and one that sheds load (the shared ConcurrencyLimitMiddleware's 503)."""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meent_shared.errors import error_item
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


def answering_always(status: int, body: bytes, headers: dict[str, str]) -> Iterator[str]:
    """A real HTTP server on a free port that answers every request the same way; its URL."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def failing_service_url() -> Iterator[str]:
    """A real HTTP server that answers every request with a 500 naming its internals."""
    body = b'{"detail": "psycopg.OperationalError at db.internal:5432"}'
    yield from answering_always(500, body, {})


@pytest.fixture
def shedding_service_url() -> Iterator[str]:
    """A real HTTP server that turns every request away as a service under load does: a 503
    with Retry-After and the middleware's own body (meent_shared.http.ConcurrencyLimitMiddleware)."""
    body = json.dumps({"detail": [error_item("Busy: try again in a moment", "overloaded")]})
    yield from answering_always(503, body.encode(), {"Retry-After": "2"})
