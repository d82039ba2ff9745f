"""`make demo`: fill a running local suite (`make run`) with the two cases meent grew from, through
the public API as any client would: Gdańsk's Coal Square, which is a park from May to September,
Amersfoort's Elisabeth green area with its citizen stewards and their mowing, and the parks of
Grand Rapids (real OpenStreetMap polygons) for a map with more than a handful of sites."""

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

# make run's addresses; a suite started elsewhere (the launcher's --port) is named by these.
GATEWAY = os.environ.get("MEENT_DEMO_GATEWAY_URL", "http://127.0.0.1:8000")
COMMONS = os.environ.get("MEENT_DEMO_COMMONS_URL", "http://127.0.0.1:8001")
DATA = Path(__file__).parents[2] / "tests" / "data"

COAL_SQUARE = [
    [18.6466, 54.3507],
    [18.6490, 54.3507],
    [18.6490, 54.3520],
    [18.6466, 54.3520],
    [18.6466, 54.3507],
]
ELISABETH = [
    [5.3939, 52.1548],
    [5.3971, 52.1546],
    [5.3979, 52.1566],
    [5.3950, 52.1573],
    [5.3933, 52.1561],
    [5.3939, 52.1548],
]


class Client:
    def __init__(self) -> None:
        self.http = httpx.Client(timeout=30)
        self.token = self._token("demo-staff", "Gemeente (demo)", ["maintenance", "admin"])
        self.citizen = self._token("demo-anna", "Anna (demo)", ["citizen"])

    def _token(self, sub: str, name: str, roles: list[str]) -> str:
        answer = self.http.post(
            f"{GATEWAY}/auth/dev-token", json={"sub": sub, "name": name, "roles": roles}
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def graphql(self, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
        answer = self.http.post(
            f"{GATEWAY}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token or self.token}"},
        )
        answer.raise_for_status()
        body = answer.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]


def site(client: Client, name: str, kind: str, zone: str, ring: list, ext: str) -> str:
    data = client.graphql(
        """mutation($input: CreateSiteInput!) { createSite(input: $input) {
             __typename ... on Site { id } ... on UserError { message code } } }""",
        {
            "input": {
                "name": name,
                "kind": kind,
                "timezone": zone,
                "externalId": ext,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        },
    )["createSite"]
    if data["__typename"] != "Site":
        raise RuntimeError(f"{name}: {data}")
    return data["id"]


def period(client: Client, site_id: str, **fields: Any) -> None:
    data = client.graphql(
        """mutation($s: UUID!, $input: UsePeriodInput!) { addUsePeriod(siteId: $s, input: $input) {
             __typename ... on UserError { message } } }""",
        {"s": site_id, "input": fields},
    )["addUsePeriod"]
    if data["__typename"] != "UsePeriod":
        raise RuntimeError(data)


def main() -> int:
    try:
        httpx.get(f"{GATEWAY}/readyz", timeout=3).raise_for_status()
    except httpx.HTTPError:
        print("meent is not running: start it with `make run` first", file=sys.stderr)
        return 1
    client = Client()
    existing = client.http.get(f"{COMMONS}/sites", params={"limit": 1}).json()["features"]
    if existing:
        print("there are sites already: the demo loads into an empty suite only")
        return 0
    year = dt.date.today().year
    coal = site(
        client,
        "Plac Węglowy (Coal Square)",
        "square",
        "Europe/Warsaw",
        COAL_SQUARE,
        "demo/coal-square",
    )
    period(
        client,
        coal,
        use="parking",
        priority=0,
        startsOn="2020-01-01",
        note="Parking for the rest of the year",
    )
    period(
        client,
        coal,
        use="recreation",
        priority=10,
        startsOn="2024-05-01",
        endsOn="2024-09-30",
        rule="FREQ=YEARLY",
        note="Benches and plants, May to September",
    )
    period(
        client,
        coal,
        use="event",
        priority=20,
        startsOn=f"{year}-07-11",
        endsOn=f"{year}-07-11",
        note="Open-air concert",
    )
    elisabeth = site(
        client, "Elisabeth groen", "green_area", "Europe/Amsterdam", ELISABETH, "demo/elisabeth"
    )
    period(
        client,
        elisabeth,
        use="green",
        priority=0,
        startsOn="2023-01-01",
        note="Cared for by the citizen core and skill groups, 2023–2033",
    )
    project = client.graphql(
        'mutation { createProject(input: {name: "Elisabeth groen", summary: "A green area planned '
        'and cared for by its neighbours for ten years."}) { ... on Project { id } } }',
        {},
        token=client.citizen,
    )["createProject"]["id"]
    for _ in range(50):  # commons learns of the project by event
        if client.http.get(f"{COMMONS}/projects/{project}").status_code == 200:
            break
        time.sleep(0.2)
    client.graphql(
        "mutation($s: UUID!, $p: UUID!) { addStewardship(siteId: $s, input: {projectId: $p, "
        'startsOn: "2023-01-01", endsOn: "2033-12-31"}) { __typename } }',
        {"s": elisabeth, "p": project},
    )
    team = client.graphql(
        'mutation { createTeam(name: "Groenbeheer Amersfoort") { ... on Team { id } } }', {}
    )["createTeam"]["id"]
    client.graphql(
        "mutation($s: UUID!, $t: UUID!, $d: Date!) { createMaintenanceTask(siteId: $s, input: "
        '{title: "Mow the meadow edges", dueOn: $d, teamId: $t, rule: "FREQ=WEEKLY;INTERVAL=2;'
        'BYMONTH=5,6,7,8,9"}) { __typename } }',
        {"s": elisabeth, "t": team, "d": f"{year}-05-04"},
    )
    parks = json.loads((DATA / "grand-rapids-parks-2020.geojson").read_text())
    imported = client.http.post(
        f"{COMMONS}/sites/import",
        json=parks,
        params={"kind": "park", "timezone": "America/Detroit"},
        headers={"Authorization": f"Bearer {client.token}"},
    ).json()
    print(
        f"demo loaded: Coal Square, Elisabeth groen (stewarded, with a team and its mowing), "
        f"{imported['created']} Grand Rapids parks (OpenStreetMap contributors, ODbL)"
    )
    print(f"open {GATEWAY}/map")
    return 0


if __name__ == "__main__":
    sys.exit(main())
