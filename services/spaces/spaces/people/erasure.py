"""Erasure: the person's row gets a pseudonym as its id and loses every personal field.

Every row that names the person holds a foreign key to `person.id` with ON UPDATE CASCADE, so the
one UPDATE below reaches memberships, revisions, comments … at once: history stays, the name goes.
`person.erased` carries the original subject so the other services can find what they hold; after
this transaction it is the only place spaces still has it (published outbox rows naming it are
deleted; unpublished ones still go out, before the erasure, so consumers end pseudonymised).
"""

import datetime as dt
import uuid

from sqlalchemy import cast, delete, func, update
from sqlalchemy.dialects.postgresql import JSONPATH
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Forbidden
from meent_shared.events.outbox import record_event
from spaces.db import outbox
from spaces.memberships import service as membership_service
from spaces.people import events
from spaces.people.models import Person
from spaces.people.service import ensure_person
from spaces.projects.models import Project


async def erase_person(session: AsyncSession, principal: Principal, today: dt.date) -> Person:
    """Pseudonymise the principal everywhere in spaces, end their memberships (a project's last
    coordinator is refused: they hand it over first) and announce it, in one transaction."""
    if principal.is_api_key:
        raise Forbidden("An API key is not a person: there is no one to erase", code="not_a_person")
    original = (await ensure_person(session, principal)).id
    pseudonym = f"erased:{uuid.uuid4()}"
    await session.execute(
        update(table_of(Person))
        .where(col(Person.id) == original)
        .values(
            id=pseudonym,
            display_name="",
            name_public=False,
            contact_email=None,
            contact_phone=None,
            erased_at=dt.datetime.now(dt.UTC),
            updated_at=dt.datetime.now(dt.UTC),
            version=col(Person.version) + 1,
        )
    )
    # project.created_by predates the person table (no foreign key): rewritten by hand.
    await session.execute(
        update(table_of(Project))
        .where(col(Project.created_by) == original)
        .values(created_by=pseudonym)
    )
    session.expire_all()
    # After the rename: the stints' `membership.changed` names the pseudonym, not the subject.
    await membership_service.end_every_stint(session, pseudonym, today)
    await _forget_published_events(session, original)
    person = await session.get(Person, pseudonym)
    assert person is not None  # renamed above
    await record_event(session, outbox, events.person_erased(original, person))
    return person


async def _forget_published_events(session: AsyncSession, person_id: str) -> None:
    """Published outbox rows whose data names the person at its top level go (they were sent)."""
    names_them = func.jsonb_path_exists(
        outbox.c.event["data"],
        cast("$.* ? (@ == $sub)", JSONPATH),
        func.jsonb_build_object("sub", person_id),
    )
    await session.execute(delete(outbox).where(outbox.c.published_at.is_not(None), names_them))
