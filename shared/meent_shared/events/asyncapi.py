"""The AsyncAPI 3.0 document of every meent event, generated from the contracts.

`make asyncapi` writes it to shared/asyncapi.json; a test fails when the file drifts from the code.
"""

import json
from typing import Any

from pydantic import BaseModel

from meent_shared.events.contracts import Contract, all_contracts
from meent_shared.events.streams import stream_name


def _message_name(contract: Contract) -> str:
    return contract.model.__name__


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")


def _envelope(contract: Contract) -> dict[str, Any]:
    """The CloudEvents structured-mode envelope with this contract's `data`."""
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "subject", "time", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid", "description": "also the Nats-Msg-Id"},
            "source": {"const": f"/meent/{contract.service}"},
            "type": {"const": contract.event_type},
            "subject": {"type": "string", "description": f"the `{contract.key}` of the entity"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "data": {"$ref": f"#/components/schemas/{_message_name(contract)}"},
        },
    }


def build_document(version: str = "1.0.0") -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for contract in all_contracts():
        name = _message_name(contract)
        schema = _schema(contract.model)
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
        messages[name] = {
            "name": contract.event_type,
            "title": name,
            "summary": (contract.model.__doc__ or name).strip().splitlines()[0],
            "contentType": "application/cloudevents+json",
            "headers": {
                "type": "object",
                "properties": {
                    "Nats-Msg-Id": {"type": "string", "description": "= CloudEvent id; dedup"},
                    "traceparent": {"type": "string", "description": "W3C trace context"},
                },
            },
            "payload": _envelope(contract),
        }
        channel_id = contract.subject.replace(".", "_")
        channels[channel_id] = {
            "address": contract.subject,
            "description": f"JetStream stream {stream_name(contract.service)}",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        }
        operations[f"publish{name}"] = {
            "action": "send",
            "summary": f"{contract.service} publishes {contract.entity}.{contract.verb}",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "meent events",
            "version": version,
            "description": (
                "Events between meent's services: CloudEvents 1.0 (JSON, structured mode) on NATS "
                "JetStream, one stream per publishing service, published through a transactional "
                "outbox. Every payload carries its entity's `version`; consumers apply only newer."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    return json.dumps(build_document(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
