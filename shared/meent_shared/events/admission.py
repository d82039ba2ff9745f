"""What a consumer lets through to a handler: a message that is a well-formed CloudEvent of a type
it knows, whose `type`, `source` and `subject`, NATS subject and producing stream agree with the
contract, and that its producer's relay published (not one JetStream copied in from elsewhere).

Anything else is a `Rejection`: parked as a dead letter with its reason (`malformed`,
`unknown_type`, `forged`) and the message as it came, so that it can be looked at and, once the
consumer understands it, replayed — never applied as it is.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from meent_shared.events.contracts import UnknownEventType
from meent_shared.events.envelope import CloudEvent

MALFORMED, UNKNOWN_TYPE, FORGED = "malformed", "unknown_type", "forged"
REJECTION_REASONS = (MALFORMED, UNKNOWN_TYPE, FORGED)

# Headers JetStream puts on a message it copies from another stream: a RePublish rule's copy
# (Nats-Stream, Nats-Subject, Nats-Sequence, Nats-Last-Sequence) and a sourced or mirrored one
# (Nats-Stream-Source). A relay sets none of them, so a message carrying one was not published by
# the stream's producer, whatever subject it sits on.
COPIED_HEADERS = (
    "Nats-Stream",
    "Nats-Subject",
    "Nats-Sequence",
    "Nats-Last-Sequence",
    "Nats-Stream-Source",
)


@dataclass(frozen=True)
class Rejection:
    reason: str  # one of REJECTION_REASONS
    error: str
    event: CloudEvent | None = None  # the envelope, when it could be read


def copied_from(headers: Mapping[str, str] | None) -> str | None:
    """Why the headers show JetStream copied the message in, if they do."""
    found = [name for name in COPIED_HEADERS if name in (headers or {})]
    if not found:
        return None
    origin = (headers or {}).get("Nats-Stream") or (headers or {}).get("Nats-Stream-Source")
    return f"copied in by JetStream from {origin!r} ({', '.join(found)}), not published here"


def admit(
    subject: str, data: bytes, headers: Mapping[str, str] | None, producer: str
) -> CloudEvent | Rejection:
    """The message's event if a handler may see it, or why not."""
    try:
        event = CloudEvent.model_validate_json(data)
    except ValidationError as exc:
        return Rejection(MALFORMED, f"not a CloudEvent: {exc}")
    if problem := copied_from(headers):
        return Rejection(FORGED, problem, event)
    try:
        problem = event.mismatch(subject, producer)
    except UnknownEventType as exc:
        return Rejection(UNKNOWN_TYPE, f"unknown event type: {exc}", event)
    if problem:
        return Rejection(FORGED, problem, event)
    try:
        payload = event.payload()
    except ValueError as exc:  # pydantic's ValidationError among them
        return Rejection(MALFORMED, f"the payload does not fit {event.type}: {exc}", event)
    if problem := event.subject_mismatch(payload):
        return Rejection(FORGED, problem, event)
    return event
