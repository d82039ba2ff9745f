"""The events spaces reacts to. (grants.application.awarded arrives with the grants issue.)"""

from meent_shared.events.contracts import EventPayload
from meent_shared.events.inbox import Handler

HANDLERS: dict[type[EventPayload], Handler] = {}
