"""Expected failures are typed results in the schema; everything else is masked."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gateway.graphql.services import ServiceError


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
        FieldError(
            field=".".join(str(p) for p in item.get("loc", [])[1:]) or "input",
            message=str(item.get("msg", "")),
        )
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
