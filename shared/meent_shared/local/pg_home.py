"""Where a local PostgreSQL cluster lives when set up as root, without opening anyone's folders.

As root the server runs as the `postgres` user, which must be able to walk down to its folder. A
checkout in /root (mode 0700) is out of its reach, and opening /root to everyone (chmod o+x) is not
set-up's business. So: when `postgres` can reach the folder asked for, the cluster lives there;
otherwise it lives in RELOCATED_CLUSTERS, in a folder named after the one asked for, and that one
becomes a symbolic link to it (`var/postgres -> /var/lib/meent/…`), so a second run, the logs and
`make clean` find it. No existing folder's mode changes either way: only the cluster's own folder is
given to `postgres`.
"""

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

RELOCATED_CLUSTERS = Path("/var/lib/meent")


def running_as_root() -> bool:
    return os.geteuid() == 0


def cluster_home(requested: Path) -> Path:
    """The folder the cluster asked for at `requested` lives in."""
    requested = requested.absolute()
    if requested.is_symlink():  # placed elsewhere by an earlier run
        return requested.resolve()
    requested = requested.resolve()
    if not running_as_root() or (requested / "data" / "PG_VERSION").exists():
        return requested
    if postgres_can_reach(nearest_existing(requested.parent)):
        return requested
    return relocated(requested)


def prepare_home(requested: Path, home: Path) -> None:
    """Create the cluster's folder (and the link to it), and give it to `postgres` when root."""
    if home != requested.absolute().resolve() and not requested.absolute().is_symlink():
        if not RELOCATED_CLUSTERS.exists():
            RELOCATED_CLUSTERS.mkdir(parents=True)
            RELOCATED_CLUSTERS.chmod(0o755)  # ours, new: `postgres` walks through it
        requested.parent.mkdir(parents=True, exist_ok=True)
        requested.symlink_to(home, target_is_directory=True)
    home.mkdir(parents=True, exist_ok=True)
    if running_as_root():
        shutil.chown(home, "postgres", "postgres")


def delete_home(requested: Path, home: Path) -> None:
    """Remove the cluster's folder, wherever it lives, and the link to it."""
    shutil.rmtree(home, ignore_errors=True)
    if requested.absolute().is_symlink():
        requested.absolute().unlink()
        with contextlib.suppress(OSError):  # it holds another cluster
            RELOCATED_CLUSTERS.rmdir()


def nearest_existing(path: Path) -> Path:
    return next(folder for folder in [path, *path.parents] if folder.exists())


def postgres_can_reach(folder: Path) -> bool:
    """Whether the `postgres` user can walk into `folder` (every folder above it included)."""
    walk = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(folder)])
    return walk.returncode == 0


def relocated(requested: Path) -> Path:
    """A folder of its own for the cluster asked for at `requested`, named after it."""
    readable = re.sub(r"[^A-Za-z0-9]+", "-", str(requested)).strip("-")[-60:]
    digest = hashlib.sha256(str(requested).encode()).hexdigest()[:12]
    return RELOCATED_CLUSTERS / f"{readable}-{digest}"
