"""Site.useAt and Site.useOn through the gateway: the whole segment of the use, as the schema says."""

import datetime as dt

from tests.gateway.test_commons_graphql import create_coal_square


def test_use_at_and_use_on_give_when_the_use_began_and_when_it_next_changes(running_suite):
    staff = running_suite.token("marek", ["maintenance"])
    site_id, _ = create_coal_square(running_suite, staff)
    year = dt.date.today().year + 1
    query = """query($id: UUID!, $at: DateTime!, $on: Date!) { site(id: $id) {
      useAt(at: $at) { use start end } useOn(date: $on) { use start end } } }"""
    variables = {"id": site_id, "at": f"{year}-07-15T10:00:00Z", "on": f"{year}-07-15"}
    site = running_suite.graphql(query, variables).json()["data"]["site"]
    summer = {
        "use": "recreation",
        "start": f"{year}-05-01T00:00:00+02:00",
        "end": f"{year}-10-01T00:00:00+02:00",
    }
    assert site["useAt"] == summer
    assert site["useOn"] == summer
    schema = running_suite.graphql('{ __type(name: "Site") { fields { name description } } }')
    fields = {f["name"]: f["description"] for f in schema.json()["data"]["__type"]["fields"]}
    assert "up to 366 days away" in fields["useAt"]
    assert "up to 366 days away" in fields["useOn"]
