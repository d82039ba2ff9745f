"""How a person is named beside what they did: as they allow, never their contact data."""

from spaces.people.models import Person

A_MEMBER = "a member"
ERASED = "erased person"
ANONYMOUS = "anonymous visitor"


def shown_name(person: Person | None) -> str:
    """Their display name if they made it public; "a member" if not; "erased person" after an
    erasure; "anonymous visitor" for an act without an account (no person)."""
    if person is None:
        return ANONYMOUS
    if person.erased_at is not None:
        return ERASED
    return person.display_name if person.name_public else A_MEMBER
