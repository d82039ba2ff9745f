import datetime as dt
import uuid

from sqlalchemy import ARRAY, Column, DateTime, String, func
from sqlmodel import Field

from gateway.db import Model


class ApiKey(Model, table=True):
    """A third-party app's key. Only a hash of its secret is kept; the secret is shown once."""

    __tablename__ = "api_key"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    secret_hash: str = Field(max_length=64)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String), nullable=False))
    created_by: str
    created_at: dt.datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    revoked_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
