"""pygeoapi serving the commons `site` table, the baseline of `ogc_items_vs_pygeoapi`.

pygeoapi is not a dependency of the project: it lives in a virtualenv of its own under
`tests/bench/.cache/` (made on first use, from `pygeoapi-requirements.txt`, every package pinned
with `==`; remade when that file changes). Each run writes a configuration for its PostgreSQL
provider — the suite's commons database, table `site`, id `id`, geometry `geom`, the properties
commons' OGC features carry — generates the OpenAPI document pygeoapi needs, and runs its
Starlette app under uvicorn, one process (like each suite service), on a free port.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from meent_shared.local.ports import free_port
from meent_shared.local.suite import Suite
from tests.bench.commons_data import CommonsData
from tests.bench.scenarios import Loaded, bbox_param

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "pygeoapi-requirements.txt"
CACHE = HERE / ".cache"
VENV = CACHE / f"pygeoapi-py{sys.version_info.major}{sys.version_info.minor}"
MARKER = ".installed"  # holds the hash of the requirements the venv was made from
# The properties commons' OGC features carry (commons.ogc.queries.as_feature): same content.
PROPERTIES = ["name", "kind", "description", "timezone", "area_m2", "external_id", "version"]
READY_TIMEOUT = 60.0
SANITY_LIMIT = 100


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_venv() -> Path:
    """The venv's python, after making the venv unless it was made from these requirements."""
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")  # never committed, whatever the project's ignores
    python = VENV / "bin" / "python"
    wanted = _requirements_hash()
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once make it once
        marker = VENV / MARKER
        if marker.exists() and marker.read_text().strip() == wanted and python.exists():
            return python
        log(f"making pygeoapi's own venv in {VENV.relative_to(HERE.parents[1])}")
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
                "-r",
                str(REQUIREMENTS),
            ],
            capture_output=True,
            text=True,
        )
        if pip.returncode != 0:
            raise RuntimeError(f"pip could not install pygeoapi:\n{pip.stderr[-3000:]}")
        marker.write_text(wanted + "\n")
    return python


def installed_version(python: Path) -> str:
    result = subprocess.run(
        [str(python), "-c", "import pygeoapi; print(pygeoapi.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def config(suite: Suite, port: int) -> dict[str, object]:
    """pygeoapi's configuration (JSON is YAML): one collection, `sites`, on the `site` table."""
    database = urlsplit(suite.database_url("commons"))
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "gzip": False,
            "pretty_print": False,
            "admin": False,
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "meent bench baseline",
                "description": "pygeoapi on the commons site table",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "meent bench"},
            "contact": {"name": "meent bench"},
        },
        "resources": {
            "sites": {
                "type": "collection",
                "title": "Sites",
                "description": "commons sites",
                "keywords": ["sites"],
                "extents": {
                    "spatial": {
                        "bbox": [-180, -90, 180, 90],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": {
                            "host": database.hostname,
                            "port": database.port,
                            "dbname": database.path.lstrip("/"),
                            "user": database.username,
                            "password": database.password or "",
                            "search_path": ["public"],
                        },
                        "id_field": "id",
                        "table": "site",
                        "geom_field": "geom",
                        "properties": PROPERTIES,
                    }
                ],
            }
        },
    }


class PygeoapiServer:
    def __init__(self, suite: Suite):
        self.suite = suite
        self.folder = suite.var_dir.parent / "pygeoapi"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        python = ensure_venv()
        self.version = installed_version(python)
        self.folder.mkdir(parents=True, exist_ok=True)
        config_file, openapi_file = self.folder / "config.yml", self.folder / "openapi.yml"
        config_file.write_text(json.dumps(config(self.suite, self.port), indent=1))
        env = {
            **os.environ,
            "PYGEOAPI_CONFIG": str(config_file),
            "PYGEOAPI_OPENAPI": str(openapi_file),
        }
        pygeoapi = VENV / "bin" / "pygeoapi"
        generated = subprocess.run(
            [
                str(pygeoapi),
                "openapi",
                "generate",
                str(config_file),
                "--output-file",
                str(openapi_file),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=self.folder,
        )
        if generated.returncode != 0:
            raise RuntimeError(f"pygeoapi openapi generate failed:\n{generated.stderr[-3000:]}")
        with open(self.folder / "server.log", "ab") as server_log:
            self.process = subprocess.Popen(
                [
                    str(python),
                    "-m",
                    "uvicorn",
                    "pygeoapi.starlette_app:APP",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"pygeoapi exited with {self.process.returncode}; see "
                    f"{self.folder / 'server.log'}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/collections/sites?f=json", timeout=5).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"pygeoapi not ready after {READY_TIMEOUT:.0f} s")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def features_in(url: str) -> int | str:
    """How many features one items request returns (or why it returned none)."""
    try:
        response = httpx.get(url, timeout=30, headers={"Accept": "application/geo+json"})
    except httpx.HTTPError as exc:
        return f"no answer ({type(exc).__name__})"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    try:
        return len(response.json()["features"])
    except (ValueError, KeyError, TypeError):
        return "not a FeatureCollection"


def sanity(suite: Suite, server: PygeoapiServer, data: CommonsData) -> dict[str, object]:
    """Both servers answer the first few bounding boxes with `SANITY_LIMIT` features."""
    found: dict[str, list[int | str]] = {"commons": [], "pygeoapi": []}
    for box in data.bboxes[:5]:
        query = f"bbox={bbox_param(box)}&limit={SANITY_LIMIT}"
        ogc = f"{suite.url('commons')}/ogc/collections/sites/items?{query}"
        found["commons"].append(features_in(ogc))
        found["pygeoapi"].append(
            features_in(f"{server.url}/collections/sites/items?{query}&f=json")
        )
    good = all(count == SANITY_LIMIT for counts in found.values() for count in counts)
    if not good:
        log(f"sanity check: features per response differ from {SANITY_LIMIT}: {found}")
    return {"features_per_response_first_5_bboxes": found, "all_100": good}


def start_pygeoapi(suite: Suite, data: CommonsData) -> Loaded:
    server = PygeoapiServer(suite)
    started = time.monotonic()
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    assert server.process is not None
    facts: dict[str, object] = {
        "version": server.version,
        "venv": str(VENV.relative_to(HERE.parents[1])),
        "server": "Starlette app on uvicorn, one process; provider PostgreSQL (psycopg2, "
        "SQLAlchemy), table site, id_field id, geom_field geom",
        "properties": ", ".join(PROPERTIES),
        "start_s": round(time.monotonic() - started, 1),
    }
    facts["sanity"] = sanity(suite, server, data)
    return Loaded(
        data=data,
        facts={"pygeoapi baseline": facts},
        base_url=server.url,
        processes={"pygeoapi": server.process.pid},
        close=server.stop,
    )
