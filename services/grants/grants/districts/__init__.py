"""Districts: areas of the city a funding call may be limited to (geographic eligibility)."""
