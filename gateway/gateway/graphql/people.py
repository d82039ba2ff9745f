"""spaces' people in GraphQL: profiles, memberships (stints) and a person's data export."""

import asyncio
import datetime as dt
import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.context import Info
from gateway.graphql.errors import NotAuthorized, Refusal, as_result
from gateway.graphql.services import ServiceError, path_segment

# The services that hold a part of a person's data, in the order their parts are shown.
EXPORTING_SERVICES = ("spaces", "commons", "volunteers", "grants")


@strawberry.enum
class ProjectRole(Enum):
    COORDINATOR = "coordinator"
    CORE = "core"
    SKILL = "skill"


@strawberry.enum
class Language(Enum):
    EN = "en"
    NL = "nl"
    PL = "pl"
    FR = "fr"


@strawberry.type(description="A person; the name only as they allow, contact data only to them.")
class Person:
    id: strawberry.ID
    display_name: str | None = strawberry.field(
        description="Their name if they show it publicly (always to themselves); else null"
    )
    erased: bool = False
    language: Language | None = strawberry.field(default=None, description="Only to themselves")
    name_public: bool | None = strawberry.field(default=None, description="Only to themselves")
    contact_email: str | None = strawberry.field(default=None, description="Only to themselves")
    contact_phone: str | None = strawberry.field(default=None, description="Only to themselves")
    version: int | None = None


@strawberry.type(description="One stint of a person in a project's group; a rejoin is a new one.")
class Membership:
    id: strawberry.ID
    project_id: uuid.UUID
    person: Person
    role: ProjectRole = strawberry.field(description="The stint's role (its last, once ended)")
    joined_on: dt.date
    left_on: dt.date | None = strawberry.field(description="null while a member")
    version: int


def own_person_from(data: dict[str, Any]) -> Person:
    return Person(
        id=strawberry.ID(data["id"]),
        display_name=data["display_name"],
        language=Language(data["language"]),
        name_public=data["name_public"],
        contact_email=data["contact_email"],
        contact_phone=data["contact_phone"],
        version=data["version"],
    )


def membership_from(data: dict[str, Any]) -> Membership:
    shown = data["display_name"] not in ("a member", "erased person")
    person = Person(
        id=strawberry.ID(data["person_id"]),
        display_name=data["display_name"] if shown else None,
        erased=data["display_name"] == "erased person",
    )
    return Membership(
        id=strawberry.ID(data["id"]),
        project_id=uuid.UUID(data["project_id"]),
        person=person,
        role=ProjectRole(data["role"]),
        joined_on=dt.date.fromisoformat(data["joined_on"]),
        left_on=dt.date.fromisoformat(data["left_on"]) if data["left_on"] else None,
        version=data["version"],
    )


async def project_members(info: Info, project_id: str, current: bool) -> list[Membership]:
    """A project's members now, or every stint (bounded by the largest page)."""
    params = {"current": current, "limit": info.context.settings.graphql_max_page_size}
    page = await info.context.services.get("spaces", f"/projects/{project_id}/members", params)
    return [membership_from(m) for m in page["data"]]


async def viewer_person(info: Info) -> Person | None:
    """The signed-in person's own profile (made from their token on first sight)."""
    if info.context.principal is None:
        return None
    return own_person_from(await info.context.services.get("spaces", "/people/me"))


@strawberry.type(description="The person is erased from spaces; every service is told.")
class Erased:
    pseudonym: str


@strawberry.input
class UpdateProfileInput:
    display_name: str | None = strawberry.UNSET
    language: Language | None = strawberry.UNSET
    name_public: bool | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    contact_phone: str | None = strawberry.UNSET


MembershipResult = Annotated[Membership | Refusal, strawberry.union("MembershipResult")]
PersonResult = Annotated[Person | Refusal, strawberry.union("PersonResult")]
ErasureResult = Annotated[Erased | Refusal, strawberry.union("ErasureResult")]


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="A person as the public sees them.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        if id == "me":  # spaces' own profile route, not a subject (no provider issues it)
            return None
        try:
            path = f"/people/{path_segment(id, 'person_id')}"
            data = await info.context.services.get("spaces", path)
        except ServiceError as error:
            if error.status in (404, 422):
                return None
            raise
        return Person(
            id=strawberry.ID(data["id"]), display_name=data["display_name"], erased=data["erased"]
        )

    @strawberry.field(description="Everything the services hold about the signed-in person.")
    async def my_data(self, info: Info) -> JSON | None:
        if info.context.principal is None:
            return None
        services = info.context.services
        parts = await asyncio.gather(
            *(services.get(name, "/people/me/export") for name in EXPORTING_SERVICES)
        )
        return JSON(dict(zip(EXPORTING_SERVICES, parts, strict=True)))


def _members_path(project_id: uuid.UUID, rest: str = "") -> str:
    return f"/projects/{project_id}/members{rest}"


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(description="Join the project's skill group.")
    async def join_project(self, info: Info, project_id: uuid.UUID) -> MembershipResult:
        async def post() -> Membership:
            data = await info.context.services.post("spaces", _members_path(project_id), {})
            return membership_from(data)

        return await as_result(info, post)

    @strawberry.mutation(description="Add someone to the project (its coordinators).")
    async def add_member(
        self, info: Info, project_id: uuid.UUID, person_id: str, role: ProjectRole
    ) -> MembershipResult:
        body = {"person_id": person_id, "role": role.value}

        async def post() -> Membership:
            data = await info.context.services.post("spaces", _members_path(project_id), body)
            return membership_from(data)

        return await as_result(info, post)

    @strawberry.mutation(description="Give a member another role (its coordinators).")
    async def change_member_role(
        self, info: Info, project_id: uuid.UUID, membership_id: uuid.UUID, role: ProjectRole
    ) -> MembershipResult:
        path = _members_path(project_id, f"/{membership_id}")

        async def patch() -> Membership:
            data = await info.context.services.patch("spaces", path, {"role": role.value})
            return membership_from(data)

        return await as_result(info, patch)

    @strawberry.mutation(description="End someone's stint today (its coordinators).")
    async def remove_member(
        self, info: Info, project_id: uuid.UUID, membership_id: uuid.UUID
    ) -> MembershipResult:
        path = _members_path(project_id, f"/{membership_id}")

        async def delete() -> Membership:
            return membership_from(await info.context.services.delete("spaces", path))

        return await as_result(info, delete)

    @strawberry.mutation(description="Leave the project (a project keeps one coordinator).")
    async def leave_project(self, info: Info, project_id: uuid.UUID) -> MembershipResult:
        path = _members_path(project_id, "/me/leave")

        async def post() -> Membership:
            return membership_from(await info.context.services.post("spaces", path))

        return await as_result(info, post)

    @strawberry.mutation(description="Change one's own profile; null clears contact data.")
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> PersonResult:
        body = {
            key: value.value if isinstance(value, Enum) else value
            for key, value in vars(input).items()
            if value is not strawberry.UNSET
        }

        async def put() -> Person:
            return own_person_from(await info.context.services.put("spaces", "/people/me", body))

        return await as_result(info, put)

    @strawberry.mutation(description="Erase oneself: the name goes, contributions stay.")
    async def erase_me(self, info: Info) -> ErasureResult:
        if info.context.principal is not None and info.context.principal.is_api_key:
            return NotAuthorized(message="An API key is not a person", code="not_a_person")

        async def post() -> Erased:
            data = await info.context.services.post("spaces", "/people/me/erasure")
            return Erased(pseudonym=data["id"])

        return await as_result(info, post)
