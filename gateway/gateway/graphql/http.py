"""GraphQL over HTTP (the GraphQL-over-HTTP specification), in front of the Strawberry schema.

- POST with `Content-Type: application/json`, GET with query parameters (queries only: a mutation
  over GET is 405 with `Allow: POST`); another content type is 415; an Accept the server cannot
  satisfy is 406.
- The answer is `application/graphql-response+json` when the client accepts it, else
  `application/json`.
- A request that never reaches execution — invalid JSON or JSON nested too deep, parameters of the wrong type, no query,
  a syntax error, a failed validation (limits included), an unknown operation — is 400 with the
  errors in GraphQL's shape. For `application/graphql-response+json` the specification requires
  that; for legacy `application/json` it only suggests 200, and we answer 400 there as well, so a
  refused query looks the same to every client (as Apollo Server does).
- Executed requests are 200, with field errors (masked unless expected) next to the data.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from strawberry import Schema

from gateway.graphql.bounded_json import TooDeeplyNested, load_json

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class RequestError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def negotiate(accept: str | None) -> str:
    """The media type to answer with; 406 when the client accepts neither."""
    if not accept:
        return JSON
    offered = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            offered.append(media.lower())
    if GRAPHQL_RESPONSE in offered:
        return GRAPHQL_RESPONSE
    if JSON in offered or "application/*" in offered or "*/*" in offered:
        return JSON
    raise RequestError(406, f"Can answer only {GRAPHQL_RESPONSE} or {JSON}")


async def read_params(request: Request, max_depth: int) -> dict[str, Any]:
    """The request's parameters; JSON nested deeper than `max_depth` is refused unparsed."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if key in params:
                try:
                    params[key] = load_json(params[key], max_depth, key)
                except TooDeeplyNested as exc:
                    raise RequestError(400, str(exc)) from None
                except ValueError:
                    raise RequestError(400, f"{key} is not valid JSON") from None
        return params
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != JSON:
        raise RequestError(415, f"POST a JSON body with Content-Type: {JSON}")
    try:
        params = load_json(await request.body(), max_depth, "The body")
    except TooDeeplyNested as exc:
        raise RequestError(400, str(exc)) from None
    except ValueError as exc:
        raise RequestError(400, f"The body is not valid JSON: {exc}") from None
    if not isinstance(params, dict):
        raise RequestError(400, "The body must be a JSON object with a query")
    return params


def check_param_types(params: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    query, variables = params.get("query"), params.get("variables")
    operation_name, extensions = params.get("operationName"), params.get("extensions")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "A GraphQL request needs a query (a non-empty string)")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "variables must be an object")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "operationName must be a string")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "extensions must be an object")
    return query, variables, operation_name


def check_operation(query: str, operation_name: str | None, method: str, max_tokens: int) -> None:
    """Syntax, a known operation, and no mutation over GET — before anything runs. The token
    limit holds here too: a 16 MiB body of fields would keep the parser busy for a minute."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError as exc:
        raise RequestError(400, exc.message) from None
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise RequestError(
            400,
            f'Unknown operation named "{operation_name}"'
            if operation_name
            else "The document has several operations: name one with operationName",
        )
    if method == "GET" and operation.operation is not OperationType.QUERY:
        kind = operation.operation.value
        raise RequestError(405, f"A {kind} needs POST; GET is for queries", {"Allow": "POST"})


def format_error(error: GraphQLError) -> dict[str, Any]:
    return dict(error.formatted)


async def handle(request: Request, schema: Schema, context: Any) -> Response:
    response = await _answer(request, schema, context)
    # The media type follows the Accept header: a shared cache must not give one client's
    # representation to another (GET answers are cacheable).
    response.headers["Vary"] = "Accept"
    return response


async def _answer(request: Request, schema: Schema, context: Any) -> Response:
    try:
        media_type = negotiate(request.headers.get("accept"))
    except RequestError as exc:
        return _error(exc, JSON)
    try:
        settings = context.settings
        params = await read_params(request, settings.graphql_max_json_depth)
        query, variables, operation_name = check_param_types(params)
        check_operation(query, operation_name, request.method, settings.graphql_max_tokens)
    except RequestError as exc:
        return _error(exc, media_type)
    result = await schema.execute(
        query,
        variable_values=variables,
        context_value=context,
        operation_name=operation_name,
    )
    body: dict[str, Any] = {}
    executed = result.data is not None or any(e.path for e in result.errors or [])
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    if executed:
        body = {"data": result.data, **body}
    status = 200 if executed else 400
    return JSONResponse(body, status_code=status, media_type=media_type)


def _error(exc: RequestError, media_type: str) -> Response:
    return JSONResponse(
        {"errors": [{"message": str(exc)}]},
        status_code=exc.status,
        media_type=media_type,
        headers=exc.headers,
    )
