"""Deciding a call: ranking applications from panel reviews and votes, and citizens' ballots.

Pure logic without I/O, so the rules can be read, tested and published as they are applied.
"""
