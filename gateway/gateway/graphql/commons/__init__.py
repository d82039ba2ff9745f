"""commons in GraphQL: sites, their use schedules, stewards and maintenance."""
