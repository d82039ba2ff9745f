"""What the gateway sends on to a service and brings back, seen from a real HTTP server standing in
for commons (none of commons' answers varies by a request header today, so it cannot show Vary)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from meent_shared.local.ports import free_port


@pytest.fixture
def upstream():
    seen: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Vary", "Accept, Accept-Language")
            self.send_header("Content-Language", "nl")
            self.send_header("Set-Cookie", "tracking=1")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


async def test_the_answer_keeps_vary_and_the_request_names_no_client_host(start_service, upstream):
    url, seen = upstream
    gateway = await start_service("gateway", run_workers=False, commons_url=url)
    answer = await gateway.client.get(
        "/ogc/collections",
        headers={"Accept-Language": "nl", "X-Forwarded-Host": "evil.example", "Cookie": "s=1"},
    )
    assert answer.status_code == 200
    assert answer.headers["vary"] == "Accept, Accept-Language"
    assert answer.headers["content-language"] == "nl"
    assert "set-cookie" not in answer.headers
    [(path, headers)] = seen
    assert path == "/ogc/collections"
    assert headers["accept-language"] == "nl"
    assert not [h for h in headers if h.startswith("x-forwarded") or h == "cookie"], headers


async def test_a_decoded_question_mark_stays_in_the_path(start_service, upstream):
    url, seen = upstream
    gateway = await start_service("gateway", run_workers=False, commons_url=url)
    await gateway.client.get("/calendars/sites/a%3Fadmin=1.ics", params={"x": "1"})
    assert [path for path, _ in seen] == ["/calendars/sites/a%3Fadmin=1.ics?x=1"]
