"""The exported SDL is the contract third-party apps code against: it must match the code."""

from pathlib import Path

from gateway.graphql.schema import export_sdl

SDL = Path(__file__).parents[2] / "gateway" / "schema.graphql"


def test_the_committed_sdl_matches_the_code():
    assert SDL.read_text() == export_sdl(), "run `make schema` and commit gateway/schema.graphql"


def test_the_sdl_names_the_root_fields_the_issues_promise():
    sdl = SDL.read_text()
    for field in ("system: System!", "me: Viewer", "createProject(", "logHours(", "createSite("):
        assert field in sdl
