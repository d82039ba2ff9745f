"""A service that is slow or down is not a bug: the caller is told so (SERVICE_UNAVAILABLE, with
the reason), and a mutation's caller whether the change may have been made — instead of
"Unexpected error.". Real services' ports: one that never answers, one where nothing listens."""

import time

import pytest

GQL = {"Accept": "application/graphql-response+json"}
SECONDS = 0.5
CREATE_TEAM = 'mutation { createTeam(name: "Parks north") { __typename } }'


async def ask(gateway, query: str, headers: dict[str, str] | None = None) -> dict:
    answer = await gateway.client.post(
        "/graphql", json={"query": query}, headers={**GQL, **(headers or {})}
    )
    assert answer.status_code == 200, answer.text  # it ran; the field failed
    body = answer.json()
    assert body["data"] is None
    [error] = body["errors"]
    return error


@pytest.fixture
async def commons_hung(start_service, hung_service_url):
    return await start_service(
        "gateway",
        run_workers=False,
        commons_url=hung_service_url,
        service_timeout_seconds=SECONDS,
        import_timeout_seconds=2 * SECONDS,
    )


@pytest.fixture
async def commons_down(start_service, down_service_url):
    return await start_service("gateway", run_workers=False, commons_url=down_service_url)


async def test_a_query_that_times_out_says_so_in_time(commons_hung):
    started = time.perf_counter()
    error = await ask(commons_hung, "{ teams { id } }")
    assert time.perf_counter() - started < SECONDS + 1.5
    assert error["message"] == f"commons did not answer within {SECONDS:g} s; try again later."
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "reason": "timeout",
        "service": "commons",
    }
    assert error["path"] == ["teams"]


async def test_a_mutation_that_times_out_says_its_outcome_is_unknown(commons_hung, auth_header):
    error = await ask(commons_hung, CREATE_TEAM, auth_header("ops", roles=["admin"]))
    assert error["message"] == (
        f"commons did not answer within {SECONDS:g} s. The change may or may not have been made: "
        "look before you try again, or repeat it only if doing it twice does no harm."
    )
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["reason"] == "timeout"
    assert error["extensions"]["outcome"] == "unknown"
    assert error["path"] == ["createTeam"]


async def test_an_import_waits_for_its_own_longer_timeout(commons_hung, auth_header):
    query = 'mutation { importSites(featureCollection: {type: "FeatureCollection", features: []}) { __typename } }'
    error = await ask(commons_hung, query, auth_header("ops", roles=["admin"]))
    assert error["message"].startswith(f"commons did not answer within {2 * SECONDS:g} s.")
    assert error["extensions"]["outcome"] == "unknown"


async def test_a_query_to_a_service_that_is_down_says_so(commons_down):
    error = await ask(commons_down, "{ teams { id } }")
    assert error["message"] == "commons cannot be reached; try again later."
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "reason": "unreachable",
        "service": "commons",
    }


async def test_a_mutation_to_a_service_that_is_down_was_not_applied(commons_down, auth_header):
    error = await ask(commons_down, CREATE_TEAM, auth_header("ops", roles=["admin"]))
    assert error["message"] == "commons cannot be reached. Nothing was changed; try again later."
    assert error["extensions"]["outcome"] == "not_applied"


@pytest.fixture
async def grants_shedding(start_service, shedding_service_url):
    return await start_service("gateway", run_workers=False, grants_url=shedding_service_url)


async def test_a_service_shedding_load_says_when_to_retry_and_that_nothing_was_applied(
    grants_shedding, auth_header
):
    error = await ask(grants_shedding, "{ calls { totalCount } }")
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "reason": "overloaded",
        "service": "grants",
        "retryAfter": 2,
    }
    assert error["message"].startswith("grants is busy")
    close = 'mutation { closeCall(id: "00000000-0000-4000-8000-000000000000") { __typename } }'
    error = await ask(grants_shedding, close, auth_header("gina", roles=["grant_officer"]))
    assert error["extensions"]["outcome"] == "not_applied"
    assert error["extensions"]["retryAfter"] == 2
