from pydantic import Field

from meent_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "grants"
    # A call's applications (but withdrawn ones): what its ranking and page answer with, at
    # most. Far above a microgrant call's hundreds; MEENT_MAX_APPLICATIONS_PER_CALL.
    max_applications_per_call: int = Field(default=1000, ge=1, le=100_000)
