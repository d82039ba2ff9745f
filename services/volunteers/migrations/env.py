from meent_shared.migrations import run_migrations
from volunteers.main import metadata

run_migrations(metadata, service_name="volunteers")
