"""meent grants: microgrant calls, applications, reviews, ballots and the public ledger."""
