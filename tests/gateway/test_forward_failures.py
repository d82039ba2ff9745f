"""A forwarded interface whose service is slow or down answers 504 or 502 in the one error shape,
within the configured time — not a 500 after httpx's hidden 5 s."""

import time

import pytest

SECONDS = 0.5


@pytest.mark.parametrize("public", ["/ogc/collections", "/calendars/sites/x.ics", "/feeds/x"])
async def test_a_service_that_does_not_answer_is_a_504_in_time(
    start_service, hung_service_url, public
):
    gateway = await start_service(
        "gateway",
        run_workers=False,
        commons_url=hung_service_url,
        spaces_url=hung_service_url,
        forward_timeout_seconds=SECONDS,
    )
    started = time.perf_counter()
    answer = await gateway.client.get(public)
    took = time.perf_counter() - started
    assert answer.status_code == 504, answer.text
    prefix = "/" + public.split("/")[1]
    assert answer.json() == {
        "detail": [
            {
                "msg": f"The service behind {prefix} did not answer within {SECONDS:g} s",
                "type": "service_timeout",
            }
        ]
    }
    assert took < SECONDS + 1.5


async def test_a_service_that_is_down_is_a_502(start_service, down_service_url):
    gateway = await start_service("gateway", run_workers=False, commons_url=down_service_url)
    answer = await gateway.client.get("/tiles/sites/0/0/0.mvt")
    assert answer.status_code == 502, answer.text
    assert answer.json() == {
        "detail": [
            {"msg": "The service behind /tiles cannot be reached", "type": "service_unreachable"}
        ]
    }
    assert "127.0.0.1" not in answer.text
