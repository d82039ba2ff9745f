"""What a republish announces for an entry: its last change's event, and nothing for a
withdrawn entry (which no event contract names)."""

import datetime as dt
import uuid

import pytest

from meent_shared.events.contracts.volunteers import HoursApproved, HoursRejected, HoursSubmitted
from volunteers.hours import events
from volunteers.hours.models import HourActivity, HourEntry, HourSource, HourStatus


def _entry(status: HourStatus) -> HourEntry:
    return HourEntry(
        id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        person_id="vera",
        logged_by="vera",
        activity=HourActivity.gardening,
        worked_on=dt.date(2026, 5, 1),
        minutes=90,
        status=status,
        source=HourSource.web,
        version=2,
    )


@pytest.mark.parametrize(
    ("status", "event_type"),
    [
        (HourStatus.submitted, HoursSubmitted),
        (HourStatus.approved, HoursApproved),
        (HourStatus.rejected, HoursRejected),
    ],
)
def test_an_entry_announces_its_last_change(status, event_type):
    announced = events.current_state(_entry(status))
    assert isinstance(announced, event_type) and announced.version == 2


def test_a_withdrawn_entry_announces_nothing():
    with pytest.raises(ValueError, match="withdrawn"):
        events.current_state(_entry(HourStatus.withdrawn))
