"""Obtain, start, probe and stop a local Neo4j Community server.

Layout of a server home (``<data dir>/neo4j`` by default)::

    conf/neo4j.conf      generated on every start from the options below
    data/                databases and the auth store; survives restarts
    logs/                neo4j.log, debug.log and console.log (the JVM's stdout/stderr)
    run/neo4j.pid        pid of the server process we started
    password             generated password for the ``neo4j`` user (mode 0600)
    classpath.txt        the Maven-resolved classpath, so a second start downloads nothing

Errors derive from :class:`LocalServerError`::

    LocalServerError
     ├── ToolMissingError     java or mvn not on PATH
     ├── ResolveError         Maven could not resolve the server jars
     ├── PortInUseError       the Bolt port is taken by another process
     └── StartError           the server process died or never answered on Bolt
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

POM = Path(__file__).with_name("pom.xml")
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
NEO4J_USER = "neo4j"

ProgressFn = Callable[[str], None]


class LocalServerError(Exception):
    """Root of the errors raised while managing the local Neo4j server."""


class ToolMissingError(LocalServerError):
    """A required executable (java, mvn) is not on PATH."""


class ResolveError(LocalServerError):
    """Maven could not resolve Neo4j's jars."""


class PortInUseError(LocalServerError):
    """The configured Bolt port is already bound by another process."""


class StartError(LocalServerError):
    """The server did not come up."""


def neo4j_version() -> str:
    """The Neo4j version declared in the bundled pom (the one place it is written)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ElementTree.parse(POM).getroot()  # noqa: S314 -- our own file, not user input
    node = root.find("m:properties/m:neo4j.version", ns)
    if node is None or not node.text:
        raise ResolveError(f"{POM} declares no <neo4j.version>")
    return node.text.strip()


@dataclass(frozen=True)
class ServerOptions:
    """Where and how the local server runs."""

    home: Path
    bolt_port: int = 7687
    heap: str = "1g"
    pagecache: str = "512m"
    start_timeout: float = 180.0
    # Further neo4j.conf settings, written after (and so overriding) the generated ones.
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str


class LocalNeo4j:
    """One local server home. Every method is safe to call repeatedly."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.home = options.home.resolve()
        # Kept so that a server started by this process can be reaped (no zombie, no warning).
        self._process: subprocess.Popen[bytes] | None = None

    # -- paths ---------------------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def classpath_file(self) -> Path:
        return self.home / "classpath.txt"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    # -- public API ----------------------------------------------------------------------------
    def password(self) -> str:
        """The generated password, creating it (mode 0600) on first use."""
        if self.password_file.exists():
            return self.password_file.read_text(encoding="utf-8").strip()
        self.home.mkdir(parents=True, exist_ok=True)
        # Hex, not URL-safe base64: a password starting with "-" reads as an option to
        # neo4j-admin (a one-in-32 start-up failure).
        value = secrets.token_hex(24)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
        return value

    def running_port(self) -> int | None:
        """The Bolt port of the server running in this home — the one its configuration was
        written with at start — or None when none runs."""
        if self._live_pid() is None:
            return None
        try:
            conf = (self.home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
        except OSError:
            return None
        found = re.search(r"^server\.bolt\.listen_address=.*:(\d+)$", conf, re.MULTILINE)
        return int(found.group(1)) if found else None

    def status(self) -> ServerStatus:
        pid = self._live_pid()
        return ServerStatus(running=pid is not None, pid=pid, uri=self.options.uri)

    def start(self, on_progress: ProgressFn | None = None) -> tuple[ServerStatus, bool]:
        """Start the server unless it already runs; return its status and whether it was started."""
        say = on_progress or _silent
        current = self.status()
        if current.running:
            self._wait_for_bolt(current.pid, say)
            return current, False
        _require_tool("java")
        if _port_taken(self.options.bolt_port):
            raise PortInUseError(
                f"port {self.options.bolt_port} on 127.0.0.1 is in use by another process; "
                "set MSKG_NEO4J_BOLT_PORT to a free port or stop that process"
            )
        classpath = self._classpath(say)
        self._prepare_home()
        password = self.password()
        if not (self.home / "data" / "dbms" / "auth.ini").exists():
            self._set_initial_password(classpath, password)
        pid = self._spawn(classpath)
        say(f"Neo4j {neo4j_version()} starting (pid {pid}); waiting for Bolt on {self.options.uri}")
        self._wait_for_bolt(pid, say)
        return ServerStatus(running=True, pid=pid, uri=self.options.uri), True

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server we started (by pid file); return whether a process was stopped."""
        pid = self._live_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        if self._process is not None and self._process.pid == pid:
            self._process.wait()
            self._process = None
        self.pid_file.unlink(missing_ok=True)
        return True

    def kill(self) -> bool:
        """Kill the server at once (SIGKILL), as a crash would: for outage drills and tests.
        Return whether a process was killed. `start` recovers the database afterwards."""
        pid = self._live_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGKILL)
        if self._process is not None and self._process.pid == pid:
            self._process.wait()  # reap it, or it lingers as a zombie that looks alive
            self._process = None
        while _alive(pid):
            time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        return True

    # -- internals -----------------------------------------------------------------------------
    def _live_pid(self) -> int | None:
        """The pid in the pid file if that process is alive and is *our* server."""
        try:
            pid = int(self.pid_file.read_text(encoding="ascii").strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid):
            return None
        # A recycled pid must not make us signal an unrelated process.
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return pid  # no procfs (e.g. macOS): trust the pid file
        args = [part.decode(errors="replace") for part in cmdline]
        if ENTRY_POINT in args and f"--home-dir={self.home}" in args:
            return pid
        return None

    def _classpath(self, say: ProgressFn) -> str:
        if self.classpath_file.exists():
            cached = self.classpath_file.read_text(encoding="utf-8").strip()
            version_line, _, classpath = cached.partition("\n")
            if version_line == neo4j_version() and all(
                Path(jar).exists() for jar in classpath.split(os.pathsep)
            ):
                return classpath
        _require_tool("mvn")
        say(f"Resolving Neo4j {neo4j_version()} Community from Maven Central (first start only)")
        self.home.mkdir(parents=True, exist_ok=True)
        out = self.home / "classpath.tmp"
        result = subprocess.run(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(POM),
                "dependency:build-classpath",
                f"-Dmdep.outputFile={out}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not out.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
            raise ResolveError(
                f"Maven could not resolve Neo4j {neo4j_version()} (exit {result.returncode}).\n"
                f"{tail}\nCheck that Maven can reach Maven Central, then run the command again."
            )
        classpath = out.read_text(encoding="utf-8").strip()
        out.unlink()
        self.classpath_file.write_text(f"{neo4j_version()}\n{classpath}\n", encoding="utf-8")
        return classpath

    def _prepare_home(self) -> None:
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (self.home / "conf" / "neo4j.conf").write_text(self._config(), encoding="utf-8")

    def _config(self) -> str:
        o = self.options
        lines = {
            # Loopback only: a local development server is never reachable from the network.
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{o.bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{o.bolt_port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.heap.initial_size": o.heap,
            "server.memory.heap.max_size": o.heap,
            "server.memory.pagecache.size": o.pagecache,
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.run": str(self.home / "run"),
            "server.directories.plugins": str(self.home / "plugins"),
            "server.directories.import": str(self.home / "import"),
            "dbms.usage_report.enabled": "false",
            # Keep transaction logs small on developer machines and CI.
            "db.tx_log.rotation.retention_policy": "2 files",
            "server.jvm.additional": "-XX:+UseG1GC",
            # Bolt's event loops otherwise wait 5 s for quiet, twice, after the databases have
            # stopped: half of every `mskg neo4j stop`, with no connection left to serve.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
            "internal.dbms.bolt.netty_server_shutdown_timeout": "2",
        }
        lines.update(o.settings)
        body = "\n".join(f"{key}={value}" for key, value in lines.items())
        return f"# Generated by `mskg neo4j start`; edits are overwritten.\n{body}\n"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.home / "conf")
        return env

    def _set_initial_password(self, classpath: str, password: str) -> None:
        result = subprocess.run(
            ["java", "-cp", classpath, ADMIN_TOOL, "dbms", "set-initial-password", password],
            capture_output=True,
            text=True,
            env=self._env(),
            check=False,
        )
        if result.returncode != 0:
            raise StartError(
                "neo4j-admin could not set the initial password: "
                + (result.stderr or result.stdout).strip()
            )

    def _spawn(self, classpath: str) -> int:
        o = self.options
        self.console_log.parent.mkdir(parents=True, exist_ok=True)
        with self.console_log.open("ab") as log:
            process = subprocess.Popen(
                [
                    "java",
                    f"-Xms{o.heap}",
                    f"-Xmx{o.heap}",
                    "-XX:+UseG1GC",
                    "-Dfile.encoding=UTF-8",
                    "-cp",
                    classpath,
                    ENTRY_POINT,
                    f"--home-dir={self.home}",
                    f"--config-dir={self.home / 'conf'}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._env(),
                cwd=self.home,
                # Its own session: the server outlives the CLI that started it and is not hit by
                # the terminal's Ctrl-C.
                start_new_session=True,
            )
        self._process = process
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{process.pid}\n", encoding="ascii")
        return process.pid

    def _wait_for_bolt(self, pid: int | None, say: ProgressFn) -> None:
        # Imported here so that `mskg --help` stays fast.
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

        deadline = time.monotonic() + self.options.start_timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if pid is not None and not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise StartError(
                    f"the Neo4j process (pid {pid}) exited during start-up; see "
                    f"{self.console_log} and {self.home / 'logs' / 'neo4j.log'}"
                )
            if _port_taken(self.options.bolt_port):
                try:
                    with GraphDatabase.driver(
                        self.options.uri, auth=(NEO4J_USER, self.password()), connection_timeout=3
                    ) as driver:
                        driver.execute_query("RETURN 1")
                    return
                except AuthError as exc:
                    raise StartError(
                        f"Neo4j at {self.options.uri} rejected the password in "
                        f"{self.password_file}: {exc.message}. If the data directory was created "
                        "by another tool, point MSKG_DATA_DIR elsewhere."
                    ) from exc
                except (ServiceUnavailable, SessionExpired, OSError) as exc:
                    last_error = str(exc)
            time.sleep(0.5)
        raise StartError(
            f"Neo4j did not answer on {self.options.uri} within {self.options.start_timeout:.0f}s "
            f"({last_error}); see {self.console_log}"
        )


def _silent(_message: str) -> None:
    return None


def _require_tool(name: str) -> None:
    if shutil.which(name) is None:
        hint = {
            "java": "install a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`)",
            "mvn": "install Maven (e.g. `apt-get install maven`)",
        }[name]
        raise ToolMissingError(
            f"`{name}` is not on PATH: {hint}, or set NEO4J_URI to use your own Neo4j"
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (when the caller is our own parent process) is not alive.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (for tests and parallel servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
