"""A project's Atom feed reads in an ordinary feed library: no warnings, stable entry ids,
absolute links on the public URL, authors only as they allow, and cheap re-polls."""

import datetime as dt
import uuid

import feedparser
import psycopg
import pytest

PUBLIC_URL = "https://meent.example.org"


@pytest.fixture
async def project_with_changes(start_service, spaces_rows):
    spaces = await start_service("spaces", public_url=PUBLIC_URL)
    url = spaces.database_url
    project_id = spaces_rows.add_project(url, slug="elisabeth")
    spaces_rows.add_member(url, project_id, "cora", "coordinator", name_public=True)
    spaces_rows.add_member(url, project_id, "sami", "skill")
    document_id = spaces_rows.add_document(url, project_id, author="sami", title="Plan <b>&</b>")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE document SET status = 'published' WHERE id = %s", (document_id,))
    return spaces, project_id, document_id


async def _feed(spaces, ref):
    answer = await spaces.client.get(f"/feeds/projects/{ref}.atom")
    assert answer.status_code == 200, answer.text
    return answer, feedparser.parse(answer.content)


async def test_the_feed_parses_without_warnings_with_stable_ids(project_with_changes):
    spaces, project_id, document_id = project_with_changes
    answer, feed = await _feed(spaces, "elisabeth")
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = {e.title for e in feed.entries}
    assert titles == {
        "Plan <b>&</b>: revised",
        "Plan <b>&</b>: published",
        "Cora joined the coordinators",
        "A member joined the skill group",
    }
    revised = next(e for e in feed.entries if e.title.endswith("revised"))
    assert revised.author == "a member"  # sami keeps their name private
    links = [e.link for e in feed.entries] + [link.href for link in feed.feed.links]
    assert all(link.startswith(PUBLIC_URL + "/") for link in links), links
    assert f"{PUBLIC_URL}/feeds/projects/elisabeth.atom" in links
    # Each entry opens a page of the web client (its routes: /projects/:slug/documents/:id…).
    published = next(e for e in feed.entries if e.title.endswith("published"))
    assert published.link == f"{PUBLIC_URL}/projects/elisabeth/documents/{document_id}"
    assert revised.link == published.link  # a first revision: the document itself
    assert all(e.get("updated_parsed") for e in feed.entries)
    _, by_id = await _feed(spaces, project_id)
    assert [e.id for e in by_id.entries] == [e.id for e in feed.entries]
    assert len({e.id for e in feed.entries}) == 4
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)


async def test_a_new_change_keeps_the_old_entries_ids(project_with_changes, spaces_rows):
    spaces, project_id, _ = project_with_changes
    _, before = await _feed(spaces, "elisabeth")
    spaces_rows.add_document(spaces.database_url, project_id, author="cora", title="Begroting")
    _, after = await _feed(spaces, "elisabeth")
    assert {e.id for e in before.entries} < {e.id for e in after.entries}
    assert len(after.entries) == len(before.entries) + 1


async def test_a_reader_that_has_the_feed_gets_304(project_with_changes):
    spaces, _, _ = project_with_changes
    answer, _ = await _feed(spaces, "elisabeth")
    etag, modified = answer.headers["etag"], answer.headers["last-modified"]
    again = await spaces.client.get(
        "/feeds/projects/elisabeth.atom", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    since = await spaces.client.get(
        "/feeds/projects/elisabeth.atom", headers={"If-Modified-Since": modified}
    )
    assert since.status_code == 304
    stale = dt.datetime(2000, 1, 1, tzinfo=dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    old = await spaces.client.get(
        "/feeds/projects/elisabeth.atom", headers={"If-Modified-Since": stale}
    )
    assert old.status_code == 200


async def test_the_feed_is_bounded(start_service, spaces_rows):
    spaces = await start_service("spaces", public_url=PUBLIC_URL)
    url = spaces.database_url
    project_id = spaces_rows.add_project(url, slug="busy")
    document_id = spaces_rows.add_document(url, project_id)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO revision (id, document_id, body, sha256, author_id, created_at)"
            " SELECT gen_random_uuid(), %s, 'v' || n, 'x', 'anna', now() + n * interval '1 s'"
            " FROM generate_series(1, 120) AS n",
            (document_id,),
        )
    _, feed = await _feed(spaces, "busy")
    assert feed.bozo == 0
    assert len(feed.entries) == 50


@pytest.mark.parametrize(
    ("ref", "status"),
    [("Not_A_Slug", 422), ("a" * 81, 422), ("nobody-here", 404), (str(uuid.UUID(int=0)), 404)],
)
async def test_odd_or_unknown_projects_are_a_clear_4xx(project_with_changes, ref, status):
    spaces, _, _ = project_with_changes
    answer = await spaces.client.get(f"/feeds/projects/{ref}.atom")
    assert answer.status_code == status
    assert answer.json()["detail"][0]["type"] in {"invalid_project_ref", "project_not_found"}
