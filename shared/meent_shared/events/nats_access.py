"""Who may do what on NATS: one user per service, allowed to publish only on its own subjects and
to use only the JetStream API its durable consumers need (no stream may be created or changed
but by the administrator); a read-only user for the gateway; an administrator for operators, the
stream provisioning and the tests.

The same permissions go into every NATS the suite runs on: the config file the local launcher and
the test servers generate (`server_config`), compose's `infra/compose/nats.conf` (`make
nats-config`, passwords from the environment) and the Helm values in `deploy/nats/values.yaml`.
"""

import json
from typing import Any

from meent_shared.events.streams import PUBLISHING_SERVICES, stream_name
from meent_shared.settings import LOCAL_NATS_ADMIN, local_nats_password

GATEWAY = "gateway"
SERVICE_USERS = (*PUBLISHING_SERVICES, GATEWAY)


def inbox_prefix(user: str) -> str:
    """Each user's replies arrive under its own prefix, so no one can read another's."""
    return f"_INBOX.{user}"


def service_permissions(service: str) -> dict[str, Any]:
    """Publish its own events, read stream information, and consume other services' streams only
    through durable consumers named after itself (so it can neither steal another's messages nor
    forge events).

    It may not create, change, purge or delete a stream: a RePublish rule, sources or wider
    subjects on a stream would let the server itself put messages into another service's stream,
    where no publish permission applies. Operators provision the streams (see `provision`). Nor
    may it consume its own stream: a pull request's reply subject, or a push consumer's deliver
    subject, would make the server deliver what it published to wherever it chose.
    """
    api = "$JS.API"
    own = stream_name(service)
    return {
        "publish": {
            "allow": [
                f"meent.{service}.>",
                f"{api}.INFO",
                f"{api}.STREAM.INFO.*",
                f"{api}.CONSUMER.DURABLE.CREATE.*.{service}",
                f"{api}.CONSUMER.CREATE.*.{service}",
                f"{api}.CONSUMER.CREATE.*.{service}.>",
                f"{api}.CONSUMER.INFO.*.{service}",
                f"{api}.CONSUMER.MSG.NEXT.*.{service}",
                f"$JS.ACK.*.{service}.>",
                # To park a message its consumer died on (see given_up).
                f"{api}.STREAM.MSG.GET.*",
            ],
            "deny": [
                f"{api}.STREAM.CREATE.>",
                f"{api}.STREAM.UPDATE.>",
                f"{api}.STREAM.DELETE.>",
                f"{api}.STREAM.PURGE.>",
                f"{api}.CONSUMER.*.{own}.>",
                f"{api}.CONSUMER.*.*.{own}.>",
                f"$JS.ACK.{own}.>",
            ],
        },
        "subscribe": {
            "allow": [
                f"{inbox_prefix(service)}.>",
                f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.*.{service}",
            ]
        },
    }


def gateway_permissions() -> dict[str, Any]:
    """Read-only: stream information and ephemeral (ordered) consumers for subscriptions; it can
    publish no event, change no stream and pull from no service's durable consumer."""
    api = "$JS.API"
    return {
        "publish": {
            "allow": [
                f"{api}.INFO",
                f"{api}.STREAM.NAMES",
                f"{api}.STREAM.INFO.*",
                f"{api}.CONSUMER.CREATE.*",
                f"{api}.CONSUMER.INFO.*.*",
                "$JS.FC.>",
            ],
            "deny": ["meent.>"],
        },
        "subscribe": {"allow": [f"{inbox_prefix(GATEWAY)}.>"]},
    }


def permissions(user: str) -> dict[str, Any]:
    return gateway_permissions() if user == GATEWAY else service_permissions(user)


def users(passwords: dict[str, str]) -> list[dict[str, Any]]:
    """The `authorization.users` list: `passwords` maps every user (and the admin) to its own."""
    listed: list[dict[str, Any]] = [
        {"user": LOCAL_NATS_ADMIN, "password": passwords[LOCAL_NATS_ADMIN]}
    ]
    for user in SERVICE_USERS:
        listed.append({"user": user, "password": passwords[user], "permissions": permissions(user)})
    return listed


def local_admin() -> dict[str, str]:
    """`nats.connect(url, **local_admin())`: the administrator of a local or test NATS."""
    return {"user": LOCAL_NATS_ADMIN, "password": local_nats_password(LOCAL_NATS_ADMIN)}


def local_passwords() -> dict[str, str]:
    return {user: local_nats_password(user) for user in (*SERVICE_USERS, LOCAL_NATS_ADMIN)}


def server_config(passwords: dict[str, str] | None = None) -> str:
    """A nats-server config file (JSON is valid NATS config) holding the users; local mode and
    the tests use the fixed development passwords."""
    config = {"authorization": {"users": users(passwords or local_passwords())}}
    return json.dumps(config, indent=2) + "\n"


def env_password(user: str) -> str:
    """The environment variable compose and the Helm chart read a user's password from."""
    return "MEENT_NATS_" + user.upper().replace("-", "_") + "_PASSWORD"


def compose_config() -> str:
    """`infra/compose/nats.conf`: the same users, passwords from the nats container's environment
    (NATS resolves an unquoted `$NAME`)."""
    config = server_config({user: f"@{env_password(user)}@" for user in local_passwords()})
    for user in local_passwords():
        config = config.replace(f'"@{env_password(user)}@"', f"${env_password(user)}")
    header = (
        "# Generated by `make nats-config` from meent_shared.events.nats_access; do not edit.\n"
    )
    return header + config


def helm_users() -> list[dict[str, Any]]:
    """The users for the NATS Helm chart's `config.merge.authorization` (deploy/nats/values.yaml):
    `<< $NAME >>` makes the chart write an unquoted environment reference."""
    return users({user: f"<< ${env_password(user)} >>" for user in local_passwords()})


if __name__ == "__main__":
    print(compose_config(), end="")
