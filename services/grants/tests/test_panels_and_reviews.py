"""Review panels drawn by lot, verifiably (the seed and the frozen pool match what the call
published at its opening, and the draw re-runs from them), reviews with the conflict-of-interest
rule, and the ranking they make — on the real database and NATS."""

import hashlib
import uuid

from grants.panels import draw
from meent_shared.testing.helpers import read_stream, wait_for


async def _join_pool(world, count: int) -> dict[str, str]:
    """`count` citizens join the reviewer pool: person → pool-entry id."""
    people = {}
    for _ in range(count):
        person = f"reviewer-{uuid.uuid4().hex[:8]}"
        answer = await world.grants.client.post("/reviewers/me", headers=world.auth_header(person))
        assert answer.status_code == 200, answer.text
        people[person] = answer.json()["id"]
    return people


async def test_a_panel_draw_reruns_from_the_revealed_seed_and_matches_the_published_hashes(
    grants_world,
):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    pool = await _join_pool(world, 12)
    call = await world.open_call(panel_size=3)
    late = await _join_pool(world, 1)  # joined after the opening: waits for the next call

    async def published() -> list:
        events = await read_stream(grants.settings.nats_url, "MEENT_GRANTS")
        return [e for _, e in events if e.type == "org.meent.grants.call.published.v1"]

    await wait_for(published, what="call.published")
    [announced] = await published()
    assert announced.data["pool_size"] == 12
    seed_hash, pool_hash = announced.data["seed_commitment"], announced.data["pool_commitment"]
    assert len(seed_hash) == len(pool_hash) == 64

    drawn = await grants.client.post(f"/calls/{call['id']}/panel/draw", headers=officer)
    assert drawn.status_code == 200, drawn.text
    seated = drawn.json()["members"]
    assert len(seated) == 3 and {m["person_id"] for m in seated} <= set(pool)
    again = await grants.client.post(f"/calls/{call['id']}/panel/draw", headers=officer)
    assert again.status_code == 409  # the draw happens once
    # Before the decision the public learns how many, not who, and not the seed.
    public = (await grants.client.get(f"/calls/{call['id']}/panel")).json()
    assert public == {"call_id": call["id"], "size": 3, "members": [], "you_sit": False}
    # A drawn reviewer learns that they sit on it (their scoring form), and nothing more.
    member = world.auth_header(seated[0]["person_id"])
    own = (await grants.client.get(f"/calls/{call['id']}/panel", headers=member)).json()
    assert own == {"call_id": call["id"], "size": 3, "members": [], "you_sit": True}
    unseated = next(person for person in pool if person not in {m["person_id"] for m in seated})
    other = world.auth_header(unseated)
    assert (await grants.client.get(f"/calls/{call['id']}/panel", headers=other)).json()[
        "you_sit"
    ] is False
    secret = (await grants.client.get(f"/calls/{call['id']}/draw")).json()
    assert secret["seed"] is None and secret["pool"] is None
    assert (secret["seed_commitment"], secret["pool_commitment"]) == (seed_hash, pool_hash)

    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    decided = await grants.client.post(f"/calls/{call['id']}/decide", headers=officer)
    assert decided.status_code == 200, decided.text
    shown = (await grants.client.get(f"/calls/{call['id']}/draw")).json()
    seed = bytes.fromhex(shown["seed"])
    revealed = [uuid.UUID(i) for i in shown["pool"]]
    # Anyone can check the revealed seed and pool against the hashes published at the opening…
    assert hashlib.sha256(seed).hexdigest() == seed_hash
    pool_text = "".join(f"{i}\n" for i in sorted(shown["pool"]))
    assert hashlib.sha256(pool_text.encode()).hexdigest() == pool_hash
    assert set(shown["pool"]) == set(pool.values())
    assert list(late.values())[0] not in shown["pool"]
    # …and re-run the draw: the same three, in the same order.
    rerun = [str(i) for i in draw.draw(seed, revealed, 3)]
    assert shown["drawn_entries"] == rerun
    by_entry = {entry: person for person, entry in pool.items()}
    assert [by_entry[e] for e in rerun] == [m["person_id"] for m in seated]
    after = (await grants.client.get(f"/calls/{call['id']}/panel")).json()
    assert [m["pool_entry_id"] for m in after["members"]] == rerun
    assert all(m["person_id"] is None for m in after["members"])  # never their subjects


async def test_a_reviewer_from_the_applying_project_is_refused_and_scores_stay_on_the_scale(
    grants_world,
):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call(
        criteria=[{"name": "Impact", "weight": 2}, {"name": "Feasibility", "weight": 1}],
        scale_min=0,
        scale_max=5,
    )
    first, second = await world.announce_projects(2)
    one = await world.submitted_application(call["id"], first, "400.00")
    two = await world.submitted_application(call["id"], second, "400.00")
    # The first project's coordinator sits on the panel (assigned), beside a neutral reviewer.
    for person in (first.coordinator, "neutral-reviewer"):
        seated = await grants.client.post(
            f"/calls/{call['id']}/panel/assign", json={"person_id": person}, headers=officer
        )
        assert seated.status_code == 200, seated.text
    insider, neutral = world.auth_header(first.coordinator), world.auth_header("neutral-reviewer")

    async def review(application, who, scores, comment=""):
        body = {"scores": scores, "comment": comment}
        return await grants.client.put(
            f"/applications/{application['id']}/review", json=body, headers=who
        )

    conflict = await review(one, insider, {"Impact": 5, "Feasibility": 5})
    assert conflict.status_code == 409, conflict.text
    assert conflict.json()["detail"][0]["type"] == "conflict_of_interest"
    # The insider may review the other project's application.
    assert (await review(two, insider, {"Impact": 1, "Feasibility": 2})).status_code == 200
    off_scale = await review(one, neutral, {"Impact": 6, "Feasibility": 1})
    assert off_scale.status_code == 422
    assert off_scale.json()["detail"][0]["loc"] == ["body", "scores", "Impact"]
    missing = await review(one, neutral, {"Impact": 3})
    assert missing.status_code == 422
    stranger = await review(
        one, world.auth_header("not-on-the-panel"), {"Impact": 1, "Feasibility": 1}
    )
    assert stranger.status_code == 403
    assert (await review(one, neutral, {"Impact": 4, "Feasibility": 2})).status_code == 200
    assert (await review(two, neutral, {"Impact": 2, "Feasibility": 4})).status_code == 200

    ranking = (await grants.client.get(f"/calls/{call['id']}/ranking")).json()
    # one: (2·4/5 + 1·2/5)/3 = 10/15 = 0.6667; two: mean of (2·1/5+2/5)/3 = 4/15 and
    # (2·2/5+4/5)/3 = 8/15 → 6/15 = 0.4.
    assert [(a["application_id"], a["score"], a["reviews"]) for a in ranking["applications"]] == [
        (one["id"], "0.6667", 1),
        (two["id"], "0.4000", 2),
    ]
    reviews = (await grants.client.get(f"/applications/{two['id']}/reviews")).json()
    assert len(reviews) == 2 and all("reviewer" not in r for r in reviews)
