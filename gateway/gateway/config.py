from pathlib import Path

from meent_shared.settings import LOCAL_GATEWAY_OPERATIONS_PORT, SERVICE_PORTS, ServiceSettings

WEB_DIST = Path(__file__).parents[1] / "web" / "dist"


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"

    commons_url: str = f"http://127.0.0.1:{SERVICE_PORTS['commons']}"
    volunteers_url: str = f"http://127.0.0.1:{SERVICE_PORTS['volunteers']}"
    spaces_url: str = f"http://127.0.0.1:{SERVICE_PORTS['spaces']}"
    grants_url: str = f"http://127.0.0.1:{SERVICE_PORTS['grants']}"
    service_timeout_seconds: float = 10.0
    # The forwarded public interfaces (OGC API, tiles, calendars, exports, feeds): an export of
    # every site may take a while to begin; past this the client gets a 504.
    forward_timeout_seconds: float = 30.0
    # Imports of real GeoJSON files pass through GraphQL variables; queries themselves stay small
    # (the token and complexity limits see to that).
    max_body_bytes: int = 16 * 1024 * 1024
    # The largest file an upload may carry (POST /projects/{id}/uploads, streamed to spaces,
    # which holds the same limit); a larger one is a 413. Its answer may wait this long.
    upload_max_bytes: int = 20 * 1024 * 1024
    upload_timeout_seconds: float = 120.0
    # A paper sign-in sheet of hours (POST /projects/{id}/hours/import, a CSV streamed to
    # volunteers, which holds the same limit: MEENT_CSV_IMPORT_MAX_BYTES there).
    hours_import_max_bytes: int = 5 * 1024 * 1024
    # An import of thousands of features takes a while; everything else answers far sooner.
    import_timeout_seconds: float = 120.0
    # The largest answer to a read the gateway takes from a service (it parses it and writes it
    # out again, holding up other requests for about 50 ms a MiB): two thousand sites of a
    # hundred vertices each are about 6 MiB; more is for the tiles.
    max_service_answer_bytes: int = 8 * 1024 * 1024

    # GraphQL limits: a request over any of them is refused before it runs.
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 15
    graphql_max_tokens: int = 2000
    # Fields, spreads and inline fragments once fragments are inlined: about what 2000 tokens
    # hold without fragments, so reuse is free but a fragment bomb is not.
    graphql_max_selections: int = 2000
    # One response name (`__typename`, an alias) in one selection set, fragments merged in: the
    # answer has it once, and graphql-core compares each pair of them.
    graphql_max_repeated_fields: int = 100
    graphql_max_complexity: int = 5000
    graphql_max_page_size: int = 100
    # How deep a request's JSON (body, variables, WebSocket messages) may nest arrays and objects:
    # an import's GeoJSON nests about ten levels; parsing recurses once per level.
    graphql_max_json_depth: int = 64

    # The operators' listener (`python -m gateway.serve` opens it beside the public port, on the
    # same host): only requests that come in on it see /metrics and /readyz's checks. 0: none.
    operations_port: int = LOCAL_GATEWAY_OPERATIONS_PORT

    web_dist: Path = WEB_DIST
    # A base map under the sites, e.g. https://tile.example.org/{z}/{x}/{y}.png (none by default:
    # the map shows sites on a plain background, and no request leaves the origin).
    map_tile_url: str = ""
    map_tile_attribution: str = ""
    api_key_token_seconds: int = 300
    api_key_requests_per_minute: int = 600

    def service_urls(self) -> dict[str, str]:
        return {
            "commons": self.commons_url,
            "volunteers": self.volunteers_url,
            "spaces": self.spaces_url,
            "grants": self.grants_url,
        }


# The same name as in every service, so tooling can treat the gateway like one.
Settings = GatewaySettings
