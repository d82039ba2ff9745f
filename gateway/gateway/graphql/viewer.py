"""`me`: who the request is made as (null when anonymous)."""

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.people import Person, viewer_person


@strawberry.type
class Viewer:
    sub: str
    name: str | None
    roles: list[str]
    scopes: list[str]
    is_api_key: bool
    person: Person | None = strawberry.field(
        resolver=viewer_person, description="The person's own profile (spaces)"
    )


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in person or API key; null when anonymous.")
    def me(self, info: Info) -> Viewer | None:
        principal = info.context.principal
        if principal is None:
            return None
        return Viewer(
            sub=principal.sub,
            name=principal.name,
            roles=sorted(principal.roles),
            scopes=sorted(principal.scopes),
            is_api_key=principal.is_api_key,
        )
