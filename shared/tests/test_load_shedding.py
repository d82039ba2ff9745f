"""Past its concurrency limit a process answers a quick 503 instead of queueing without end."""

import asyncio

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from meent_shared.http import ConcurrencyLimitMiddleware


def slow_app(release: asyncio.Event) -> Starlette:
    async def slow(request):
        await release.wait()
        return PlainTextResponse("done")

    async def healthz(request):
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/slow", slow), Route("/healthz", healthz)])
    app.add_middleware(ConcurrencyLimitMiddleware, max_in_flight=1, queue_seconds=0.1)
    return app


async def test_a_request_beyond_the_limit_is_shed_and_health_is_never_held():
    release = asyncio.Event()
    transport = httpx.ASGITransport(app=slow_app(release))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        first = asyncio.create_task(client.get("/slow"))
        await asyncio.sleep(0.05)  # the first holds the only slot
        shed = await client.get("/slow")
        assert shed.status_code == 503
        assert shed.headers["retry-after"] == "1"
        assert shed.json()["detail"][0]["type"] == "overloaded"
        assert (await client.get("/healthz")).status_code == 200
        release.set()
        assert (await first).text == "done"
        assert (await client.get("/slow")).status_code == 200  # the slot is free again
