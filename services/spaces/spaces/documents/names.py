"""People's names beside their contributions, as each allows (the person rule of spaces)."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from spaces.documents.schemas import PersonName
from spaces.people.models import Person

HIDDEN_NAME = "a member"
ERASED_NAME = "erased person"


def public_name(person: Person) -> PersonName:
    if person.erased_at is not None or person.id.startswith("erased:"):
        return PersonName(id=person.id, name=ERASED_NAME)
    return PersonName(id=person.id, name=person.display_name if person.name_public else HIDDEN_NAME)


async def public_names(session: AsyncSession, ids: Iterable[str | None]) -> dict[str, PersonName]:
    """The public name of each person named (one query, however many rows name them)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    people = await session.scalars(select(Person).where(col(Person.id).in_(wanted)))
    return {person.id: public_name(person) for person in people}
