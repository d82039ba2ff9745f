from pydantic import Field

from meent_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "commons"
    # Bulk imports of real GeoJSON files run to megabytes; single sites stay small anyway.
    max_body_bytes: int = 16 * 1024 * 1024
    # An import's positions in all (each area holds at most 100,000): its work is bounded by them.
    max_import_vertices: int = 500_000
    # A page of `GET /sites` (and the OGC items) stops early once it holds this many vertices.
    max_answer_vertices: int = 200_000
    # How often the scheduler looks for use flips and due tasks (events carry the exact instant).
    scheduler_seconds: float = 15.0
    # Active periods a site may have (and, apart, proposals waiting): every answer about a site's
    # use reads all of its periods. Coal Square has two; a busy market square a dozen.
    max_periods_per_site: int = Field(default=50, ge=1, le=500)
