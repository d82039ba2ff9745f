"""People: a profile row for everyone who takes part, made the first time they act.

Every table of spaces that names a person holds their id (the OIDC subject) as a foreign key to
`person` with ON UPDATE CASCADE, and never a copy of their name: names are joined in when read, so
an erasure (which gives the row a pseudonym as id and blanks its fields) reaches every revision,
comment and membership at once, and history stays whole.
"""

import datetime as dt
import unicodedata

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Forbidden, NotFound
from meent_shared.events.outbox import record_event
from spaces.db import outbox
from spaces.people import events
from spaces.people.models import Person, PersonPublic, PersonUpdate

# Authors that are not people: the award agreements grants' events write.
SYSTEM_PEOPLE = {"system:grants": "Grants office"}
REQUIRED_FIELDS = ("display_name", "language", "name_public")


def token_name(name: str) -> str:
    """A name from an identity provider's token, as a display name: without control, format or
    surrogate characters (PostgreSQL refuses NUL; the others would garble pages), at most 120."""
    kept = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    return " ".join(kept.split())[:120]


async def ensure_person(session: AsyncSession, principal: Principal) -> Person:
    """The principal's profile, made from the token's name on their first action."""
    return await ensure_person_id(session, principal.sub, principal.name or "")


async def ensure_person_id(session: AsyncSession, person_id: str, display_name: str) -> Person:
    """The person with this id, made (name public only for system authors) if new."""
    system = person_id in SYSTEM_PEOPLE
    values = {
        "id": person_id,
        "display_name": SYSTEM_PEOPLE.get(person_id, token_name(display_name)),
        "name_public": system,
    }
    statement = insert(table_of(Person)).values(**values).on_conflict_do_nothing()
    await session.execute(statement)
    person = await session.get(Person, person_id)
    assert person is not None  # inserted above, or there before
    return person


def public_name(person: Person) -> str:
    """The name the public sees beside a person's contributions, as they allow."""
    if person.erased_at is not None:
        return "erased person"
    return person.display_name if person.name_public else "a member"


async def update_me(session: AsyncSession, principal: Principal, person_in: PersonUpdate) -> Person:
    """Change one's own profile (next version) and announce it; contact data stays in spaces."""
    if principal.is_api_key:
        raise Forbidden("An API key is not a person and has no profile", code="not_a_person")
    await ensure_person(session, principal)
    person = await session.get(Person, principal.sub, with_for_update=True)
    assert person is not None  # ensured above
    changes = person_in.model_dump(exclude_unset=True)
    for field in REQUIRED_FIELDS:
        if changes.get(field, "") is None:
            del changes[field]  # null leaves a required field as it is; it clears contact data
    if not changes:
        return person
    for field, value in changes.items():
        setattr(person, field, value)
    person.version += 1
    person.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await session.refresh(person)
    await record_event(session, outbox, events.person_updated(person))
    return person


async def public_person(session: AsyncSession, person_id: str) -> PersonPublic:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person {person_id}")
    shown = person.name_public and person.erased_at is None
    return PersonPublic(
        id=person.id,
        display_name=person.display_name if shown else None,
        erased=person.erased_at is not None,
    )
