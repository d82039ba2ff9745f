"""spaces in GraphQL: projects, with their members, documents and the sites they steward."""

import asyncio
import datetime as dt
import re
import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.documents import Document, project_documents
from gateway.graphql.errors import (
    Refusal,
    as_result,
    bad_user_input,
)
from gateway.graphql.grants_types import Application, project_applications
from gateway.graphql.hours_queries import project_hours, project_hours_total
from gateway.graphql.hours_types import HourEntryConnection, HourStatus, HoursTotal
from gateway.graphql.node import Node
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.people import Membership, project_members
from gateway.graphql.services import ServiceError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as spaces' Slug, at most 80 characters there


@strawberry.enum
class ProjectStatus(Enum):
    IDEA = "idea"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


@strawberry.type(description="A site a project stewards (commons owns the link), and when.")
class StewardedSite:
    id: uuid.UUID = strawberry.field(description="The site's id (`site(id:)` has the rest)")
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = strawberry.field(description="Inclusive; null while it goes on")


def stewarded_site_from(data: dict[str, Any]) -> StewardedSite:
    ends_on = data.get("ends_on")
    return StewardedSite(
        id=uuid.UUID(data["site_id"]),
        name=data["site_name"],
        starts_on=dt.date.fromisoformat(data["starts_on"]),
        ends_on=dt.date.fromisoformat(ends_on) if ends_on else None,
    )


@strawberry.type(description="A citizen initiative: a core group, a skill group, public documents.")
class Project(Node):
    name: str
    slug: str
    summary: str
    status: ProjectStatus
    version: int
    created_at: dt.datetime

    @strawberry.field(description="Its members now, or with current: false every stint ever.")
    async def members(self, info: Info, current: bool = True) -> list[Membership]:
        return await project_members(info, str(self.id), current)

    @strawberry.field(
        description="Approved volunteer hours, as grants counts them.",
        deprecation_reason="Use hoursTotal",
    )
    async def approved_hours(self, info: Info) -> float:
        hours = await info.context.loader("project_hours", _load_project_hours(info)).load(self.id)
        return float(hours["approved_hours"])

    @strawberry.field(
        description="Its applications for grants, the first submitted first; its drafts (last) "
        "only to its coordinators and grant officers."
    )
    async def applications(
        self,
        info: Info,
        call_id: uuid.UUID | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Application]:
        return await project_applications(info, str(self.id), call_id, first, after)

    @strawberry.field(description="Its approved net volunteer hours and their in-kind value.")
    async def hours_total(self, info: Info) -> HoursTotal:
        return await project_hours_total(info, str(self.id))

    @strawberry.field(description="Its hour entries the caller may see, newest day first.")
    async def hours(
        self,
        info: Info,
        status: HourStatus | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> HourEntryConnection:
        return await project_hours(info, str(self.id), status, first, after)

    @strawberry.field(description="The project's documents, by title (each with its history).")
    async def documents(self, info: Info) -> list[Document]:
        return await project_documents(info, str(self.id))

    @strawberry.field(
        description="The sites it stewards and has stewarded, with the dates (commons' answer)."
    )
    async def sites(self, info: Info) -> list[StewardedSite]:
        path = f"/projects/{self.id}/stewardships"
        found = await info.context.services.get("commons", path, {"limit": 100})
        return [stewarded_site_from(s) for s in found]


def _load_project_hours(info: Info):
    async def load(project_ids: list[str]) -> list[dict[str, Any]]:
        services = info.context.services
        return list(
            await asyncio.gather(
                *(services.get("grants", f"/projects/{pid}/hours") for pid in project_ids)
            )
        )

    return load


def project_from(data: dict[str, Any]) -> Project:
    return Project(
        id=strawberry.ID(data["id"]),
        name=data["name"],
        slug=data["slug"],
        summary=data["summary"],
        status=ProjectStatus(data.get("status", "idea")),
        version=data["version"],
        created_at=dt.datetime.fromisoformat(data["created_at"]),
    )


@strawberry.input
class CreateProjectInput:
    name: str
    summary: str = ""
    slug: str | None = None


@strawberry.input
class UpdateProjectInput:
    name: str | None = None
    summary: str | None = None
    status: ProjectStatus | None = None


ProjectResult = Annotated[
    Project | Refusal,
    strawberry.union("ProjectResult"),
]


@strawberry.type
class SpacesQuery:
    @strawberry.field(description="Projects by name.")
    async def projects(
        self,
        info: Info,
        status: ProjectStatus | None = None,
        q: Annotated[
            str | None,
            strawberry.argument(description="Words in the name or summary (case-insensitive)"),
        ] = None,
        mine: Annotated[
            bool,
            strawberry.argument(
                description="Only the projects the signed-in person is a current member of "
                "(none when anonymous)"
            ),
        ] = False,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Project]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if mine:
            if info.context.principal is None:  # an anonymous visitor is a member of none
                return connection([], offset=offset, total=0)
            params["mine"] = True
        if status is not None:
            params["status"] = status.value
        if q:
            params["q"] = q
        page = await info.context.services.get("spaces", "/projects", params)
        nodes = [project_from(p) for p in page["data"]]
        return connection(nodes, offset=offset, total=page["count"])

    @strawberry.field(description="One project, by its id or by its slug (give one of them).")
    async def project(
        self, info: Info, id: uuid.UUID | None = None, slug: str | None = None
    ) -> Project | None:
        if (id is None) == (slug is None):
            raise bad_user_input("id", "Give the project's id or its slug, not both")
        if id is not None:
            path = f"/projects/{id}"
        elif slug is not None and SLUG.fullmatch(slug):
            path = f"/projects/slug/{slug}"
        else:
            raise bad_user_input("slug", "A slug is lower-case words joined by single hyphens")
        try:
            return project_from(
                await info.context.services.get("spaces", path, arguments={"slug": "slug"})
            )
        except ServiceError as error:
            if error.status == 404:
                return None
            raise


@strawberry.type
class SpacesMutation:
    @strawberry.mutation(description="Start a project; the starter coordinates it.")
    async def create_project(self, info: Info, input: CreateProjectInput) -> ProjectResult:
        body = {k: v for k, v in vars(input).items() if v is not None}

        async def post() -> Project:
            return project_from(await info.context.services.post("spaces", "/projects", body))

        return await as_result(info, post)

    @strawberry.mutation(description="Change a project (its coordinators).")
    async def update_project(
        self, info: Info, id: uuid.UUID, input: UpdateProjectInput
    ) -> ProjectResult:
        body = {
            k: v.value if isinstance(v, Enum) else v
            for k, v in vars(input).items()
            if v is not None
        }

        async def patch() -> Project:
            return project_from(
                await info.context.services.patch("spaces", f"/projects/{id}", body)
            )

        return await as_result(info, patch)
