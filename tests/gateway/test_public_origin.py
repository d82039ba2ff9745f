"""The gateway is the public origin: what it forwards stays under the forwarded prefixes, its links
name the configured public URL whatever host a client claims, every page carries the same security
headers, and metrics and readiness detail are for operators only (on the operations port)."""

import http.client
import re
from urllib.parse import urlsplit

import pytest

# Each would leave its prefix if a service or proxy resolved it: /ogc/../metrics is /metrics.
AMBIGUOUS_PATHS = [
    "/ogc/../metrics",
    "/ogc/%2e%2e/metrics",
    "/ogc/%2E%2E/readyz",
    "/ogc/.%2e/metrics",
    "/ogc%2f..%2fmetrics",
    "/ogc/..%2fmetrics",
    "/ogc/..%5cmetrics",
    "/ogc/..\\metrics",
    "/ogc/%252e%252e/metrics",
    "/ogc//collections",
    "//ogc/collections",
    "/ogc/./collections",
    "/tiles/../readyz",
    "/tiles/sites/../../docs",
    "/calendars/../../metrics",
    "/exports/sites/..%2f..%2fmetrics",
    "/assets/../index.html",
]


def raw_get(base_url: str, path: str, headers: dict[str, str] | None = None):
    """GET with the path exactly as given (httpx would resolve the dot segments first)."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.read().decode(errors="replace")
    finally:
        connection.close()


def requests_served(metrics_text: str) -> dict[str, float]:
    """Requests a service answered, by route and status, leaving out the scrapes themselves."""
    counts = {}
    for line in metrics_text.splitlines():
        if line.startswith("meent_http_requests_total{"):
            labels, value = line.rsplit(" ", 1)
            if 'route="/metrics"' not in labels and 'route="/readyz"' not in labels:
                counts[labels] = float(value)
    return counts


def test_paths_that_could_leave_a_prefix_are_refused_and_not_forwarded(running_suite):
    commons_metrics = f"{running_suite.suite.url('commons')}/metrics"
    before = requests_served(running_suite.http.get(commons_metrics).text)
    for path in AMBIGUOUS_PATHS:
        status, body = raw_get(running_suite.url, path)
        assert status == 400, (path, status, body[:200])
        assert '"type":"ambiguous_path"' in body, path
        assert "meent_http_requests" not in body and '"checks"' not in body, path
    assert requests_served(running_suite.http.get(commons_metrics).text) == before
    # The plain paths still work, query strings with encoded slashes too.
    items = "/ogc/collections/sites/items?f=json&bbox=18.6%2C54.3%2C18.7%2C54.4"
    assert raw_get(running_suite.url, items)[0] == 200
    assert raw_get(running_suite.url, "/ogc/collections")[0] == 200


def test_links_name_the_public_url_not_the_host_a_client_claims(running_suite):
    forged = {
        "Host": "evil.example",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Prefix": "/elsewhere",
    }
    status, body = raw_get(running_suite.url, "/ogc", forged)
    assert status == 200
    hrefs = re.findall(r'"href":"([^"]+)"', body)
    assert hrefs and all(href.startswith(f"{running_suite.url}/ogc") for href in hrefs), hrefs
    status, body = raw_get(running_suite.url, "/tiles/sites.json", forged)
    assert status == 200
    assert f'"tiles":["{running_suite.url}/tiles/sites/{{z}}/{{x}}/{{y}}.mvt"]' in body
    assert "evil.example" not in body


def test_metrics_and_readiness_detail_are_not_on_the_public_origin(running_suite):
    public = running_suite.url
    ready = running_suite.http.get(f"{public}/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    metrics = running_suite.http.get(f"{public}/metrics")
    assert metrics.status_code == 404
    assert metrics.json()["detail"][0]["type"] == "http_404"
    assert "meent_http_requests" not in metrics.text


def test_operators_reach_the_gateways_metrics_and_readiness_on_its_operations_port(
    running_suite,
):
    operations = running_suite.suite.operations_url
    ready = running_suite.http.get(f"{operations}/readyz").json()
    assert ready["status"] == "ready"
    assert ready["checks"] == {"database": "ok", "nats": "ok"}
    running_suite.http.get(f"{running_suite.url}/ogc")
    metrics = running_suite.http.get(f"{operations}/metrics")
    assert metrics.status_code == 200
    assert 'route="/ogc{rest:path}",service="gateway"' in metrics.text or (
        'route="/ogc",service="gateway"' in metrics.text
    )
    # The services' own (internal) ports keep serving both, as the gateway's system status uses.
    commons = running_suite.suite.url("commons")
    assert running_suite.http.get(f"{commons}/readyz").json()["checks"]["database"] == "ok"
    assert "meent_http_requests" in running_suite.http.get(f"{commons}/metrics").text


@pytest.mark.parametrize("path", ["/", "/index.html", "/index.html/", "/map", "/about"])
def test_every_page_carries_the_same_security_headers(running_suite, path):
    home = running_suite.http.get(f"{running_suite.url}/")
    answer = running_suite.http.get(f"{running_suite.url}{path}")
    assert answer.status_code == 200
    assert answer.text == home.text  # the page itself, its meta tags filled in
    assert answer.headers["cache-control"] == "no-cache"  # never the raw, cacheable file
    for header in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert answer.headers[header] == home.headers[header], (path, header)
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_built_assets_carry_the_security_headers_too(running_suite):
    home = running_suite.http.get(f"{running_suite.url}/").text
    scripts = re.findall(r'src="(/assets/[^"]+\.js)"', home)
    assert scripts, "make setup builds the web client"
    asset = running_suite.http.get(f"{running_suite.url}{scripts[0]}")
    assert asset.status_code == 200
    assert asset.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in asset.headers["content-security-policy"]
