"""Lock files record versions, never addresses: the registry is the machine's business."""

from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_web_client_lock_file_records_no_urls():
    lock = (ROOT / "gateway/web/package-lock.json").read_text()
    assert "http://" not in lock and "https://" not in lock, (
        "strip `resolved` and `funding` addresses (see gateway/web/README.md)"
    )


def test_python_requirements_are_pinned_without_addresses():
    for name in ("runtime.txt", "dev.txt", "node.txt"):
        for line in (ROOT / "requirements" / name).read_text().splitlines():
            if line and not line.startswith(("#", "-r")):
                assert "==" in line and "://" not in line, line
