"""The events volunteers reacts to."""

from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated
from meent_shared.events.contracts.spaces import (
    MembershipChanged,
    PersonErased,
    PersonUpdated,
    ProjectCreated,
    ProjectUpdated,
)
from meent_shared.events.inbox import Handler
from volunteers.members.service import on_membership_changed, on_person_updated
from volunteers.people.service import on_person_erased
from volunteers.projects.service import on_project_changed
from volunteers.sites.service import on_site_changed

HANDLERS: dict[type[EventPayload], Handler] = {
    ProjectCreated: on_project_changed,
    ProjectUpdated: on_project_changed,
    SiteCreated: on_site_changed,
    SiteUpdated: on_site_changed,
    PersonErased: on_person_erased,
    MembershipChanged: on_membership_changed,
    PersonUpdated: on_person_updated,
}
