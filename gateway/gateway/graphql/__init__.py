"""The public GraphQL API: one module per area, merged into one schema."""
