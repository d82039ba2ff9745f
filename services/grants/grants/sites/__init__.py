"""commons' sites and stewardships as grants knows them from events (district eligibility)."""
