"""Who is asking: bearer tokens (verified like every service does), API keys, the dev issuer."""
