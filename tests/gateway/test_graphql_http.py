"""GraphQL over HTTP as the specification gives it: media types, methods, status codes."""

import pytest

GQL = "application/graphql-response+json"


@pytest.fixture
async def gateway(start_service):
    return await start_service("gateway", run_workers=False)


async def post(gateway, body, accept=GQL, **kwargs):
    headers = {"Accept": accept, **kwargs.pop("headers", {})}
    return await gateway.client.post("/graphql", json=body, headers=headers, **kwargs)


async def test_a_query_answers_200_in_the_media_type_asked_for(gateway):
    answer = await post(gateway, {"query": "{ me { sub } }"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(GQL)
    assert answer.json() == {"data": {"me": None}}
    legacy = await post(gateway, {"query": "{ me { sub } }"}, accept="application/json")
    assert legacy.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("accept", [GQL, "application/json", "application/xml"])
async def test_a_get_answer_says_it_varies_by_accept(gateway, accept):
    """GET answers are cacheable and their media type follows Accept: a shared cache must not
    give a client the representation asked for by another."""
    answer = await gateway.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Accept": accept}
    )
    assert "accept" in answer.headers.get("vary", "").lower()


async def test_no_accept_header_gets_application_json(gateway):
    answer = await gateway.client.post("/graphql", json={"query": "{ me { sub } }"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")


async def test_an_unsatisfiable_accept_is_406(gateway):
    answer = await post(gateway, {"query": "{ me { sub } }"}, accept="application/xml")
    assert answer.status_code == 406


async def test_a_wrong_media_type_is_415(gateway):
    answer = await gateway.client.post(
        "/graphql",
        content=b'{"query": "{ me { sub } }"}',
        headers={"Content-Type": "text/plain", "Accept": GQL},
    )
    assert answer.status_code == 415
    assert "application/json" in answer.json()["errors"][0]["message"]


async def test_invalid_json_is_400(gateway):
    answer = await gateway.client.post(
        "/graphql",
        content=b'{"query": ',
        headers={"Content-Type": "application/json", "Accept": GQL},
    )
    assert answer.status_code == 400
    assert "not valid JSON" in answer.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": ""},
        {"query": 5},
        {"query": "{ me { sub } }", "variables": [1]},
        {"query": "{ me { sub } }", "operationName": 3},
        {"query": "{ me { sub } }", "extensions": 1},
    ],
)
async def test_missing_or_mistyped_parameters_are_400(gateway, body):
    answer = await post(gateway, body)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"]


async def test_a_body_that_is_not_an_object_is_400(gateway):
    assert (await post(gateway, ["{ me { sub } }"])).status_code == 400


async def test_a_mutation_over_get_is_405_and_names_post(gateway):
    answer = await gateway.client.get(
        "/graphql",
        params={"query": 'mutation { createProject(input: {name: "x"}) { __typename } }'},
        headers={"Accept": GQL},
    )
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"


async def test_a_query_over_get_works(gateway):
    answer = await gateway.client.get(
        "/graphql",
        params={"query": "query Me { me { sub } }", "operationName": "Me"},
        headers={"Accept": GQL},
    )
    assert answer.status_code == 200
    assert answer.json() == {"data": {"me": None}}


async def test_an_unknown_operation_name_is_400(gateway):
    answer = await post(gateway, {"query": "query A { me { sub } }", "operationName": "B"})
    assert answer.status_code == 400
    assert 'Unknown operation named "B"' in answer.json()["errors"][0]["message"]


async def test_a_syntax_error_is_400_with_its_location(gateway):
    answer = await post(gateway, {"query": "{ me { sub }"})
    assert answer.status_code == 400
    assert "Syntax Error" in answer.json()["errors"][0]["message"]


async def test_an_unknown_field_is_a_400_validation_error(gateway):
    answer = await post(gateway, {"query": "{ nothingHere }"})
    assert answer.status_code == 400
    assert "nothingHere" in answer.json()["errors"][0]["message"]
    assert "data" not in answer.json()


async def test_wrong_variable_types_are_400(gateway):
    query = "query P($id: UUID!) { project(id: $id) { name } }"
    answer = await post(gateway, {"query": query, "variables": {"id": "not-a-uuid"}})
    assert answer.status_code == 400


async def test_a_bad_bearer_token_is_401_not_anonymous(gateway):
    answer = await post(
        gateway, {"query": "{ me { sub } }"}, headers={"Authorization": "Bearer not.a.token"}
    )
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
