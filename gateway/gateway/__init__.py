"""meent gateway: the one public origin in front of the four services."""
