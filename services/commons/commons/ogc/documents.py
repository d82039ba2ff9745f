"""The JSON documents of the API, built from the public root address (see `links.ogc_root`)."""

import datetime as dt
from typing import Any

from commons.bbox import WORLD
from commons.ogc.links import GEOJSON, JSON, OPENAPI, link

COLLECTION_ID = "sites"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE_CLASSES = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]


def landing_page(root: str) -> dict[str, Any]:
    return {
        "title": "meent commons",
        "description": "Urban commons stewarded by citizens: their sites as OGC API – Features, "
        "filterable by place (bbox) and by the time they are in use (datetime).",
        "links": [
            link(root, "self", JSON, "This document"),
            link(f"{root}/api", "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(f"{root}/conformance", "conformance", JSON, "Conformance classes implemented"),
            link(f"{root}/collections", "data", JSON, "The feature collections"),
        ],
    }


def conformance() -> dict[str, Any]:
    return {"conformsTo": CONFORMANCE_CLASSES}


def sites_collection(root: str, extent: list[float] | None) -> dict[str, Any]:
    url = f"{root}/collections/{COLLECTION_ID}"
    return {
        "id": COLLECTION_ID,
        "title": "Commons sites",
        "description": "Parks, squares, gardens and other sites citizens steward, as "
        "MultiPolygons. datetime selects the sites with a scheduled use at that time.",
        "extent": {
            "spatial": {"bbox": [extent or list(WORLD)], "crs": CRS84},
            "temporal": {"interval": [[None, None]], "trs": GREGORIAN},
        },
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            link(url, "self", JSON, "This collection"),
            link(f"{url}/items", "items", GEOJSON, "The sites as GeoJSON"),
        ],
    }


def collections(root: str, extent: list[float] | None) -> dict[str, Any]:
    return {
        "links": [link(f"{root}/collections", "self", JSON, "The feature collections")],
        "collections": [sites_collection(root, extent)],
    }


def feature_collection(
    features: list[dict[str, Any]], number_matched: int, links: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": number_matched,
        "numberReturned": len(features),
        "timeStamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": links,
    }


def feature(root: str, found: dict[str, Any]) -> dict[str, Any]:
    collection = f"{root}/collections/{COLLECTION_ID}"
    return {
        **found,
        "links": [
            link(f"{collection}/items/{found['id']}", "self", GEOJSON, "This site"),
            link(collection, "collection", JSON, "The collection of all sites"),
        ],
    }
