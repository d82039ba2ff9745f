"""Typed payload contracts for every meent event, one module per publishing service.

Importing this package registers them all, so any service can consume an event before its
producer is written.
"""

from meent_shared.events.contracts import commons, grants, spaces, volunteers
from meent_shared.events.contracts.base import (
    Contract,
    EventPayload,
    UnknownEventType,
    all_contracts,
    contract_for_type,
)

__all__ = [
    "Contract",
    "EventPayload",
    "UnknownEventType",
    "all_contracts",
    "commons",
    "contract_for_type",
    "grants",
    "spaces",
    "volunteers",
]
