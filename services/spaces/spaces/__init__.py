"""meent spaces: people, projects, memberships, public documents and their revisions."""
