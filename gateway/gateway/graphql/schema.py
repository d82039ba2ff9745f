"""The one schema: each area adds its root fields in its own module; they are merged here."""

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from gateway.config import GatewaySettings
from gateway.graphql.comments import CommentsMutation, CommentsQuery
from gateway.graphql.commons.imports import CommonsImportMutation
from gateway.graphql.commons.mutations import CommonsMutation
from gateway.graphql.commons.queries import CommonsQuery
from gateway.graphql.commons.types import InvalidGeometry, ScheduleConflict
from gateway.graphql.districts import DistrictsMutation, DistrictsQuery
from gateway.graphql.documents import DocumentsMutation, DocumentsQuery
from gateway.graphql.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotAuthorized,
    NotFound,
    log_errors,
)
from gateway.graphql.files import FilesQuery
from gateway.graphql.grants import GrantsMutation, GrantsQuery
from gateway.graphql.hours_queries import HoursQuery
from gateway.graphql.keys import KeysMutation
from gateway.graphql.limits import schema_extensions
from gateway.graphql.people import PeopleMutation, PeopleQuery
from gateway.graphql.refetch import NodeQuery
from gateway.graphql.spaces import SpacesMutation, SpacesQuery
from gateway.graphql.system import SystemQuery
from gateway.graphql.viewer import ViewerQuery
from gateway.graphql.volunteers import VolunteersMutation
from meent_shared.settings import Mode

Query = merge_types(
    "Query",
    (
        SystemQuery,
        ViewerQuery,
        NodeQuery,
        SpacesQuery,
        PeopleQuery,
        DocumentsQuery,
        GrantsQuery,
        DistrictsQuery,
        HoursQuery,
        CommonsQuery,
        CommentsQuery,
        FilesQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        SpacesMutation,
        PeopleMutation,
        DocumentsMutation,
        VolunteersMutation,
        GrantsMutation,
        DistrictsMutation,
        CommonsMutation,
        CommonsImportMutation,
        KeysMutation,
        CommentsMutation,
    ),
)


class Schema(strawberry.Schema):
    """Strawberry's schema, logging each error at its level (not every refusal as an error)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors)


def build_schema(settings: GatewaySettings) -> strawberry.Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[
            NotAuthenticated,
            NotAuthorized,
            NotFound,
            Conflict,
            InvalidInput,
            ScheduleConflict,
            InvalidGeometry,
        ],
        extensions=schema_extensions(settings),
    )


def export_sdl() -> str:
    """The schema as SDL, as committed in gateway/schema.graphql."""
    return build_schema(GatewaySettings(mode=Mode.local)).as_str() + "\n"


if __name__ == "__main__":
    print(export_sdl(), end="")
