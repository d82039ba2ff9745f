"""`python -m gateway.serve --host H --port P`: the gateway, one process on two listeners.

The public origin on P, and the operations port (MEENT_OPERATIONS_PORT, on the same host) where
/metrics and /readyz with its checks are served; on P, /readyz says only "ready" or "not ready".
Publish or route only P; scrape and probe the operations port from inside the network.
"""

import argparse
import socket
import sys

import uvicorn

from gateway.config import GatewaySettings
from meent_shared.settings import SERVICE_PORTS


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=SERVICE_PORTS["gateway"])
    args = parser.parse_args(argv)
    operations_port = GatewaySettings().operations_port
    if operations_port == args.port:
        print("MEENT_OPERATIONS_PORT must differ from the public --port", file=sys.stderr)
        return 2
    sockets = [listening_socket(args.host, args.port)]
    if operations_port:
        sockets.append(listening_socket(args.host, operations_port))
    # Access lines come from the app's own JSON log (meent_shared.http), not from uvicorn.
    config = uvicorn.Config("gateway.main:create_app", factory=True, access_log=False)
    uvicorn.Server(config).run(sockets=sockets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
