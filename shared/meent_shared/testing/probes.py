"""A request in flight while `/healthz` is asked over and over: for tests that show no request
holds up the others (the service runs as its own process, so the test's loop stays free)."""

import asyncio
import time

import httpx
import pytest

ANSWER_WITHIN = 1.0  # seconds, for a hostile request and for every /healthz asked meanwhile


async def answered_while_healthz_probed(
    client: httpx.AsyncClient, request
) -> tuple[httpx.Response, float, list[float]]:
    """Send `request` (a coroutine); ask /healthz over and over (at least once) until it is
    answered. Returns the answer, how long it took and each /healthz latency."""

    async def timed() -> tuple[httpx.Response, float]:
        asked = time.perf_counter()
        answer = await request
        return answer, time.perf_counter() - asked

    task = asyncio.ensure_future(timed())
    latencies: list[float] = []
    while not latencies or not task.done():
        probed = time.perf_counter()
        try:
            health = await client.get("/healthz", timeout=ANSWER_WITHIN)
        except httpx.TimeoutException:
            task.cancel()
            pytest.fail(f"/healthz did not answer within {ANSWER_WITHIN} s meanwhile")
        assert health.status_code == 200
        latencies.append(time.perf_counter() - probed)
    answer, took = await task
    return answer, took, latencies
