"""The events a project's changes publish."""

from meent_shared.events.contracts.spaces import ProjectCreated, ProjectUpdated
from spaces.projects.models import Project


def project_created(project: Project) -> ProjectCreated:
    return ProjectCreated(
        project_id=project.id,
        version=project.version,
        name=project.name,
        slug=project.slug,
        summary=project.summary,
    )


def project_updated(project: Project) -> ProjectUpdated:
    return ProjectUpdated(
        project_id=project.id,
        version=project.version,
        name=project.name,
        slug=project.slug,
        summary=project.summary,
    )


def current_state(project: Project) -> ProjectCreated | ProjectUpdated:
    """The event a republish sends: what the project's last change announced."""
    return project_created(project) if project.version == 1 else project_updated(project)
