"""The events a person's profile publishes. Contact data never travels in events."""

from meent_shared.events.contracts.spaces import PersonErased, PersonUpdated
from spaces.people.models import Person


def person_updated(person: Person) -> PersonUpdated:
    return PersonUpdated(
        person_id=person.id,
        version=person.version,
        display_name=person.display_name,
        name_public=person.name_public,
        language=person.language.value,
    )


def person_erased(original_id: str, person: Person) -> PersonErased:
    """Names the subject the person had (consumers hold that), and the pseudonym spaces gave them,
    so every service can put the same one in its place."""
    return PersonErased(person_id=original_id, pseudonym=person.id, version=person.version)
