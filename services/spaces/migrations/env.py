from meent_shared.migrations import run_migrations
from spaces.main import metadata

run_migrations(metadata, service_name="spaces")
