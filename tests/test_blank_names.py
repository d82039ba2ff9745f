"""A name or title of nothing but spaces is refused by every service (before, `createSite` with
`name: " "` stored a site no list could show), in the one error shape, and nothing is stored."""

import pytest

from meent_shared.testing.helpers import sql_value
from tests.test_bad_input import A_SITE, assert_error_shape, filled_in, prepare
from tests.test_bad_text import TEXT_WRITES

NAMED = ("name", "title")
NAME_WRITES = [w for w in TEXT_WRITES if next(k for k, v in w[4].items() if v == "{bad}") in NAMED]
BLANKS = {"space": " ", "spaces": "   ", "no-break": "\u00a0", "ideographic": "\u3000"}


@pytest.mark.parametrize("blank", BLANKS.values(), ids=BLANKS.keys())
@pytest.mark.parametrize(
    ("name", "roles", "needs", "path", "body", "table"),
    NAME_WRITES,
    ids=[f"{w[0]}{w[3]}" for w in NAME_WRITES],
)
async def test_a_blank_name_or_title_is_a_422_naming_the_field(
    start_service, auth_header, name, roles, needs, path, body, table, blank
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    names = await prepare(service, needs, headers)
    before = sql_value(service.database_url, f"SELECT count(*) FROM {table}")
    outbox = sql_value(service.database_url, "SELECT count(*) FROM outbox")
    payload = filled_in(body, {**names, "bad": blank})
    answer = await service.client.post(path.format(**names), json=payload, headers=headers)
    [item] = assert_error_shape(answer, 422)
    field = next(k for k, v in body.items() if v == "{bad}")
    assert (item["loc"], item["type"]) == (["body", field], "blank_text")
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == before
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == outbox


@pytest.mark.parametrize(
    ("name", "roles", "create", "path"),
    [
        ("commons", ["maintenance"], ("/sites", A_SITE), "/sites/{id}"),
        ("spaces", ["citizen"], ("/projects", {"name": "Groen"}), "/projects/{id}"),
    ],
)
async def test_renaming_to_a_blank_name_changes_nothing(
    start_service, auth_header, name, roles, create, path
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    made = await service.client.post(create[0], json=create[1], headers=headers)
    assert made.status_code == 201, made.text
    created = sql_value(service.database_url, "SELECT count(*) FROM outbox")
    answer = await service.client.patch(
        path.format(id=made.json()["id"]), json={"name": " "}, headers=headers
    )
    [item] = assert_error_shape(answer, 422)
    assert (item["loc"], item["type"]) == (["body", "name"], "blank_text")
    events = sql_value(service.database_url, "SELECT count(*) FROM outbox")
    assert events == created  # only the creation's (a project's: its starter's membership too)
