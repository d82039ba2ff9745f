"""The CloudEvents 1.0 envelope (JSON structured mode) every meent event travels in."""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from meent_shared.events.contracts.base import EventPayload, contract_for_type


class CloudEvent(BaseModel):
    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source: str
    type: str
    subject: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]

    @classmethod
    def wrap(cls, payload: EventPayload) -> "CloudEvent":
        contract = payload.contract
        return cls(
            source=f"/meent/{contract.service}",
            type=contract.event_type,
            subject=payload.entity_id,
            data=payload.model_dump(mode="json"),
        )

    def payload(self) -> EventPayload:
        """The typed payload, validated against the contract its `type` names."""
        return contract_for_type(self.type).model.model_validate(self.data)
