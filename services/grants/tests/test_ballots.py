"""The public vote on the real database: one ballot per person and call under concurrency,
changeable until the close, never shown to anyone else; tallies only after the close."""

import asyncio
import uuid

from meent_shared.testing.helpers import sql_value


async def _voting_call(world, **changes):
    call = await world.open_call(
        mode="vote", ballot_kind="approval", ballot_max_choices=2, **changes
    )
    projects = await world.announce_projects(3)
    applications = [await world.submitted_application(call["id"], p, "500.00") for p in projects]
    return call, applications


async def test_two_hundred_concurrent_ballots_are_two_hundred_none_lost_or_doubled(grants_world):
    world = await grants_world()
    grants = world.grants
    call, (one, two, three) = await _voting_call(world)
    voters = [world.auth_header(f"voter-{n}-{uuid.uuid4().hex[:6]}") for n in range(200)]
    path = f"/calls/{call['id']}/ballot"

    def choice(n: int) -> dict:
        return {"choices": {one["id"]: 1, (two if n % 2 else three)["id"]: 1}}

    answers = await asyncio.gather(
        *(grants.client.put(path, json=choice(n), headers=v) for n, v in enumerate(voters))
    )
    assert [a.status_code for a in answers] == [200] * 200, {a.text for a in answers}
    # The first 20 change their minds at once, twice over: still one ballot each.
    changed = {"choices": {three["id"]: 1}}
    for _ in range(2):
        again = await asyncio.gather(
            *(grants.client.put(path, json=changed, headers=v) for v in voters[:20])
        )
        assert {a.status_code for a in again} == {200}
    ballots = sql_value(
        grants.database_url, "SELECT count(*) FROM ballot WHERE call_id = %s", call["id"]
    )
    assert ballots == 200
    own = await grants.client.get(path, headers=voters[0])
    assert own.json()["choices"] == {three["id"]: 1} and own.json()["version"] == 3
    assert (await grants.client.get(path, headers=world.auth_header("no-vote"))).status_code == 404
    running = await grants.client.get(f"/calls/{call['id']}/tally")
    assert running.status_code == 409  # no running result of a secret ballot

    await grants.client.post(f"/calls/{call['id']}/close", headers=world.officer)
    late = await grants.client.put(path, json=changed, headers=voters[0])
    assert late.status_code == 409 and late.json()["detail"][0]["type"] == "call_closed"
    tally = (await grants.client.get(f"/calls/{call['id']}/tally")).json()
    # 180 unchanged ballots: all name one; 90 two, 90 three; the 20 changed name three only.
    assert tally["ballots"] == 200
    assert {line["application_id"]: line["points"] for line in tally["lines"]} == {
        one["id"]: 180,
        two["id"]: 90,
        three["id"]: 110,
    }
    ranking = (await grants.client.get(f"/calls/{call['id']}/ranking")).json()
    assert [a["application_id"] for a in ranking["applications"]] == [
        one["id"],
        three["id"],
        two["id"],
    ]


async def test_ballots_keep_the_calls_rules_and_its_voter_rule(grants_world):
    world = await grants_world()
    grants = world.grants
    call, (one, two, three) = await _voting_call(
        world, voter_rule="claim", voter_claim="residence", voter_claim_value="Gdańsk"
    )
    path = f"/calls/{call['id']}/ballot"
    resident = world.auth_header("ola", claims={"residence": "Gdańsk"})
    visitor = world.auth_header("tom", claims={"residence": "Sopot"})
    choice = {"choices": {one["id"]: 1}}
    refused = await grants.client.put(path, json=choice, headers=visitor)
    assert refused.status_code == 403 and refused.json()["detail"][0]["type"] == "not_a_voter"
    unknown = {"choices": {str(uuid.uuid4()): 1}}
    too_many = {"choices": {one["id"]: 1, two["id"]: 1, three["id"]: 1}}
    not_one = {"choices": {one["id"]: 3}}
    for bad, reason in (
        (unknown, "unknown_application"),
        (too_many, "too_many_choices"),
        (not_one, "not_one"),
    ):
        answer = await grants.client.put(path, json=bad, headers=resident)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["type"] == reason
    assert sql_value(grants.database_url, "SELECT count(*) FROM ballot") == 0
    assert (await grants.client.put(path, json=choice, headers=resident)).status_code == 200


async def test_a_withdrawn_application_leaves_the_tally_and_voters_may_ask_if_they_count(
    grants_world,
):
    world = await grants_world()
    grants = world.grants
    call, (one, two, three) = await _voting_call(
        world, voter_rule="claim", voter_claim="residence", voter_claim_value="Gdańsk"
    )
    resident = world.auth_header("resident", claims={"residence": "Gdańsk"})
    visitor = world.auth_header("visitor", claims={"residence": "Sopot"})
    voter = f"/calls/{call['id']}/voter"
    assert (await grants.client.get(voter, headers=resident)).json() == {"may_vote": True}
    assert (await grants.client.get(voter, headers=visitor)).json() == {"may_vote": False}
    assert (await grants.client.get(voter)).json() == {"may_vote": False}
    cast = await grants.client.put(
        f"/calls/{call['id']}/ballot",
        json={"choices": {one["id"]: 1, two["id"]: 1}},
        headers=resident,
    )
    assert cast.status_code == 200, cast.text
    applicant = sql_value(
        grants.database_url, "SELECT applicant FROM application WHERE id = %s", two["id"]
    )
    withdrawn = await grants.client.post(
        f"/applications/{two['id']}/withdraw", headers=world.auth_header(applicant)
    )
    assert withdrawn.status_code == 200, withdrawn.text
    await grants.client.post(f"/calls/{call['id']}/close", headers=world.officer)
    tally = (await grants.client.get(f"/calls/{call['id']}/tally")).json()
    assert tally["ballots"] == 1  # one person voted
    assert {line["application_id"]: line["points"] for line in tally["lines"]} == {one["id"]: 1}
