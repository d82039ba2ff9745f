"""The events commons reacts to. (spaces' projects and memberships arrive with stewardship.)"""

from meent_shared.events.contracts import EventPayload
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {}
