"""API keys for third-party apps (admins issue and revoke them)."""

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from gateway.auth import api_keys
from gateway.auth.models import ApiKey as ApiKeyRow
from gateway.graphql.context import Info
from gateway.graphql.errors import (
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotAuthorized,
    NotFound,
    not_authenticated,
)
from gateway.graphql.node import Node
from meent_shared.errors import Forbidden, MeentError
from meent_shared.errors import InvalidInput as InvalidInputError
from meent_shared.errors import NotFound as NotFoundError


@strawberry.type
class ApiKey(Node):
    name: str
    scopes: list[str]
    created_at: dt.datetime
    revoked: bool


@strawberry.type(description="A new key. The secret is shown here once and never again.")
class NewApiKey:
    key: ApiKey
    secret: str


def api_key_from(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=strawberry.ID(str(row.id)),
        name=row.name,
        scopes=row.scopes,
        created_at=row.created_at or dt.datetime.now(dt.UTC),
        revoked=row.revoked_at is not None,
    )


def _refusal(error: MeentError) -> InvalidInput | NotAuthorized | NotFound:
    if isinstance(error, Forbidden):
        return NotAuthorized(message=error.msg, code=error.code)
    if isinstance(error, NotFoundError):
        return NotFound(message=error.msg, code=error.code)
    field = ".".join(str(p) for p in error.loc or ["input"])
    return InvalidInput(
        message=error.msg, code=error.code, fields=[FieldError(field=field, message=error.msg)]
    )


CreateApiKeyResult = Annotated[
    NewApiKey | InvalidInput | NotAuthenticated | NotAuthorized | NotFound,
    strawberry.union("CreateApiKeyResult"),
]
RevokeApiKeyResult = Annotated[
    ApiKey | InvalidInput | NotAuthenticated | NotAuthorized | NotFound,
    strawberry.union("RevokeApiKeyResult"),
]


@strawberry.type
class KeysMutation:
    @strawberry.mutation(description="Issue an API key (admin). Scopes: read (default), write.")
    async def create_api_key(
        self, info: Info, name: str, scopes: list[str] | None = None
    ) -> CreateApiKeyResult:
        principal = info.context.principal
        if principal is None:
            return not_authenticated()
        try:
            async with info.context.session_factory() as session, session.begin():
                row, secret = await api_keys.create_api_key(
                    session=session, name=name, scopes=scopes or ["read"], by=principal
                )
        except (Forbidden, InvalidInputError) as error:
            return _refusal(error)
        return NewApiKey(key=api_key_from(row), secret=secret)

    @strawberry.mutation(description="Revoke an API key (admin); it stops working at once.")
    async def revoke_api_key(self, info: Info, id: uuid.UUID) -> RevokeApiKeyResult:
        principal = info.context.principal
        if principal is None:
            return not_authenticated()
        try:
            async with info.context.session_factory() as session, session.begin():
                row = await api_keys.revoke_api_key(session=session, key_id=id, by=principal)
        except (Forbidden, NotFoundError) as error:
            return _refusal(error)
        return api_key_from(row)
