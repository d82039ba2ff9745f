"""OGC API – Features through the gateway: the links a GIS follows lead back to the gateway's
origin, never to the commons service behind it."""

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.6490, 54.3507],
            [18.6490, 54.3520],
            [18.6466, 54.3520],
            [18.6466, 54.3507],
        ]
    ],
}


def test_ogc_links_through_the_gateway_point_at_the_gateway(running_suite):
    token = running_suite.token("ogc-gis", ["maintenance"])
    commons = running_suite.suite.url("commons")
    for name in ("OGC gateway square 1", "OGC gateway square 2"):
        created = running_suite.http.post(
            f"{commons}/sites",
            json={"name": name, "kind": "square", "geometry": SQUARE},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.text

    gateway = running_suite.url
    answer = running_suite.http.get(f"{gateway}/ogc/collections/sites/items?limit=1")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/geo+json"
    page = answer.json()
    assert page["numberReturned"] == 1 and page["numberMatched"] >= 2
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert links["self"] == f"{gateway}/ogc/collections/sites/items?limit=1"
    assert links["next"] == f"{gateway}/ogc/collections/sites/items?limit=1&offset=1"
    assert all(href.startswith(f"{gateway}/ogc/") for href in links.values()), links

    following = running_suite.http.get(links["next"])
    assert following.status_code == 200, following.text
    assert following.json()["features"][0]["id"] != page["features"][0]["id"]

    landing = running_suite.http.get(f"{gateway}/ogc").json()
    for link in landing["links"]:
        assert link["href"].startswith(f"{gateway}/ogc"), link
        assert running_suite.http.get(link["href"]).status_code == 200, link
