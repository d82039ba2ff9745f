"""`make bench`: load scenarios against the whole suite, run as real processes, and a report.

Not tests: pytest never collects this folder. See `python -m tests.bench --help`.
"""
