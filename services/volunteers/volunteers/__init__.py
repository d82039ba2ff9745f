"""meent volunteers: volunteer hours, their approval, and rollups."""
