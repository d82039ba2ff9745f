"""The `Node` interface: every type with an id, refetchable with `node(id:)` (refetch.py).

Global ids — the choice and why. Each `id` is the UUID its service gave the thing, unchanged:
- it already is a global id: every service draws ids as random (version 4) UUIDs, 122 random
  bits, so no two things of any type share one — what Relay's object identification asks for;
- it stays what every other interface of meent calls the thing: the OGC API's feature ids, the
  vector tiles' `id`, the iCalendar feeds' URLs and the REST paths, and the `siteId`/`projectId`/…
  fields of other types. The web client joins tiles and GraphQL sites by it; third-party apps
  (API keys) store it. An opaque "Type:uuid" id would have changed the value of a published field
  (CONVENTIONS: a field is never retyped) and forced a second `databaseId` onto every such join.
- every argument keeps taking the id it takes today (`UUID!`), so no query breaks.
The cost: an id does not say its type, so `node(id:)` asks each type's owner at once — one
primary-key look-up per node type, concurrently — and the cost estimate prices it so.
"""

import strawberry


@strawberry.interface(description="Something with an id, refetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Its UUID, unique across every type: the same id as in the REST, OGC, tiles "
        "and iCalendar interfaces that show it."
    )
