from gateway.main import metadata
from meent_shared.migrations import run_migrations

run_migrations(metadata, service_name="gateway")
