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
