"""Review panels for grant calls: reviewers drawn by lot from a pool of citizens."""
