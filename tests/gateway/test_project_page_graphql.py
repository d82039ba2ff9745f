"""What a project's page asks the gateway for, on the running suite: the project by its slug,
lists by status and words, the sites it stewards (commons' answer, resolved by the gateway), a
document's files (uploaded through the public origin, carried by its revision) and comments."""

import datetime as dt
import time
import uuid

import httpx

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.38, 52.15], [5.39, 52.15], [5.39, 52.16], [5.38, 52.16], [5.38, 52.15]]],
}
NEW_PROJECT = """mutation($name: String!) { createProject(input: {name: $name, summary: "Trees"})
  { ... on Project { id slug } } }"""
PAGE = """query($slug: String!) { project(slug: $slug) {
  id name status sites { id name startsOn endsOn }
  documents { id title attachments { filename } current { attachments { filename mediaType url } }
              comments { body authorName } } } }"""
CREATE = """mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  __typename ... on Document { id current { id attachments { filename } } } } }"""


def a_project(suite, token) -> dict:
    name = f"Elisabeth {uuid.uuid4().hex[:8]}"
    return suite.graphql(NEW_PROJECT, {"name": name}, token=token).json()["data"]["createProject"]


def steward(suite, project_id: str) -> str:
    staff = suite.token("page-staff", ["maintenance"])
    site = suite.graphql(
        "mutation($input: CreateSiteInput!) { createSite(input: $input) { ... on Site { id } } }",
        {
            "input": {
                "name": "Elisabeth park",
                "kind": "park",
                "timezone": "Europe/Amsterdam",
                "geometry": SQUARE,
            }
        },
        token=staff,
    ).json()["data"]["createSite"]["id"]
    deadline = time.monotonic() + 30
    while True:  # commons learns of the project by its event
        answer = httpx.post(
            f"{suite.suite.url('commons')}/sites/{site}/stewards",
            json={"project_id": project_id, "starts_on": dt.date.today().isoformat()},
            headers={"Authorization": f"Bearer {staff}"},
        )
        if answer.status_code != 422 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert answer.status_code == 201, answer.text
    return site


def test_a_project_page_from_its_slug_with_sites_files_and_comments(running_suite):
    anna = running_suite.token("page-anna", name="Anna")
    project = a_project(running_suite, anna)
    site_id = steward(running_suite, project["id"])
    upload = running_suite.http.post(
        f"{running_suite.url}/projects/{project['id']}/uploads",
        params={"filename": "plan.pdf"},
        content=PDF,
        headers={"Authorization": f"Bearer {anna}"},
    )
    assert upload.status_code == 201, upload.text
    document = {
        "projectId": project["id"],
        "title": "Plan",
        "body": "# Plan",
        "attachmentIds": [upload.json()["id"]],
    }
    created = running_suite.graphql(CREATE, {"input": document}, token=anna).json()
    assert created["data"]["createDocument"]["current"]["attachments"] == [
        {"filename": "plan.pdf"}
    ], created
    comment = running_suite.graphql(
        'mutation($d: UUID!) { addComment(documentId: $d, body: "Lovely") { __typename } }',
        {"d": created["data"]["createDocument"]["id"]},
        token=running_suite.token("page-bert"),
    ).json()
    assert comment["data"]["addComment"]["__typename"] == "Comment", comment

    page = running_suite.graphql(PAGE, {"slug": project["slug"]}).json()  # no account
    assert "errors" not in page, page
    found = page["data"]["project"]
    assert found["id"] == project["id"] and found["status"] == "IDEA"
    assert found["sites"] == [
        {
            "id": site_id,
            "name": "Elisabeth park",
            "startsOn": dt.date.today().isoformat(),
            "endsOn": None,
        }
    ]
    [plan] = found["documents"]
    assert plan["attachments"] == [{"filename": "plan.pdf"}]  # the current revision's
    [attachment] = plan["current"]["attachments"]
    assert attachment["mediaType"] == "application/pdf"
    assert running_suite.http.get(attachment["url"]).content == PDF  # absolute, on the origin
    assert plan["comments"] == [{"body": "Lovely", "authorName": "a member"}]


def test_projects_are_listed_by_words_and_one_is_asked_for_by_id_or_slug(running_suite):
    anna = running_suite.token("page-anna", name="Anna")
    project = a_project(running_suite, anna)
    word = project["slug"].split("-")[-1]  # its name's random part
    listed = running_suite.graphql(
        "query($q: String!) { projects(q: $q, status: IDEA) { nodes { id } totalCount } }",
        {"q": word},
    ).json()["data"]["projects"]
    assert listed == {"nodes": [{"id": project["id"]}], "totalCount": 1}
    both = running_suite.graphql(
        "query($id: UUID!, $slug: String!) { project(id: $id, slug: $slug) { id } }",
        {"id": project["id"], "slug": project["slug"]},
    ).json()
    assert both["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = running_suite.graphql('{ project(slug: "no-such-park") { id } }').json()
    assert unknown == {"data": {"project": None}}
    for slug in ("Not A Slug!", "", "a/../b"):
        odd = running_suite.graphql("query($s: String!) { project(slug: $s) { id } }", {"s": slug})
        assert odd.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (slug, odd.text)


def test_a_person_lists_their_own_projects_however_many_others_there_are(running_suite):
    tag = uuid.uuid4().hex[:8]
    anna = running_suite.token(f"mine-anna-{tag}", name="Anna")
    bram = running_suite.token(f"mine-bram-{tag}", name="Bram")
    own = a_project(running_suite, anna)
    a_project(running_suite, bram)
    mine = "{ projects(mine: true) { nodes { id } totalCount } }"
    assert running_suite.graphql(mine, token=anna).json()["data"]["projects"] == {
        "nodes": [{"id": own["id"]}],
        "totalCount": 1,
    }
    anonymous = running_suite.graphql(mine).json()
    assert anonymous == {"data": {"projects": {"nodes": [], "totalCount": 0}}}
