from pydantic import Field

from meent_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "grants"
    # A call's applications (but withdrawn ones): what its ranking and page answer with, at
    # most. Far above a microgrant call's hundreds; MEENT_MAX_APPLICATIONS_PER_CALL.
    max_applications_per_call: int = Field(default=1000, ge=1, le=100_000)
    # The most seats a panel may reach by an officer's hand (drawn seats count; the draw itself
    # adds at most the call's panel size, ≤ 50): a panel is a few people, answered whole.
    # MEENT_MAX_PANEL_SEATS.
    max_panel_seats: int = Field(default=100, ge=1, le=1000)
    # The most people standing in the reviewer pool: a call's frozen pool, and the draw it
    # publishes whole, is at most this long. MEENT_MAX_REVIEWER_POOL.
    max_reviewer_pool: int = Field(default=10_000, ge=1, le=1_000_000)
