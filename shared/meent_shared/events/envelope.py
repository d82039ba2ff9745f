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

    def mismatch(self, nats_subject: str, stream_service: str) -> str | None:
        """Why this event cannot be what it says, given where it arrived; None when its `type`
        and `source`, the NATS subject and the producing stream all agree with the contract."""
        contract = contract_for_type(self.type)
        if contract.service != stream_service:
            return f"{self.type} is not an event of {stream_service}, whose stream it came on"
        if contract.subject != nats_subject:
            return f"{self.type} travels on {contract.subject}, not on {nats_subject}"
        if self.source != f"/meent/{contract.service}":
            return f"{self.type} comes from /meent/{contract.service}, not from {self.source}"
        return None

    def subject_mismatch(self, payload: EventPayload) -> str | None:
        """Why the CloudEvent `subject` is not the entity the payload describes, if it is not."""
        if self.subject == payload.entity_id:
            return None
        return f"subject {self.subject!r} is not the {payload.contract.key} of the payload"
