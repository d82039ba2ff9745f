"""The event a membership's changes publish: the stint as it is now."""

from meent_shared.events.contracts.spaces import MembershipChanged
from spaces.memberships.models import Membership


def membership_changed(membership: Membership) -> MembershipChanged:
    """A closed stint travels with `role` None (the row keeps its last role for history)."""
    return MembershipChanged(
        membership_id=membership.id,
        version=membership.version,
        project_id=membership.project_id,
        person_id=membership.person_id,
        role=None if membership.left_on is not None else membership.role.value,
        joined_on=membership.joined_on,
        left_on=membership.left_on,
    )
