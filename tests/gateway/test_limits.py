"""Query bombs are refused before they run: 400 with a message that says what to change."""

import time

import pytest

GQL = "application/graphql-response+json"


@pytest.fixture
async def gateway(start_service):
    return await start_service(
        "gateway",
        run_workers=False,
        graphql_max_aliases=5,
        graphql_max_complexity=300,
        graphql_max_tokens=400,
        graphql_max_depth=2,  # levels below the root field
    )


async def ask(gateway, query: str):
    answer = await gateway.client.post("/graphql", json={"query": query}, headers={"Accept": GQL})
    return answer.status_code, " ".join(e["message"] for e in answer.json().get("errors", []))


async def test_a_depth_bomb_is_refused(gateway):
    assert (await ask(gateway, "{ system { services { name } } }"))[
        0
    ] == 200  # three levels: allowed
    status, message = await ask(gateway, "{ system { services { checks { name } } } }")
    assert status == 400
    assert "exceeds maximum operation depth of 2" in message


async def test_depth_counts_through_fragments(gateway):
    query = """
        query { system { ...S } }
        fragment S on System { services { ...C } }
        fragment C on ServiceStatus { checks { name } }
    """
    status, message = await ask(gateway, query)
    assert status == 400
    assert "depth" in message


async def test_an_alias_bomb_is_refused(gateway):
    bomb = "{ " + " ".join(f"a{i}: me {{ sub }}" for i in range(50)) + " }"
    status, message = await ask(gateway, bomb)
    assert status == 400
    assert "aliases found. Allowed: 5" in message


async def test_a_complexity_bomb_is_refused_and_names_the_limit(gateway):
    wide = (
        "{ projects(first: 100) { nodes { name slug summary version createdAt approvedHours } } }"
    )
    status, message = await ask(gateway, wide)
    assert status == 400
    assert "Query too complex" in message
    assert "the limit is 300" in message


async def test_a_page_size_above_the_bound_is_refused(gateway):
    status, message = await ask(gateway, "{ projects(first: 1000) { totalCount } }")
    assert status == 400
    assert "first must be between 1 and 100" in message
    answer = await gateway.client.post(
        "/graphql", json={"query": "{ projects(first: 0) { totalCount } }"}, headers={"Accept": GQL}
    )
    [error] = answer.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}


async def test_circular_fragments_are_refused(gateway):
    cycle = """
        query { me { ...A } }
        fragment A on Viewer { sub ...B }
        fragment B on Viewer { name ...A }
    """
    status, message = await ask(gateway, cycle)
    assert status == 400
    assert "Cannot spread fragment 'A' within itself" in message


async def test_a_token_bomb_is_refused(gateway):
    status, message = await ask(gateway, "{ me { " + "sub " * 500 + "} }")
    assert status == 400
    assert "token" in message.lower()


async def test_a_huge_document_is_refused_by_the_token_limit_before_it_is_parsed(gateway):
    """Four megabytes of fields: the parser stops at the token limit, not at the end."""
    huge = "{ me { " + "sub " * 1_000_000 + "} }"
    started = time.monotonic()
    status, message = await ask(gateway, huge)
    assert status == 400
    assert "Document contains more than 400 tokens" in message
    assert time.monotonic() - started < 1
