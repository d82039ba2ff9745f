"""Absolute links at the public origin (MEENT_PUBLIC_URL), however the client reached commons."""

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from commons.public_url import public_root

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

OGC_PATH = "/ogc"  # where the router is mounted in this service


def ogc_root(request: Request) -> str:
    """The public address of the landing page, without a trailing slash."""
    return public_root(request, OGC_PATH)


def link(href: str, rel: str, type_: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def with_query(url: str, params: Iterable[tuple[str, Any]]) -> str:
    """`url` with the query parameters, in their order; readable commas, colons and slashes."""
    query = urlencode([(k, str(v)) for k, v in params], safe=",:/")
    return f"{url}?{query}" if query else url


def replace_params(
    params: Iterable[tuple[str, str]], changes: dict[str, Any]
) -> list[tuple[str, Any]]:
    """The client's parameters with some replaced (None: dropped), new ones appended."""
    kept = [(k, v) for k, v in params if k not in changes]
    return kept + [(k, v) for k, v in changes.items() if v is not None]


def items_links(
    url: str,
    params: list[tuple[str, str]],
    *,
    limit: int,
    offset: int,
    returned: int,
    matched: int,
    as_json: bool,
) -> list[dict[str, str]]:
    """self and alternate (the same page as GeoJSON or as plain JSON), and next and prev pages
    when there are any; every link keeps the client's other parameters."""
    served, other = (JSON, GEOJSON) if as_json else (GEOJSON, JSON)
    links = [
        link(with_query(url, params), "self", served, "This page"),
        link(
            with_query(url, replace_params(params, {"f": None if as_json else "json"})),
            "alternate",
            other,
            "This page as " + ("GeoJSON" if as_json else "JSON"),
        ),
    ]
    if offset + returned < matched:
        # From where this page stopped: a page holding many vertices stops before `limit`.
        changes = {"limit": limit, "offset": offset + returned}
        links.append(
            link(with_query(url, replace_params(params, changes)), "next", served, "The next page")
        )
    if offset > 0:
        changes = {"limit": limit, "offset": max(0, offset - limit)}
        links.append(
            link(
                with_query(url, replace_params(params, changes)),
                "prev",
                served,
                "The previous page",
            )
        )
    return links
