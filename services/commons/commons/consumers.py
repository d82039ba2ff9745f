"""The events commons reacts to: spaces' projects (stewards' names) and memberships (who
coordinates a stewarding project)."""

from commons.stewardship.service import on_membership_changed, on_project_changed
from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated, ProjectUpdated
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {
    ProjectCreated: on_project_changed,
    ProjectUpdated: on_project_changed,
    MembershipChanged: on_membership_changed,
}
