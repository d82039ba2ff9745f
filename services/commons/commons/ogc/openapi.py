"""The API definition behind the landing page's `service-desc` link: the app's own OpenAPI
document, cut to the OGC paths relative to the landing page (as OGC clients look them up, e.g.
`/collections/{collectionId}/items`), with the landing page as its server, and written as
OpenAPI 3.0 (conformance class oas30), which is what GDAL and QGIS ask for."""

from typing import Any

from commons.ogc.links import OGC_PATH
from commons.ogc.params import DEFAULT_LIMIT, MAX_LIMIT

LIMIT_PARAMETER = {
    "name": "limit",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": f"At most this many features per page; above {MAX_LIMIT}, {MAX_LIMIT}.",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
}


def api_definition(app_document: dict[str, Any], root: str) -> dict[str, Any]:
    paths = {
        path.removeprefix(OGC_PATH) or "/": _ogc_operations(item)
        for path, item in app_document["paths"].items()
        if path == OGC_PATH or path.startswith(OGC_PATH + "/")
    }
    schemas = app_document.get("components", {}).get("schemas", {})
    return {
        "openapi": "3.0.3",
        "info": {**app_document["info"], "title": "meent commons – OGC API – Features"},
        "servers": [{"url": root, "description": "The landing page"}],
        "paths": _as_oas30(paths),
        "components": {"schemas": _as_oas30(schemas), "parameters": {"limit": LIMIT_PARAMETER}},
    }


def _ogc_operations(item: dict[str, Any]) -> dict[str, Any]:
    """Refer to the shared limit parameter (where QGIS reads the page size limits), and say 400
    where FastAPI says 422: the OGC routes answer invalid parameters with 400."""
    operations = {}
    for method, operation in item.items():
        parameters = [
            {"$ref": "#/components/parameters/limit"} if p.get("name") == "limit" else p
            for p in operation.get("parameters", [])
        ]
        responses = dict(operation.get("responses", {}))
        if "422" in responses:
            responses["400"] = {**responses.pop("422"), "description": "Invalid parameter"}
        operations[method] = {**operation, "parameters": parameters, "responses": responses}
    return operations


def _as_oas30(node: Any) -> Any:
    """JSON Schema 2020-12 nullability (`anyOf: [X, {type: null}]`) as OpenAPI 3.0 `nullable`."""
    if isinstance(node, list):
        return [_as_oas30(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_oas30(value) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [o for o in node.pop("anyOf") if o != {"type": "null"}]
        node.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
        node["nullable"] = True
    return node
