"""Services stay apart: no service (nor the gateway) imports another's code; the shared library
imports none of them. They meet only through `meent_shared`, events and HTTP."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = {
    "commons": ROOT / "services/commons/commons",
    "volunteers": ROOT / "services/volunteers/volunteers",
    "spaces": ROOT / "services/spaces/spaces",
    "grants": ROOT / "services/grants/grants",
    "gateway": ROOT / "gateway/gateway",
    "meent_shared": ROOT / "shared/meent_shared",
}


def imported_packages(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_a_package_imports_no_other_service(name):
    others = set(PACKAGES) - {name, "meent_shared"}
    assert imported_packages(PACKAGES[name]) & others == set()


def test_each_service_migrates_only_its_own_tables():
    for name in ("commons", "volunteers", "spaces", "grants"):
        env = (ROOT / "services" / name / "migrations" / "env.py").read_text()
        assert f"from {name}.main import metadata" in env
        assert f'service_name="{name}"' in env
