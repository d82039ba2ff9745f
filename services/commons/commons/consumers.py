"""The events commons reacts to: spaces' projects (stewards' names), memberships (who
coordinates a stewarding project) and erasures (a person's subject replaced by a pseudonym)."""

from commons.people.service import on_person_erased
from commons.stewardship.service import on_membership_changed, on_project_changed
from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.spaces import (
    MembershipChanged,
    PersonErased,
    ProjectCreated,
    ProjectUpdated,
)
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {
    ProjectCreated: on_project_changed,
    ProjectUpdated: on_project_changed,
    MembershipChanged: on_membership_changed,
    PersonErased: on_person_erased,
}
