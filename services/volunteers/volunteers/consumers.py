"""The events volunteers reacts to."""

from meent_shared.events.contracts import EventPayload
from meent_shared.events.contracts.spaces import ProjectCreated, ProjectUpdated
from meent_shared.events.inbox import Handler
from volunteers.projects.service import on_project_changed

HANDLERS: dict[type[EventPayload], Handler] = {
    ProjectCreated: on_project_changed,
    ProjectUpdated: on_project_changed,
}
