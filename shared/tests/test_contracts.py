"""Every event ARCHITECTURE.md names has a typed contract, and the AsyncAPI file matches them."""

import uuid
from pathlib import Path

import pytest
from pydantic import ValidationError

from meent_shared.events.asyncapi import render
from meent_shared.events.contracts import all_contracts, contract_for_type
from meent_shared.events.contracts.spaces import ProjectUpdated
from meent_shared.events.envelope import CloudEvent

# The subjects of ARCHITECTURE.md's ownership table, written out by hand on purpose.
ARCHITECTURE_SUBJECTS = {
    "meent.commons.site.created",
    "meent.commons.site.updated",
    "meent.commons.stewardship.changed",
    "meent.commons.schedule.changed",
    "meent.commons.site.use_changed",
    "meent.commons.maintenance.task_due",
    "meent.commons.maintenance.task_completed",
    "meent.volunteers.hours.submitted",
    "meent.volunteers.hours.approved",
    "meent.volunteers.hours.rejected",
    "meent.spaces.person.updated",
    "meent.spaces.person.erased",
    "meent.spaces.project.created",
    "meent.spaces.project.updated",
    "meent.spaces.membership.changed",
    "meent.spaces.document.revised",
    "meent.spaces.document.published",
    "meent.grants.call.published",
    "meent.grants.call.closed",
    "meent.grants.application.submitted",
    "meent.grants.application.awarded",
    "meent.grants.application.rejected",
    # Beyond ARCHITECTURE.md's list (issue 10's cold review): without it, a withdrawn
    # application stays "submitted" for every consumer that heard of its submission.
    "meent.grants.application.withdrawn",
    "meent.grants.ledger.entry_added",
}


def test_every_architecture_event_has_a_contract():
    assert {c.subject for c in all_contracts()} == ARCHITECTURE_SUBJECTS


def test_every_contract_carries_the_entity_version():
    for contract in all_contracts():
        assert "version" in contract.model.model_fields, contract.subject
        assert contract.key in contract.model.model_fields, contract.subject


def test_event_types_follow_the_cloudevents_naming():
    contract = contract_for_type("org.meent.spaces.project.updated.v1")
    assert contract.model is ProjectUpdated
    assert contract.subject == "meent.spaces.project.updated"


def test_envelope_round_trip_gives_back_the_typed_payload():
    payload = ProjectUpdated(project_id=uuid.uuid4(), version=3, name="Elisabeth", slug="elisabeth")
    event = CloudEvent.wrap(payload)
    assert event.source == "/meent/spaces"
    assert event.subject == str(payload.project_id)
    again = CloudEvent.model_validate_json(event.model_dump_json())
    assert again.payload() == payload


def test_a_payload_without_version_is_refused():
    with pytest.raises(ValidationError):
        ProjectUpdated(project_id=uuid.uuid4(), name="x", slug="x")  # type: ignore[call-arg]


def test_asyncapi_document_matches_the_contracts():
    committed = Path(__file__).parents[1] / "asyncapi.json"
    assert committed.read_text() == render(), "run `make asyncapi` and commit shared/asyncapi.json"
