import pytest


@pytest.fixture
async def spaces(start_service):
    return await start_service("spaces")


async def test_create_project_is_public_and_announced(spaces, auth_header):
    answer = await spaces.client.post(
        "/projects", json={"name": "Elisabeth groen"}, headers=auth_header("anna")
    )
    assert answer.status_code == 201, answer.text
    project = answer.json()
    assert project["slug"] == "elisabeth-groen"
    assert project["version"] == 1
    public = await spaces.client.get(f"/projects/{project['id']}")
    assert public.json()["name"] == "Elisabeth groen"


async def test_a_slug_that_is_not_url_friendly_is_refused(spaces, auth_header):
    answer = await spaces.client.post(
        "/projects", json={"name": "Tuin", "slug": "Tuin van Anna!"}, headers=auth_header()
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "slug"]


async def test_projects_are_found_by_status_by_words_and_by_slug(spaces, auth_header):
    anna = auth_header("anna")
    made = {}
    for name, summary in [
        ("Elisabeth groen", "A park for ten years"),
        ("Coal Square", "Parking in winter, 100% play in summer"),
        ("Tuin_van_Anna", "Vegetables"),
    ]:
        answer = await spaces.client.post(
            "/projects", json={"name": name, "summary": summary}, headers=anna
        )
        made[name] = answer.json()
    coal = made["Coal Square"]
    answer = await spaces.client.patch(
        f"/projects/{coal['id']}", json={"status": "active"}, headers=anna
    )
    assert answer.status_code == 200, answer.text

    async def names(**params) -> list[str]:
        answer = await spaces.client.get("/projects", params=params)
        assert answer.status_code == 200, answer.text
        return [p["name"] for p in answer.json()["data"]]

    assert await names(status="active") == ["Coal Square"]
    assert await names(q="PARK") == ["Coal Square", "Elisabeth groen"]  # name or summary
    assert await names(q="100%") == ["Coal Square"]  # % and _ are the characters themselves
    assert await names(q="n_v") == ["Tuin_van_Anna"]
    assert await names(q="park", status="idea") == ["Elisabeth groen"]
    by_slug = await spaces.client.get(f"/projects/slug/{coal['slug']}")
    assert by_slug.json()["id"] == coal["id"]
    assert (await spaces.client.get("/projects/slug/no-such-park")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/projects?status=dormant",
        "/projects?q=" + "x" * 101,
        "/projects?q=a%00b",
        "/projects/slug/Not%20A%20Slug",
    ],
)
async def test_odd_filters_and_slugs_are_refused(spaces, path):
    answer = await spaces.client.get(path)
    assert answer.status_code == 422, answer.text


async def test_a_person_lists_the_projects_they_are_a_member_of_now(spaces, auth_header):
    anna, bram = auth_header("anna"), auth_header("bram")
    made = {}
    for name, who in [("Anna's tuin", anna), ("Bram's plein", bram), ("Together", anna)]:
        made[name] = (
            await spaces.client.post("/projects", json={"name": name}, headers=who)
        ).json()
    joined = await spaces.client.post(
        f"/projects/{made['Together']['id']}/members", json={}, headers=bram
    )
    assert joined.status_code == 201, joined.text
    left = await spaces.client.post(
        f"/projects/{made['Together']['id']}/members/me/leave", headers=bram
    )
    assert left.status_code == 200, left.text
    annas = made["Anna's tuin"]["id"]
    joined = await spaces.client.post(f"/projects/{annas}/members", json={}, headers=bram)
    assert joined.status_code == 201, joined.text

    async def mine(who) -> tuple[list[str], int]:
        answer = await spaces.client.get("/projects", params={"mine": "true"}, headers=who)
        assert answer.status_code == 200, answer.text
        return [p["name"] for p in answer.json()["data"]], answer.json()["count"]

    assert await mine(anna) == (["Anna's tuin", "Together"], 2)
    # Bram left "Together": only the projects he belongs to today.
    assert await mine(bram) == (["Anna's tuin", "Bram's plein"], 2)
    anonymous = await spaces.client.get("/projects", params={"mine": "true"})
    assert anonymous.status_code == 401, anonymous.text
