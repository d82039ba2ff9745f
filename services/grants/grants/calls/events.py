from grants.calls.models import FundingCall
from meent_shared.events.contracts.grants import CallPublished


def call_published(call: FundingCall) -> CallPublished:
    return CallPublished(
        call_id=call.id,
        version=call.version,
        title=call.title,
        budget_cents=call.budget_cents,
        currency=call.currency,
        opens_on=call.opens_on,
        closes_on=call.closes_on,
    )
