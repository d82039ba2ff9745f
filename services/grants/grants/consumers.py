"""The events grants reacts to."""

from grants.eligibility.service import on_hours_approved
from grants.people.service import on_person_erased
from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {
    HoursApproved: on_hours_approved,
    PersonErased: on_person_erased,
}
