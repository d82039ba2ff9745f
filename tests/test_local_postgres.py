"""Local PostgreSQL set up as root opens nobody's folders: a checkout in a home folder that others
cannot enter (like /root) gets a cluster that runs, keeps its data across a restart, and leaves
the mode of every folder that was there before as it was."""

import os
import shutil
import stat
import tempfile
from pathlib import Path

import psycopg
import pytest

from meent_shared.local.pg_home import RELOCATED_CLUSTERS
from meent_shared.local.ports import free_port
from meent_shared.local.postgres import LocalPostgres

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="set-up as root is what is tested")


def folder_modes(*paths: Path) -> dict[Path, int]:
    """The mode of every existing folder at and above each path, and of each one's contents."""
    folders = {folder for path in paths for folder in [path, *path.parents] if folder.exists()}
    for path in paths:
        if path.is_dir():
            folders |= {child for child in path.rglob("*") if child.is_dir()}
    return {folder: stat.S_IMODE(folder.stat().st_mode) for folder in folders}


@pytest.fixture
def home():
    """A home folder like /root's: 0700, with a checkout inside."""
    folder = Path(tempfile.mkdtemp(prefix="meent-home-"))
    (folder / "meent" / "var").mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_cluster_under_a_closed_home_changes_no_folder_mode(home):
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    requested = home / "meent" / "var" / "postgres"
    before = folder_modes(home, RELOCATED_CLUSTERS)
    server = LocalPostgres(requested, free_port(), fast_unsafe=True)
    try:
        server.start()
        server.execute("CREATE TABLE kept (note text)")
        server.execute("INSERT INTO kept VALUES ('still here')")
        server.stop()
        again = LocalPostgres(requested, server.port, fast_unsafe=True)
        again.start()
        assert again.base_dir == server.base_dir
        with psycopg.connect(again.url()) as conn:
            assert conn.execute("SELECT note FROM kept").fetchone() == ("still here",)
        after = folder_modes(home, RELOCATED_CLUSTERS)
        changed = {f: oct(m) for f, m in before.items() if after.get(f) != m}
        assert changed == {}
        assert not server.base_dir.is_relative_to(home)  # placed where postgres may go
        assert requested.resolve() == server.base_dir  # and var/postgres leads there
        assert (requested / "server.log").exists()
    finally:
        server.delete()
    assert not server.base_dir.exists() and not requested.exists()


def test_a_cluster_postgres_can_reach_stays_where_it_was_asked_for():
    checkout = Path(tempfile.mkdtemp(prefix="meent-open-"))
    checkout.chmod(0o755)  # like a checkout in /srv or /home/someone with 0755
    requested = checkout / "var" / "postgres"
    before = folder_modes(checkout)
    server = LocalPostgres(requested, free_port(), fast_unsafe=True)
    try:
        server.start()
        assert server.base_dir == requested and not requested.is_symlink()
        after = folder_modes(checkout)
        assert {f: m for f, m in before.items() if after.get(f) != m} == {}
    finally:
        server.delete()
        shutil.rmtree(checkout, ignore_errors=True)
