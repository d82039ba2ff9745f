"""OGC API – Features answers an invalid query parameter with 400 (/req/core/query-param-invalid),
where the rest of meent says 422: the OGC routes keep the one error shape, with status 400."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from meent_shared.errors import InvalidInput, error_item, error_response


class OgcRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer_invalid_parameters_with_400(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                items = [
                    error_item(str(e["msg"]), str(e["type"]), list(e.get("loc", [])))
                    for e in exc.errors()
                ]
                return error_response(400, items)
            except InvalidInput as exc:
                return error_response(400, [error_item(exc.msg, exc.code, exc.loc, exc.ctx)])

        return answer_invalid_parameters_with_400
