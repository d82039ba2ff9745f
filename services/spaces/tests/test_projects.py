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
