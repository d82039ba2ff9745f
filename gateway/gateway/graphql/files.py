"""Attachments in GraphQL: a project's files, uploaded through `POST /projects/{id}/uploads` on
the public origin (gateway.forward_uploads), which answers the id mutations refer to. The bytes
are never in GraphQL: `url` is their download address on the public origin."""

import datetime as dt
import uuid
from typing import Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.services import ServiceError


@strawberry.type(description="A file a project attached; its bytes are stored by their SHA-256.")
class Attachment:
    id: strawberry.ID
    project_id: strawberry.ID
    filename: str = strawberry.field(
        description="As uploaded, without folders or control characters."
    )
    media_type: str = strawberry.field(description="Detected from the file's bytes, not its name.")
    size: int = strawberry.field(description="In bytes.")
    sha256: str
    inline: bool = strawberry.field(
        description="Whether a browser shows it in the page (raster images); others download."
    )
    url: str = strawberry.field(description="Its bytes, on the public origin (MEENT_PUBLIC_URL).")
    created_at: dt.datetime


def attachment_from(data: dict[str, Any], public_url: str) -> Attachment:
    return Attachment(
        id=strawberry.ID(data["id"]),
        project_id=strawberry.ID(data["project_id"]),
        filename=data["filename"],
        media_type=data["media_type"],
        size=data["size"],
        sha256=data["sha256"],
        inline=data["inline"],
        url=f"{public_url.rstrip('/')}/attachments/{data['id']}/content",
        created_at=dt.datetime.fromisoformat(data["created_at"]),
    )


@strawberry.type
class FilesQuery:
    @strawberry.field(description="An attachment by id (public); null when there is none.")
    async def attachment(self, info: Info, id: uuid.UUID) -> Attachment | None:
        try:
            data = await info.context.services.get("spaces", f"/attachments/{id}")
        except ServiceError as error:
            if error.status == 404:
                return None
            raise
        return attachment_from(data, info.context.settings.public_url)
