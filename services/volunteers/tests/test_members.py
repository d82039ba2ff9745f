"""spaces' memberships and people as volunteers keeps them: a stint that ends keeps the role it
had (for past days), and an older event changes nothing."""

import datetime as dt

from meent_shared.events.contracts.spaces import PersonUpdated
from meent_shared.testing.helpers import publish_events, wait_for
from volunteers.members.models import KnownPerson, ProjectMember


async def _member(project, person: str) -> ProjectMember | None:
    async with project.volunteers.runtime.session_factory() as session:
        return await session.get(ProjectMember, project.memberships[person])


async def test_an_ended_stint_keeps_its_role_and_an_old_event_changes_nothing(hours_project):
    today = hours_project.today
    joined = today - dt.timedelta(days=60)
    await hours_project.join(("cora", "coordinator", joined))
    await hours_project.join(("cora", None, joined, today - dt.timedelta(days=5), 2))
    member = await _member(hours_project, "cora")
    assert member is not None
    assert (member.role, member.last_role, member.left_on) == (
        None,
        "coordinator",
        today - dt.timedelta(days=5),
    )
    # The first event again (a redelivery, a replica): still ended.
    await hours_project.join(("cora", "coordinator", joined, None, 1))
    await hours_project.join(("sam", "skill"))  # an event after it, to know it was consumed
    member = await _member(hours_project, "cora")
    assert member is not None and (member.role, member.version) == (None, 2)


async def test_people_are_known_by_their_public_profile(hours_project):
    volunteers = hours_project.volunteers
    profiles = [
        PersonUpdated(person_id="vera", version=1, display_name="Vera", name_public=False),
        PersonUpdated(person_id="vera", version=2, display_name="Vera K.", name_public=True),
    ]
    await publish_events(volunteers.settings.nats_url, profiles)

    async def known() -> bool:
        async with volunteers.runtime.session_factory() as session:
            person = await session.get(KnownPerson, "vera")
            return person is not None and person.version == 2

    await wait_for(known, what="vera's profile")
    async with volunteers.runtime.session_factory() as session:
        person = await session.get(KnownPerson, "vera")
    assert person is not None
    assert (person.display_name, person.name_public) == ("Vera K.", True)
