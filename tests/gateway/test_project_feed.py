"""A project's Atom feed through the gateway's origin, as a feed reader subscribes to it."""

import uuid

import feedparser
import psycopg


def _project_with_a_member(running_suite) -> str:
    slug = f"feed-{uuid.uuid4().hex[:8]}"
    answer = running_suite.graphql(
        "mutation($name: String!, $slug: String) {"
        " createProject(input: {name: $name, slug: $slug}) { ... on Project { id } } }",
        {"name": "Elisabeth groen", "slug": slug},
        token=running_suite.token("feed-owner"),
    )
    project_id = answer.json()["data"]["createProject"]["id"]
    with psycopg.connect(running_suite.suite.database_url("spaces"), autocommit=True) as db:
        db.execute(
            "INSERT INTO person (id, display_name, name_public) VALUES ('feed-cora', 'Cora', true)"
            " ON CONFLICT DO NOTHING"
        )
        db.execute(
            "INSERT INTO membership (id, project_id, person_id, role, joined_on, version)"
            " VALUES (gen_random_uuid(), %s, 'feed-cora', 'coordinator', current_date, 1)",
            (project_id,),
        )
    return slug


def test_the_feed_reads_through_the_gateway_with_links_on_its_origin(running_suite):
    slug = _project_with_a_member(running_suite)
    url = f"{running_suite.url}/feeds/projects/{slug}.atom"
    answer = running_suite.http.get(url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    # The starter (name private) and Cora, who coordinate it.
    assert sorted(e.title for e in feed.entries) == [
        "A member joined the coordinators",
        "Cora joined the coordinators",
    ]
    links = [e.link for e in feed.entries] + [link.href for link in feed.feed.links]
    assert all(link.startswith(running_suite.url + "/") for link in links), links
    assert url in links  # rel=self: the address the reader subscribed to
    again = running_suite.http.get(url, headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    assert feedparser.parse(running_suite.http.get(url).content).entries[0].id == (
        feed.entries[0].id
    )
