"""The one error shape of every meent service: `{"detail": [{"msg": ..., "type": ...}]}`.

It is FastAPI's own validation-error shape, so a client reads a 400, 404, 409, 413 or 422 the same
way. Expected failures are `MeentError`s with a stable `type` code; anything else becomes a bare 500
that never leaks internals (the traceback goes to the log, with the request id).
"""

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("meent.errors")


class MeentError(Exception):
    """An expected failure a client can act on."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        msg: str,
        *,
        code: str | None = None,
        loc: list[str | int] | None = None,
        ctx: dict[str, Any] | None = None,
    ):
        super().__init__(msg)
        self.msg = msg
        self.code = code or self.code
        self.loc = loc
        self.ctx = ctx  # machine-readable details, e.g. the period a schedule conflicts with


class InvalidInput(MeentError):
    status_code = 422
    code = "invalid_input"


class Unauthorized(MeentError):
    status_code = 401
    code = "unauthorized"


class Forbidden(MeentError):
    status_code = 403
    code = "forbidden"


class NotFound(MeentError):
    status_code = 404
    code = "not_found"


class Conflict(MeentError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(MeentError):
    status_code = 413
    code = "payload_too_large"


def printable(text: str) -> str:
    """`text` as UTF-8 can carry it: a message that quotes the input may quote a lone surrogate
    (JSON's "\\ud800"), which would fail the response instead of explaining the refusal."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_item(
    msg: str, type_: str, loc: list[str | int] | None = None, ctx: dict[str, Any] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"msg": printable(msg), "type": type_}
    if loc is not None:
        item["loc"] = loc
    if ctx is not None:
        item["ctx"] = ctx
    return item


def error_response(
    status_code: int, items: list[dict[str, Any]], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"detail": items}, status_code=status_code, headers=headers)


async def _meent_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MeentError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    item = error_item(exc.msg, exc.code, exc.loc, exc.ctx)
    return error_response(exc.status_code, [item], headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    # A body that is not JSON at all is a malformed request (400), not a semantic error (422).
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = (detail.get("ctx") or {}).get("error", "")
        msg = f"Malformed JSON body: {reason}".rstrip(": ")
        return error_response(400, [error_item(msg, "json_invalid", ["body"])])
    # Leave out the offending `input`: it may be large or personal, and the client has it anyway.
    return error_response(422, [_validation_item(e) for e in errors])


def _validation_item(error: Any) -> dict[str, Any]:
    msg, type_, ctx = str(error["msg"]), str(error["type"]), error.get("ctx") or {}
    # A length checked after a validator (an optional text, a query parameter) is reported as a
    # count of "items"; for text, say characters, as for every other string.
    if type_ in ("too_long", "too_short") and isinstance(error.get("input"), str):
        bound = "at most" if type_ == "too_long" else "at least"
        limit = ctx.get("max_length" if type_ == "too_long" else "min_length")
        unit = "character" if limit == 1 else "characters"
        msg, type_ = f"String should have {bound} {limit} {unit}", f"string_{type_}"
    loc = [part if isinstance(part, int) else printable(str(part)) for part in error.get("loc", [])]
    return error_item(msg, type_, loc)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    msg = exc.detail if isinstance(exc.detail, str) else "HTTP error"
    code = getattr(exc, "code", None) or f"http_{exc.status_code}"
    return error_response(exc.status_code, [error_item(msg, code)], exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, [error_item("Internal server error", "internal_error")])


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MeentError, _meent_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
