"""Cursor pagination with bounded page sizes. Cursors are opaque (an offset, base64-encoded)."""

import base64
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection(Generic[T]):
    nodes: list[T]
    page_info: PageInfo
    total_count: int


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def page_window(first: int, after: str | None, max_page_size: int) -> tuple[int, int]:
    """(limit, offset) for `first` items after the cursor; refuses sizes outside 1..max."""
    if not 1 <= first <= max_page_size:
        raise GraphQLError(f"first must be between 1 and {max_page_size}")
    if after is None:
        return first, 0
    try:
        kind, value = base64.urlsafe_b64decode(after.encode()).decode().split(":", 1)
        offset = int(value)
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError("after is not a cursor this API gave out") from None
    if kind != "offset" or offset < 0:
        raise GraphQLError("after is not a cursor this API gave out")
    return first, offset + 1


def connection(nodes: list[T], *, offset: int, total: int) -> Connection[T]:
    last = offset + len(nodes) - 1
    return Connection(
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=last + 1 < total, end_cursor=encode_cursor(last) if nodes else None
        ),
        total_count=total,
    )
