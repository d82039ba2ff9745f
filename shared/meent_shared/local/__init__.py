"""Local mode: the private PostgreSQL cluster and NATS server under `var/`, and the launcher."""
