"""Services that fail the way real ones do: one that accepts connections and never answers (busy
or hung), and an address where nothing listens (down), one that answers every request with a
500 (failing), and one that sheds load (the shared ConcurrencyLimitMiddleware's 503)."""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


@pytest.fixture
def failing_service_url():
    """A real HTTP server that answers every request with a 500 naming its internals."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"detail": "psycopg.OperationalError at db.internal:5432"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def shedding_service_url():
    """A real HTTP server that turns every request away as a service under load does: a 503
    with Retry-After and the middleware's own body (meent_shared.http.ConcurrencyLimitMiddleware)."""
    from meent_shared.errors import error_item

    body = json.dumps({"detail": [error_item("Busy: try again in a moment", "overloaded")]})

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Retry-After", "2")
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
