from pydantic import Field

from meent_shared.settings import ServiceSettings

DOCUMENT_BODY_MAX_BYTES = 1_048_576


class Settings(ServiceSettings):
    service_name: str = "spaces"
    # A revision's Markdown body, in UTF-8 bytes (also bounds rendering, diffs and search).
    document_body_max_bytes: int = Field(default=DOCUMENT_BODY_MAX_BYTES, ge=1_000, le=16_777_216)
    # A request carries one body, JSON-escaped (a control character takes six bytes as \uXXXX).
    max_body_bytes: int = 4 * DOCUMENT_BODY_MAX_BYTES
