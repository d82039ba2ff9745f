"""The gateway's own small database: API keys now, persisted queries later."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from meent_shared.db import make_metadata

metadata = make_metadata()


class Model(SQLModel, registry=registry(metadata=metadata)):
    """Base of the gateway's models."""
