"""The events spaces reacts to: grants' awards, recorded as published agreements."""

from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.grants import ApplicationAwarded
from meent_shared.events.inbox import Handler
from spaces.awards.agreements import on_application_awarded

HANDLERS: dict[type[EventPayload], Handler] = {ApplicationAwarded: on_application_awarded}
