import datetime as dt

from grants.applications.models import Application
from grants.calls.models import FundingCall
from grants.money import cents
from meent_shared.events.contracts.grants import (
    ApplicationAwarded,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)


def application_submitted(application: Application) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=application.id,
        call_id=application.call_id,
        project_id=application.project_id,
        title=application.title,
        version=application.version,
        requested_cents=cents(application.requested),
    )


def application_awarded(
    application: Application, call: FundingCall, awarded_on: dt.date
) -> ApplicationAwarded:
    assert application.awarded is not None
    return ApplicationAwarded(
        application_id=application.id,
        call_id=application.call_id,
        project_id=application.project_id,
        title=application.title,
        version=application.version,
        amount_cents=cents(application.awarded),
        currency=call.currency,
        call_title=call.title,
        awarded_on=awarded_on,
    )


def application_rejected(application: Application) -> ApplicationRejected:
    return ApplicationRejected(
        application_id=application.id,
        call_id=application.call_id,
        project_id=application.project_id,
        title=application.title,
        version=application.version,
    )


def application_withdrawn(application: Application) -> ApplicationWithdrawn:
    return ApplicationWithdrawn(
        application_id=application.id,
        call_id=application.call_id,
        project_id=application.project_id,
        title=application.title,
        version=application.version,
    )
