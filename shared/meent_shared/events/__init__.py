"""The event path: CloudEvents envelope, contracts, streams, transactional outbox, inbox consumer."""
