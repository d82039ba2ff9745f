"""The events grants reacts to."""

from grants.eligibility.service import on_hours_approved
from grants.people.service import on_person_erased
from grants.projects.service import on_membership_changed, on_project_changed
from grants.sites.service import on_site_changed, on_stewardship_changed
from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated, StewardshipChanged
from meent_shared.events.contracts.spaces import (
    MembershipChanged,
    PersonErased,
    ProjectCreated,
    ProjectUpdated,
)
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {
    HoursApproved: on_hours_approved,
    PersonErased: on_person_erased,
    ProjectCreated: on_project_changed,
    ProjectUpdated: on_project_changed,
    MembershipChanged: on_membership_changed,
    SiteCreated: on_site_changed,
    SiteUpdated: on_site_changed,
    StewardshipChanged: on_stewardship_changed,
}
