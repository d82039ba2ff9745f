"""What every event contract shares: its subject, its CloudEvents type, the entity `version`."""

from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


@dataclass(frozen=True)
class Contract:
    service: str
    entity: str
    verb: str
    key: str  # the payload field holding the entity id (the CloudEvent `subject`)
    model: type["EventPayload"]

    @property
    def subject(self) -> str:
        return f"meent.{self.service}.{self.entity}.{self.verb}"

    @property
    def event_type(self) -> str:
        return f"org.meent.{self.service}.{self.entity}.{self.verb}.v1"


_BY_TYPE: dict[str, Contract] = {}


class EventPayload(BaseModel):
    """The `data` of an event. Subclasses declare `service`, `entity`, `verb` and `key`.

    Consumers ignore fields they do not know, so a producer may add fields without a new version.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    service: ClassVar[str]
    entity: ClassVar[str]
    verb: ClassVar[str]
    key: ClassVar[str]
    contract: ClassVar[Contract]

    version: int = Field(ge=1, description="The entity's version after this change; newer wins.")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "verb" not in cls.__dict__:
            return  # an intermediate base class, not a contract
        cls.contract = Contract(cls.service, cls.entity, cls.verb, cls.key, cls)
        if cls.contract.event_type in _BY_TYPE:
            raise TypeError(f"two contracts for {cls.contract.event_type}")
        _BY_TYPE[cls.contract.event_type] = cls.contract

    @property
    def entity_id(self) -> str:
        return str(getattr(self, self.key))


class UnknownEventType(LookupError):
    pass


def contract_for_type(event_type: str) -> Contract:
    try:
        return _BY_TYPE[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


def all_contracts() -> list[Contract]:
    return sorted(_BY_TYPE.values(), key=lambda c: c.subject)
