"""How tests/test_fuzz_openapi.py steers schemathesis: a schemathesis.toml per run.

Ids in paths and bodies mostly name the things the test seeded, so requests get past "no such
site" to the code behind it; text fields and integers sometimes get values that broke services
before; the hooks (fuzz_hooks.py) give geometries real areas.
"""

from pathlib import Path

HOOKS = Path(__file__).with_name("fuzz_hooks.py")
# How often an id names a seeded thing (the rest are generated, most of them invalid).
KNOWN_ID_PROBABILITY = 0.8

# Values that broke or could break a service: control characters and NUL (which PostgreSQL's text
# refuses), separators, bidi overrides, markup, and integers beyond what a column or OFFSET holds.
HOSTILE_TEXT = [
    "a\u0000b",
    "\u0000",
    "name\u0000",
    "\u0007",
    "line\nbreak\ttab",
    "\u001b[31m",
    "\u007f",
    "\u0085",
    "\u2028",
    "\u202eevil",
    "%00",
    "'; DROP TABLE site; --",
    "<script>",
    "\U0001f333",
    " ",
]
HOSTILE_NUMBERS = ["-1", "2147483648", "9223372036854775808", "-9223372036854775809", "10" * 16]
HOSTILE_PROBABILITY = 0.25


def toml_string(text: str) -> str:
    """A TOML basic string: controls escaped (TOML allows none raw), the rest as it is."""
    escaped = "".join(
        f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in '"\\' else c
        for c in text
    )
    return f'"{escaped}"'


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def _is_text(schema: dict) -> bool:
    """A free string: no format (dates, uuids) that a generator would get right anyway."""
    branches = schema.get("anyOf", [schema])
    return any(b.get("type") == "string" and "format" not in b for b in branches)


def text_fields(document: dict) -> set[str]:
    """Where the OpenAPI document takes text: body properties and query parameters, as
    schemathesis names them (`body.name`, `query.kind`)."""
    components = document.get("components", {}).get("schemas", {})
    found = set()
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _is_text(parameter.get("schema", {})):
                    found.add(f"query.{parameter['name']}")
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            schema = components.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
            for name, field in schema.get("properties", {}).items():
                if _is_text(field):
                    found.add(f"body.{name}")
    return found


def _binding(dictionary: str, probability: float) -> str:
    return f'{{ dictionary = "{dictionary}", probability = {probability} }}'


def fuzz_config(known_ids: dict[str, list[str]], text_fields: set[str]) -> str:
    """schemathesis.toml: ids in paths and bodies mostly name seeded things; text fields and
    numbers sometimes get hostile values; the hooks give geometries real areas."""
    lines = [f"hooks = {toml_string(str(HOOKS))}\n"]
    for name, values in known_ids.items():
        lines.append(f"[dictionaries.{name}]\nvalues = {toml_list(values)}\n")
    lines += [
        f"[dictionaries.hostile_text]\nvalues = {toml_list(HOSTILE_TEXT)}\n",
        f"[dictionaries.hostile_numbers]\nvalues = {toml_list(HOSTILE_NUMBERS)}\n",
        "[generation.dictionaries]",
        f"integer = {_binding('hostile_numbers', HOSTILE_PROBABILITY)}",
        f"string = {_binding('hostile_text', HOSTILE_PROBABILITY)}\n",
        "[parameters]",
    ]
    for name in known_ids:
        lines.append(f'"path.{name}" = {_binding(name, KNOWN_ID_PROBABILITY)}')
        lines.append(f'"body.{name}" = {_binding(name, KNOWN_ID_PROBABILITY)}')
    for field in sorted(text_fields):
        lines.append(f'"{field}" = {_binding("hostile_text", HOSTILE_PROBABILITY)}')
    return "\n".join(lines) + "\n"
