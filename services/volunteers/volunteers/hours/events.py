"""The events an hour entry's life publishes."""

from meent_shared.events.contracts.volunteers import HoursApproved, HoursRejected, HoursSubmitted
from volunteers.hours.models import HourEntry, HourEntryPublic, HourStatus

# An entry as stored, or as the submit path made it (it never loads the ORM object).
Entry = HourEntry | HourEntryPublic


def _common(entry: Entry) -> dict:
    return {
        "entry_id": entry.id,
        "version": entry.version,
        "person_id": entry.person_id,
        "project_id": entry.project_id,
        "site_id": entry.site_id,
        "activity": entry.activity,
        "worked_on": entry.worked_on,
        "minutes": entry.minutes,
        "corrects_entry_id": entry.corrects_entry_id,
    }


def hours_submitted(entry: Entry) -> HoursSubmitted:
    return HoursSubmitted(**_common(entry))


def hours_approved(entry: HourEntry) -> HoursApproved:
    return HoursApproved(**_common(entry), approved_by=entry.decided_by or "")


def hours_rejected(entry: HourEntry) -> HoursRejected:
    return HoursRejected(**_common(entry), rejected_by=entry.decided_by or "", reason=entry.reason)


def current_state(entry: HourEntry) -> HoursSubmitted | HoursApproved | HoursRejected:
    """The event a republish sends: what the entry's last change announced. A withdrawn entry
    announced nothing (no event contract says "withdrawn"): there is none to send."""
    if entry.status is HourStatus.approved:
        return hours_approved(entry)
    if entry.status is HourStatus.rejected:
        return hours_rejected(entry)
    if entry.status is HourStatus.submitted:
        return hours_submitted(entry)
    raise ValueError(f"a {entry.status.value} entry has no state to announce")
