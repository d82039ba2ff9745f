"""Provisioning the streams, with the NATS administrator's credentials: one stream per publishing
service, created or brought in line with the configured limits (and stripped of any RePublish or
sources someone gave it). Services may not create or change streams themselves; each waits for
its own (and /readyz says so) until this has run.

    python -m meent_shared.events.provision        # MEENT_NATS_URL, MEENT_NATS_ADMIN_PASSWORD,
                                                   # MEENT_STREAM_MAX_AGE / _MAX_BYTES / _REPLICAS

The local launcher and the test plugin run it after NATS starts; compose runs it as the one-shot
`nats-provision` service, Kubernetes as the `nats-provision` Job. It is safe to run again: a
stream that is as configured is left alone, its messages always.
"""

import argparse
import asyncio
import json
import logging
import sys
import time
from typing import Self

import nats
from pydantic import model_validator

from meent_shared.events.streams import (
    PUBLISHING_SERVICES,
    StreamLimits,
    ensure_stream,
    stream_name,
)
from meent_shared.logging import configure_logging
from meent_shared.settings import (
    LOCAL_NATS_ADMIN,
    LOCAL_NATS_PORT,
    Mode,
    StreamSettings,
    local_nats_password,
    production_password_problems,
)

log = logging.getLogger("meent.events.provision")


class ProvisionSettings(StreamSettings):
    mode: Mode = Mode.production
    nats_url: str = f"nats://127.0.0.1:{LOCAL_NATS_PORT}"
    nats_admin_user: str = LOCAL_NATS_ADMIN
    # The administrator's password has a development default in local mode only.
    nats_admin_password: str = ""

    @property
    def admin_password(self) -> str:
        if self.nats_admin_password or self.mode is not Mode.local:
            return self.nats_admin_password
        return local_nats_password(self.nats_admin_user)

    @model_validator(mode="after")
    def refuse_placeholders_outside_local_mode(self) -> Self:
        if self.mode is Mode.local:
            return self
        problems = production_password_problems(
            "MEENT_NATS_ADMIN_PASSWORD", self.nats_admin_password
        )
        if problems:
            raise ValueError("refusing to provision outside local mode: " + "; ".join(problems))
        return self


async def provision(
    nats_url: str, *, user: str, password: str, limits: StreamLimits
) -> dict[str, str]:
    """Create or bring in line every publishing service's stream; {stream: what was done}."""
    client = await nats.connect(
        nats_url, user=user, password=password, allow_reconnect=False, connect_timeout=5
    )
    try:
        js = client.jetstream(timeout=10)
        return {
            stream_name(service): await ensure_stream(js, service, limits)
            for service in PUBLISHING_SERVICES
        }
    finally:
        await client.close()


async def provision_when_reachable(settings: ProvisionSettings, within: float) -> dict[str, str]:
    """`provision`, trying again while NATS cannot be reached (it may still be starting)."""
    deadline = time.monotonic() + within
    while True:
        try:
            return await provision(
                settings.nats_url,
                user=settings.nats_admin_user,
                password=settings.admin_password,
                limits=settings.stream_limits,
            )
        except (OSError, nats.errors.NoServersError, nats.errors.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("cannot reach NATS yet, retrying", extra={"error": repr(exc)})
            await asyncio.sleep(1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m meent_shared.events.provision",
        description="create or update meent's JetStream streams (as the NATS administrator)",
    )
    parser.add_argument(
        "--wait", type=float, default=60.0, help="seconds to keep trying while NATS is away"
    )
    args = parser.parse_args(argv)
    settings = ProvisionSettings()
    configure_logging("nats-provision", "INFO")
    try:
        done = asyncio.run(provision_when_reachable(settings, args.wait))
    except Exception as exc:  # one line an operator can act on, and a failed Job
        print(json.dumps({"provisioned": False, "error": f"{type(exc).__name__}: {exc}"}))
        return 1
    print(json.dumps({"provisioned": done}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
