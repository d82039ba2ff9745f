"""spaces in GraphQL: projects (people, memberships and documents come with spaces' issue)."""

import asyncio
import datetime as dt
import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.documents import Document, project_documents
from gateway.graphql.errors import (
    Refusal,
    as_result,
)
from gateway.graphql.node import Node
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.people import Membership, project_members
from gateway.graphql.services import ServiceError


@strawberry.enum
class ProjectStatus(Enum):
    IDEA = "idea"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"


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

    @strawberry.field(description="Approved volunteer hours, as grants counts them.")
    async def approved_hours(self, info: Info) -> float:
        hours = await info.context.loader("project_hours", _load_project_hours(info)).load(self.id)
        return float(hours["approved_hours"])

    @strawberry.field(description="The project's documents, by title (each with its history).")
    async def documents(self, info: Info) -> list[Document]:
        return await project_documents(info, str(self.id))


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
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Project]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        page = await info.context.services.get(
            "spaces", "/projects", {"limit": limit, "offset": offset}
        )
        nodes = [project_from(p) for p in page["data"]]
        return connection(nodes, offset=offset, total=page["count"])

    @strawberry.field
    async def project(self, info: Info, id: uuid.UUID) -> Project | None:
        try:
            return project_from(await info.context.services.get("spaces", f"/projects/{id}"))
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
