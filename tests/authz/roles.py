"""The roles of the authorization matrix, and how each one signs in against the running suite.

Project roles (member of another project, skill, core, coordinator) and the reviewer of a call
join the matrix with spaces' memberships and grants' review panels.
"""

from typing import Any

ROLES = (
    "anonymous",
    "citizen",
    "maintenance",
    "grant_officer",
    "admin",
    "api_key_read",
    "api_key_write",
)

_GLOBAL_ROLE = {
    "citizen": "citizen",
    "maintenance": "maintenance",
    "grant_officer": "grant_officer",
    "admin": "admin",
}

NEW_KEY = """mutation($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { ... on NewApiKey { secret } } }"""


def credentials(suite: Any, role: str) -> dict[str, str]:
    """Keyword arguments for `RunningSuite.graphql` that act as `role`."""
    if role == "anonymous":
        return {}
    if role in _GLOBAL_ROLE:
        return {"token": suite.token(f"matrix-{role}", [_GLOBAL_ROLE[role]])}
    scope = role.removeprefix("api_key_")
    return {"api_key": _api_key(suite, scope)}


def _api_key(suite: Any, scope: str) -> str:
    """One key per scope per run, kept on the suite object."""
    keys = suite.__dict__.setdefault("_matrix_keys", {})
    if scope not in keys:
        admin = suite.token("matrix-key-issuer", ["admin"])
        answer = suite.graphql(NEW_KEY, {"name": f"matrix {scope}", "scopes": [scope]}, token=admin)
        keys[scope] = answer.json()["data"]["createApiKey"]["secret"]
    return keys[scope]
