"""Test servers' ports: never from the range outgoing connections take theirs from (a connection
opened between choosing a port and binding it would take it), never one port twice."""

from meent_shared.local.ports import ephemeral_range, free_port


def test_ports_come_from_below_the_ephemeral_range_and_differ():
    low, _ = ephemeral_range()
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    assert all(1024 < port < low for port in ports), sorted(ports)[-3:]
