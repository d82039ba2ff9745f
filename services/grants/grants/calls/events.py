from grants.calls.models import FundingCall
from grants.money import cents
from meent_shared.events.contracts.grants import CallClosed, CallPublished


def call_published(call: FundingCall) -> CallPublished:
    return CallPublished(
        call_id=call.id,
        version=call.version,
        title=call.title,
        budget_cents=cents(call.budget),
        currency=call.currency,
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        seed_commitment=call.seed_commitment,
        pool_commitment=call.pool_commitment,
        pool_size=call.pool_size,
    )


def call_closed(call: FundingCall) -> CallClosed:
    assert call.closed_at is not None
    return CallClosed(
        call_id=call.id, version=call.version, title=call.title, closed_at=call.closed_at
    )
