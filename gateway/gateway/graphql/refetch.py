"""`node(id:)`: anything with an id, refetched by it (Relay's object identification).

An id is the thing's UUID (see node.py), which does not say its type: every type's owner is
asked at once, and the one that knows the id answers. Ids are unique across types, so at most
one does; a thing the caller may not see (someone else's hours) makes the answer FORBIDDEN, and
null means no such thing (private kinds are not looked up for an anonymous caller at all).
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from gateway.auth.models import ApiKey as ApiKeyRow
from gateway.graphql.commons.types import (
    period_from,
    site_from,
    stewardship_from,
    task_from,
    team_from,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.grants import call_from
from gateway.graphql.grants_types import application_of
from gateway.graphql.keys import api_key_from
from gateway.graphql.node import Node
from gateway.graphql.services import ServiceError
from gateway.graphql.spaces import project_from
from gateway.graphql.volunteers import hour_entry_from

Refetch = Callable[[Info, uuid.UUID], Awaitable[Node | None]]


def from_service(
    service: str, path: str, convert: Callable[[Any], Node], *, private: bool = False
) -> Refetch:
    """A look-up by id in a service: None when it knows no such id. A `private` kind is only
    looked up for someone signed in (an anonymous caller sees none of it)."""

    async def refetch(info: Info, id: uuid.UUID) -> Node | None:
        if private and info.context.principal is None:
            return None
        try:
            return convert(await info.context.services.get(service, path.format(id=id)))
        except ServiceError as error:
            if error.status in (404, 422):
                return None
            raise

    return refetch


async def team(info: Info, id: uuid.UUID) -> Node | None:
    teams = await info.context.services.get("commons", "/teams")  # few, and no look-up of one
    return next((team_from(t) for t in teams if t["id"] == str(id)), None)


async def api_key(info: Info, id: uuid.UUID) -> Node | None:
    principal = info.context.principal
    if principal is None or not principal.has_role("admin"):
        return None  # admins manage keys; no one else learns a key's id exists
    async with info.context.session_factory() as session:
        row = await session.get(ApiKeyRow, id)
    return api_key_from(row) if row else None


REFETCHERS: dict[str, Refetch] = {
    "Site": from_service("commons", "/sites/{id}", site_from),
    "UsePeriod": from_service("commons", "/periods/{id}", period_from),
    "Stewardship": from_service("commons", "/stewardships/{id}", stewardship_from),
    "MaintenanceTask": from_service("commons", "/tasks/{id}", task_from),
    "Team": team,
    "Project": from_service("spaces", "/projects/{id}", project_from),
    "FundingCall": from_service("grants", "/calls/{id}", call_from),
    "Application": from_service("grants", "/applications/{id}", application_of),
    "HourEntry": from_service("volunteers", "/hours/{id}", hour_entry_from, private=True),
    "ApiKey": api_key,
}


def the_one_found(answers: list[Node | None | BaseException]) -> Node | None:
    """The node one owner knew; else a refusal (FORBIDDEN, UNAUTHENTICATED) or a fault met."""
    found = [a for a in answers if isinstance(a, Node)]
    if found:
        return found[0]
    refused = [a for a in answers if isinstance(a, ServiceError) and a.status in (401, 403)]
    if refused:
        raise refused[0]  # a coded error (errors.coded)
    faults = [a for a in answers if isinstance(a, BaseException)]
    if faults:
        raise faults[0]
    return None


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Anything with an id, by its id; null when there is no such thing.",
        metadata={"requests": len(REFETCHERS)},
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        try:
            uuid_ = uuid.UUID(str(id))
        except ValueError:
            raise bad_user_input("id", "id is not an id this API gave out", "invalid_id") from None
        answers = await asyncio.gather(
            *(refetch(info, uuid_) for refetch in REFETCHERS.values()), return_exceptions=True
        )
        return the_one_found(list(answers))


__all__ = ["REFETCHERS", "NodeQuery"]
