"""Routes FastAPI documents but does not call: for a service's hottest endpoint.

FastAPI's own handling of a request — dependency solving, body parsing, response validation,
its exit stacks — costs more CPU than all of `POST /hours`' work (measured with py-spy under
`make bench-hours`: 37 % of the process against 22 % for the endpoint). A `DirectRoute` keeps
the endpoint's signature for OpenAPI, the middleware, the error handlers and the body limits,
but answers with a plain `handler(request) -> Response` given by `@answered_by`. The handler
parses with `json_body` and authenticates with `auth.signed_in_principal`, which refuse as
FastAPI and `required_principal` do.

    @router.post("/things", response_model=Thing, status_code=201)   # router(route_class=DirectRoute)
    @answered_by(create_thing_directly)
    async def create_thing(thing_in: ThingCreate, principal: CurrentPrincipal) -> Thing: ...
"""

import inspect
import json
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
ModelT = TypeVar("ModelT", bound=BaseModel)

# An app's `exception_handlers`: by exception class (or status code), sync or async.
ExceptionHandlers = Mapping[Any, Callable[..., Any]]

_HANDLER = "direct_handler"


def answered_by(handler: Handler) -> Callable[[Endpoint], Endpoint]:
    """Mark a `DirectRoute` endpoint with the handler that answers its requests."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _HANDLER, handler)
        return endpoint

    return mark


class DirectRoute(APIRoute):
    """An APIRoute answered by its endpoint's `@answered_by` handler (see the module)."""

    def get_route_handler(self) -> Handler:
        handler = getattr(self.endpoint, _HANDLER, None)
        if handler is None:
            raise TypeError(f"{self.path}: a DirectRoute's endpoint needs @answered_by(handler)")
        if self.dependencies:  # the handler would never run them
            raise TypeError(f"{self.path}: a DirectRoute takes no router or route dependencies")
        return handler


def json_body(model: type[ModelT], body: bytes, content_type: str | None) -> ModelT:
    """The body as `model`, or the RequestValidationError FastAPI would raise (422, or 400 for
    JSON that does not parse), each error's `loc` starting with "body". As FastAPI's (strict
    content type, its default), a body without a JSON content type is not read as JSON."""
    if not body:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
        )
    if not content_type or not _is_json(content_type):
        raise RequestValidationError(
            [
                {
                    "type": "model_attributes_type",
                    "loc": ("body",),
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": None,
                }
            ]
        )
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        if any(error["type"] == "json_invalid" for error in exc.errors()):
            # What pydantic's parser refuses, the standard library's may read (a BOM, UTF-16),
            # and FastAPI reads with the latter: so do we, and refuse with its words.
            return _validated_from_python(model, body)
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def _validated_from_python(model: type[ModelT], body: bytes) -> ModelT:
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError as exc:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", exc.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": exc.msg},
                }
            ]
        ) from None
    except UnicodeDecodeError:
        raise HTTPException(400, "There was an error parsing the body") from None
    try:
        return model.model_validate(parsed)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    main, _, subtype = media_type.partition("/")
    return main == "application" and (subtype == "json" or subtype.endswith("+json"))


class DirectLane:
    """Takes the requests of the app's `DirectRoute`s (fixed paths) past the router: the ASGI
    middleware innermost of the service's own, so request ids, logs, metrics, the concurrency
    and body limits apply as to every request, and the app's exception handlers answer what the
    handler raises (an unhandled error goes on to the server-error handler, a 500).

    Under `make bench-hours`, FastAPI's exception middlewares, its included-router matching and
    Starlette's request-response wrapper cost as much CPU per `POST /hours` as the endpoint's
    own work; every other route still goes that way."""

    def __init__(self, app: ASGIApp, routes: Sequence[DirectRoute], handlers: ExceptionHandlers):
        self.app = app
        for route in routes:
            if route.param_convertors:
                raise TypeError(f"{route.path}: a DirectLane takes fixed paths only")
        self.lanes = {
            (method, route.path): (route, route.get_route_handler())
            for route in routes
            for method in route.methods or ()
        }
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane = (
            self.lanes.get((scope["method"], get_route_path(scope)))
            if scope["type"] == "http"
            else None
        )
        if lane is None:
            await self.app(scope, receive, send)
            return
        route, answer = lane
        scope["route"] = route  # the metrics' route label, as the router would set it
        request = Request(scope, receive, send)
        try:
            response = await answer(request)
        except Exception as exc:
            handler = self._handler_for(exc)
            if handler is None:
                raise
            if inspect.iscoroutinefunction(handler):
                response = await handler(request, exc)
            else:  # as Starlette runs a sync handler: off the event loop
                response = await run_in_threadpool(handler, request, exc)
        await response(scope, receive, send)

    def _handler_for(self, exc: Exception) -> Callable[..., Any] | None:
        # As Starlette's: a handler for an HTTPException's status code comes first.
        if isinstance(exc, StarletteHTTPException) and exc.status_code in self.handlers:
            return self.handlers[exc.status_code]
        for cls in type(exc).__mro__:
            if cls is Exception:
                return None  # the server-error middleware's, outermost
            if cls in self.handlers:
                return self.handlers[cls]
        return None
