"""`mskg serve --workers 2`: two API processes share the port and both answer GraphQL from Neo4j.

Which worker answered a connection is read from /proc: the worker process that holds the
server side of that TCP connection."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from graph.driver import AsyncDriver, Connection
from loaders.seed import read_seed
from tests.conftest import api_env, start_api, stop_api

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

QUERY = json.dumps({"query": "{ committees(first: 1) { totalCount } }"}).encode()


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _server_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server side of the loopback connection from `client_port`."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if (
                int(local.rsplit(":", 1)[1], 16) == server_port
                and int(remote.rsplit(":", 1)[1], 16) == client_port
            ):
                return fields[9]
    return None


def _ask(sock: socket.socket) -> dict[str, object]:
    sock.sendall(
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(QUERY)}\r\n\r\n".encode()
        + QUERY
    )
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200"), head
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    answer: dict[str, object] = json.loads(body)
    return answer


def test_two_workers_both_answer(
    seeded_db: AsyncDriver, neo4j_connection: Connection, tmp_path: Path
) -> None:
    api = start_api(api_env(neo4j_connection), tmp_path, "--workers", "2")
    try:
        port = int(api.base_url.rsplit(":", 1)[1])
        committees = sum(1 for e in read_seed().entities if e.cls.name == "Committee")
        answered: set[int] = set()
        # The kernel hands each connection to whichever worker accepts it first: keep asking
        # (the second worker may still be starting) until both have answered.
        for _ in range(30):
            socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(8)]
            try:
                for sock in socks:
                    answer = _ask(sock)
                    assert answer.get("errors") is None, answer
                    assert answer["data"] == {"committees": {"totalCount": committees}}
                    inode = _server_inode(port, sock.getsockname()[1])
                    assert inode is not None
                    holders = {w for w in _children(api.process.pid) if inode in _socket_inodes(w)}
                    assert len(holders) == 1, holders
                    answered |= holders
            finally:
                for sock in socks:
                    sock.close()
            if len(answered) >= 2:
                break
            time.sleep(0.5)
        assert len(_children(api.process.pid)) >= 2
        assert len(answered) == 2, answered
    finally:
        stop_api(api)
