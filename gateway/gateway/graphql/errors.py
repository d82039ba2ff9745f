"""What a caller is told when something is refused.

- A mutation's refusal is a typed result (the `Refusal` union: `InvalidInput` naming each field,
  `NotAuthenticated`, `NotAuthorized`, `NotFound`, `Conflict`).
- A query field answers `null` for an unknown id, and a GraphQL error with `extensions.code`
  where the input was refused: `BAD_USER_INPUT` (with `extensions.argument` naming the argument),
  `NOT_FOUND`, `FORBIDDEN`, `UNAUTHENTICATED`, `CONFLICT`; `extensions.reason` is the service's
  own code (`reversed_dates`, …).
- A service that did not answer in time, cannot be reached or sheds load is an error with
  `extensions.code` `SERVICE_UNAVAILABLE` and `extensions.reason` `timeout`, `unreachable` or
  `overloaded` (with `extensions.retryAfter` in seconds), on queries and mutations alike; for a mutation the message and `extensions.outcome` say whether the change
  may have been applied (`unknown`: the request reached the service) or not (`not_applied`).
- A read whose answer is larger than the gateway passes on (`max_service_answer_bytes`) is an
  error with `extensions.code` `RESULT_TOO_LARGE`: ask for less.
- Anything else — a service failing (any other 5xx), a bug — is masked as "Unexpected error.".
"""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation.rules.overlapping_fields_can_be_merged import MAX_COMPLEXITY_BUDGET
from strawberry.extensions import MaskErrors
from strawberry.types.graphql import OperationType
from strawberry.utils.logging import StrawberryLogger

from gateway.graphql.services import (
    AnswerTooLarge,
    ServiceError,
    ServiceUnavailable,
    camel_case,
)

# The code of a query error for each status a service refuses with; another 4xx is our fault.
QUERY_ERROR_CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "BAD_USER_INPUT",
    422: "BAD_USER_INPUT",
}


@strawberry.interface(description="A failure the caller can act on.")
class UserError:
    message: str
    code: str


@strawberry.type(description="Sign in first.")
class NotAuthenticated(UserError):
    pass


@strawberry.type(description="Signed in, but not allowed to do this.")
class NotAuthorized(UserError):
    pass


@strawberry.type
class NotFound(UserError):
    pass


@strawberry.type(description="The change clashes with the current state.")
class Conflict(UserError):
    pass


@strawberry.type
class FieldError:
    field: str
    message: str


@strawberry.type(description="The input was refused; `fields` names each problem.")
class InvalidInput(UserError):
    fields: list[FieldError]


# What any write may answer instead of its result.
Refusal = InvalidInput | NotAuthenticated | NotAuthorized | NotFound | Conflict


def user_error(error: ServiceError) -> UserError:
    """The typed result for a service's refusal."""
    message, code = str(error), error.code
    if error.status == 401:
        return NotAuthenticated(message=message, code=code)
    if error.status == 403:
        return NotAuthorized(message=message, code=code)
    if error.status == 404:
        return NotFound(message=message, code=code)
    if error.status == 409:
        return Conflict(message=message, code=code)
    fields = [
        FieldError(field=_field_path(item.get("loc")), message=str(item.get("msg", "")))
        for item in error.detail
    ]
    return InvalidInput(message=message, code=code or "invalid_input", fields=fields)


async def as_result(
    info: Any,
    make: Callable[[], Awaitable[Any]],
    refusal: Callable[[ServiceError], UserError] | None = None,
) -> Any:
    """Run a write for the caller; a service's refusal becomes a typed result, not an error."""
    if info.context.principal is None:
        return not_authenticated()
    try:
        return await make()
    except ServiceError as error:
        return (refusal or user_error)(error)


def not_authenticated() -> NotAuthenticated:
    return NotAuthenticated(
        message="Sign in first: this needs a bearer token or an API key", code="not_authenticated"
    )


def _field_path(loc: Any) -> str:
    """Where in the input a service's refusal points, in GraphQL's names (`external_id` →
    `externalId`); the body or a parameter itself is "input"."""
    parts = loc[1:] if isinstance(loc, list) else []
    return ".".join(camel_case(p) if isinstance(p, str) else str(p) for p in parts) or "input"


def bad_user_input(argument: str, message: str, reason: str = "invalid") -> GraphQLError:
    """A query argument refused by the gateway itself, before any service is asked."""
    return GraphQLError(
        message, extensions={"code": "BAD_USER_INPUT", "argument": argument, "reason": reason}
    )


# What a mutation's caller may do when its service did not answer, by whether the request left.
OUTCOMES = {
    True: (
        "unknown",
        "The change may or may not have been made: look before you try again, or repeat it only "
        "if doing it twice does no harm.",
    ),
    False: ("not_applied", "Nothing was changed; try again later."),
}


# graphql-core's own words when a document would take it too much work to validate; the gateway's
# limits (graphql_max_repeated_fields above all) refuse such documents first, with their reason.
VALIDATION_ABORTED = "Validation aborted."
VALIDATION_TOO_COSTLY = (
    "Validation aborted: checking that the document's fields merge would take more work than "
    "allowed (graphql-core compares fields of one name in one selection set, fragments "
    f"included, pair by pair: {MAX_COMPLEXITY_BUDGET:,} comparisons at most). Ask for each field "
    "once, or spread fewer fragments."
)


def coded(error: GraphQLError, in_mutation: bool = False) -> GraphQLError:
    """A service's refusal or unavailability, as a GraphQL error with a code; graphql-core's bare
    "Validation aborted." with its reason; others unchanged."""
    if error.message == VALIDATION_ABORTED and error.original_error is None:
        return _with(error, VALIDATION_TOO_COSTLY, None)
    original = error.original_error
    if isinstance(original, ServiceUnavailable):
        return unavailable_error(error, original, in_mutation)
    if isinstance(original, AnswerTooLarge):
        too_large = {"code": "RESULT_TOO_LARGE", "service": original.service}
        return _with(error, f"{original}.", too_large)
    if not isinstance(original, ServiceError) or original.status not in QUERY_ERROR_CODES:
        return error
    extensions: dict[str, Any] = {"code": QUERY_ERROR_CODES[original.status]}
    if original.argument and extensions["code"] == "BAD_USER_INPUT":
        extensions["argument"] = original.argument
    extensions["reason"] = original.code
    return _with(error, str(original), extensions)


def unavailable_error(
    error: GraphQLError, unavailable: ServiceUnavailable, in_mutation: bool
) -> GraphQLError:
    extensions: dict[str, Any] = {
        "code": "SERVICE_UNAVAILABLE",
        "reason": unavailable.reason,
        "service": unavailable.service,
    }
    if unavailable.retry_after is not None:
        extensions["retryAfter"] = unavailable.retry_after  # seconds, as the service said
    if not in_mutation:
        return _with(error, f"{unavailable}; try again later.", extensions)
    outcome, advice = OUTCOMES[unavailable.sent]
    return _with(error, f"{unavailable}. {advice}", {**extensions, "outcome": outcome})


def _with(error: GraphQLError, message: str, extensions: dict[str, Any] | None) -> GraphQLError:
    """The error at the same place, with another message and code (and no original error)."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def is_expected(error: GraphQLError) -> bool:
    """Errors the caller caused (syntax, validation, arguments) keep their message; any error
    raised by our own code is masked, so internals never leak."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class CodeRefusalsMaskFaults(MaskErrors):
    """Strawberry's masking, with services' refusals turned into coded errors first — on every
    transport (HTTP results and WebSocket stream results go through the same hook)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not is_expected(error))

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        in_mutation = self._in_mutation()
        return super()._process_errors([coded(error, in_mutation) for error in errors])

    def _in_mutation(self) -> bool:
        try:
            return self.execution_context.operation_type is OperationType.MUTATION
        except RuntimeError:  # no operation to run (refused before): nothing was sent anyway
            return False


def log_errors(errors: list[GraphQLError]) -> None:
    """Each error at the level it deserves: what a caller got wrong (syntax, validation, limits, a
    service's refusal, a read too large to pass on) is theirs to fix and anyone can send it —
    info, so it cannot flood the error log; a service that is slow or down is the operators' to
    watch — warning; anything else is a fault of ours — error, with its traceback."""
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError | ServiceError | AnswerTooLarge):
            StrawberryLogger.logger.info("refused: %s", error.message)
        elif isinstance(original, ServiceUnavailable):
            StrawberryLogger.logger.warning("%s (at %s)", original, error.path)
        else:
            StrawberryLogger.error(error)
