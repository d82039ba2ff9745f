"""Cursor pagination with bounded page sizes, as Relay's connection specification gives it: `nodes`
for the items, `edges { cursor node }` for clients that page from any item, `pageInfo`, and
`totalCount` — the services' real count. Cursors are opaque (an offset, base64-encoded)."""

import base64
import binascii
from typing import Generic, TypeVar

import strawberry

from gateway.graphql.errors import bad_user_input

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
# A cursor names a position in a list; no list is longer, and a service never sees an offset
# its database cannot hold.
MAX_CURSOR_OFFSET = 2**31 - 1
# The longest cursor this API gives out ("offset:" and ten digits, base64-encoded).
MAX_CURSOR_LENGTH = 32


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
    has_previous_page: bool
    start_cursor: str | None


@strawberry.type(description="An item of a page, with the cursor to page on from it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    nodes: list[T]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All the items, on every page.")

    @strawberry.field(description="The items with their cursors.")
    def edges(self) -> list[Edge[T]]:
        first = self.page_info.start_cursor
        start = decode_cursor(first) if first else 0
        return [Edge(cursor=encode_cursor(start + i), node=n) for i, n in enumerate(self.nodes)]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def page_window(first: int, after: str | None, max_page_size: int) -> tuple[int, int]:
    """(limit, offset) for `first` items after the cursor; refuses sizes outside 1..max and
    cursors this API did not give out."""
    if not 1 <= first <= max_page_size:
        message = f"first must be between 1 and {max_page_size}"
        raise bad_user_input("first", message, "page_size_out_of_range")
    if after is None:
        return first, 0
    return first, decode_cursor(after) + 1


def decode_cursor(cursor: str) -> int:
    """The offset a cursor names; a BAD_USER_INPUT error naming `after` for anything else."""
    refused = bad_user_input("after", "after is not a cursor this API gave out", "invalid_cursor")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        kind, value = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().split(":", 1)
    except (ValueError, UnicodeError, binascii.Error):
        raise refused from None
    if kind != "offset" or not value.isascii() or not value.isdigit():
        raise refused
    offset = int(value)
    if offset > MAX_CURSOR_OFFSET:
        raise refused
    return offset


def connection(nodes: list[T], *, offset: int, total: int) -> Connection[T]:
    last = offset + len(nodes) - 1
    return Connection(
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=last + 1 < total,
            end_cursor=encode_cursor(last) if nodes else None,
            has_previous_page=offset > 0,
            start_cursor=encode_cursor(offset) if nodes else None,
        ),
        total_count=total,
    )
