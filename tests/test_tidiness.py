"""The tree stays tidy: the formatter owns the layout, nothing binary is committed by accident, and
CI runs the linters as well as the tests."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def tracked_files(*patterns: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_no_wheels_or_archives_are_committed():
    assert tracked_files("*.whl", "*.tar.gz", "*.zip") == []


def test_the_formatter_is_never_told_to_skip_code():
    markers = ("fmt: skip", "fmt: off")
    skipped = [
        f"{path}:{number}"
        for path in tracked_files("*.py")
        for number, line in enumerate((ROOT / path).read_text().splitlines(), 1)
        if any(marker in line for marker in markers) and path != "tests/test_tidiness.py"
    ]
    assert skipped == []


def test_make_format_leaves_the_tree_as_it_is():
    ruff = Path(sys.executable).parent / "ruff"
    checked = subprocess.run(
        [str(ruff), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_ci_runs_the_linters_before_the_tests():
    steps = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert steps.index("make lint") < steps.index("exec make test")
