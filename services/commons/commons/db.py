"""commons's own tables: its metadata, model base, outbox, inbox and dead letters."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from meent_shared.db import make_metadata
from meent_shared.events.dead_letters import dead_letter_table
from meent_shared.events.inbox import inbox_table
from meent_shared.events.outbox import outbox_table

metadata = make_metadata()


class Model(SQLModel, registry=registry(metadata=metadata)):
    """Base of commons's models: its own metadata, never shared with another service."""


outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
dead_letters = dead_letter_table(metadata)
