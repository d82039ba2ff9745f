"""A `DirectRoute` on a fixed path is answered past the router (`DirectLane`), and a client
cannot tell: the same request id, body limit, error answers, metrics and fall-through to the
routes beside it as any route of the service frame."""

import httpx
import pytest
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from meent_shared.direct import DirectLane, DirectRoute, answered_by, json_body
from meent_shared.errors import Conflict
from meent_shared.http import create_service_app
from meent_shared.runtime import ServiceEvents, ServiceRuntime
from meent_shared.settings import Mode, ServiceSettings

MAX_BODY = 1_000


class Thing(BaseModel):
    name: str


async def make_thing(request: Request) -> Response:
    thing = json_body(Thing, await request.body(), request.headers.get("content-type"))
    if thing.name == "taken":
        raise Conflict("That name is taken", code="name_taken")
    if thing.name == "crash":
        raise RuntimeError("a bug in the handler")
    # Starlette's router marks the requests it routes: a lane's never pass it.
    routed = "yes" if "router" in request.scope else "no"
    return Response(
        thing.model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"x-routed": routed},
    )


def service_app():
    things = APIRouter(prefix="/things", route_class=DirectRoute)

    @things.post("", response_model=Thing, status_code=201)
    @answered_by(make_thing)
    async def create_thing(thing: Thing) -> Thing:
        raise AssertionError("a DirectRoute's endpoint only documents the route")

    listing = APIRouter()

    @listing.get("/things")
    async def list_things() -> list[str]:
        return ["a thing"]

    settings = ServiceSettings(service_name="lane", mode=Mode.local, max_body_bytes=MAX_BODY)
    runtime = ServiceRuntime(settings, ServiceEvents())
    return create_service_app(
        runtime, title="lane", description="a DirectLane", routers=[things, listing]
    )


@pytest.fixture
async def client():
    app = service_app()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://lane.test") as client:
        yield client


async def test_the_lane_answers_with_the_frame_around_it(client):
    made = await client.post("/things", json={"name": "shed"}, headers={"x-request-id": "r-1"})
    assert made.status_code == 201
    assert made.json() == {"name": "shed"}
    assert made.headers["x-request-id"] == "r-1"
    assert made.headers["x-routed"] == "no"
    metrics = (await client.get("/metrics")).text
    assert 'route="/things",service="lane",status="201"' in metrics


async def test_what_the_handler_raises_gets_the_services_error_answers(client):
    taken = await client.post("/things", json={"name": "taken"})
    assert taken.status_code == 409
    assert taken.json()["detail"][0]["type"] == "name_taken"
    invalid = await client.post("/things", json={"name": 3})
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["body", "name"]
    crash = await client.post("/things", json={"name": "crash"})
    assert crash.status_code == 500
    assert "a bug in the handler" not in crash.text
    assert 'route="/things",service="lane",status="500"' in (await client.get("/metrics")).text


async def test_the_body_limit_holds_in_the_lane(client):
    declared = await client.post("/things", json={"name": "x" * MAX_BODY})
    assert declared.status_code == 413

    async def streamed():
        yield b'{"name": "'
        yield b"x" * MAX_BODY
        yield b'"}'

    undeclared = await client.post(
        "/things", content=streamed(), headers={"content-type": "application/json"}
    )
    assert undeclared.status_code == 413


async def test_other_methods_and_paths_go_through_the_router(client):
    assert (await client.get("/things")).json() == ["a thing"]
    assert (await client.put("/things", json={"name": "a"})).status_code == 405
    assert (await client.post("/things/", json={"name": "a"})).status_code == 307
    schema = (await client.get("/openapi.json")).json()
    assert "post" in schema["paths"]["/things"]


def test_a_lane_takes_fixed_paths_only():
    with_id = APIRouter(route_class=DirectRoute)

    @with_id.post("/things/{thing_id}")
    @answered_by(make_thing)
    async def change_thing(thing_id: str) -> None: ...

    with pytest.raises(TypeError, match="fixed paths"):
        DirectLane(make_thing, with_id.routes, {})  # type: ignore[arg-type]
