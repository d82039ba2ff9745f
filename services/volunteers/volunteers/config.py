from decimal import Decimal

from pydantic import Field

from meent_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "volunteers"

    # In-kind value of an approved volunteer hour (MEENT_HOURLY_RATE), a Decimal: money is never a
    # float. Figures are rounded half-even to the cent, each from its own minutes.
    hourly_rate: Decimal = Field(default=Decimal("15.00"), ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    # A paper sign-in sheet's CSV: at most this many bytes and data rows.
    csv_import_max_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    csv_import_max_rows: int = Field(default=20_000, gt=0)
    # The most entries one page of a listing returns.
    page_max: int = Field(default=100, gt=0, le=1000)
    # How often the workers delete Idempotency-Keys older than a day.
    idempotency_forget_seconds: float = Field(default=3600.0, gt=0)
