"""Obtain, start, probe, stop and supervise a local Apache Jena Fuseki server.

Fuseki holds the public SPARQL store (a persistent TDB2 dataset) that every API process
queries; the API keeps it current from the revision log. Layout of a server home
(``<data dir>/fuseki`` by default)::

    config.ttl       generated on every start: one dataset, its endpoints, the query timeout,
                     SERVICE disabled; edits are overwritten
    log4j2.properties  generated: start-up and warnings only (not every request)
    passwd           the realm file Fuseki checks credentials against (mode 0600)
    password         generated password of the ``mskg`` user (mode 0600)
    tdb2/            the TDB2 dataset; survives restarts
    fuseki.log       the JVM's stdout/stderr
    run/fuseki.pid   pid of the server process we started
    run/restart.lock held while one supervisor restarts a dead server
    classpath.txt    the Maven-resolved classpath, so a second start downloads nothing

Errors derive from :class:`FusekiError`::

    FusekiError
     ├── ToolMissingError     java or mvn not on PATH
     ├── ResolveError         Maven could not resolve the Fuseki jars
     ├── PortInUseError       the port is taken by another process
     └── StartError           the server process died or never answered
"""

from __future__ import annotations

import base64
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

POM = Path(__file__).with_name("pom.xml")
ENTRY_POINT = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
USER = "mskg"
DATASET = "mskg"

ProgressFn = Callable[[str], None]


class FusekiError(Exception):
    """Root of the errors raised while managing the local Fuseki server."""


class ToolMissingError(FusekiError):
    """A required executable (java, mvn) is not on PATH."""


class ResolveError(FusekiError):
    """Maven could not resolve Fuseki's jars."""


class PortInUseError(FusekiError):
    """The configured port is already bound by another process."""


class StartError(FusekiError):
    """The server did not come up."""


def jena_version() -> str:
    """The Jena/Fuseki version declared in the bundled pom (the one place it is written)."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ElementTree.parse(POM).getroot()  # noqa: S314 -- our own file, not user input
    node = root.find("m:properties/m:jena.version", ns)
    if node is None or not node.text:
        raise ResolveError(f"{POM} declares no <jena.version>")
    return node.text.strip()


@dataclass(frozen=True)
class FusekiOptions:
    """Where and how the local server runs."""

    home: Path
    port: int = 3030
    heap: str = "1g"
    # Jena stops a query cooperatively at this limit (its iterators check a cancel flag).
    query_timeout: float = 30.0
    start_timeout: float = 120.0

    @property
    def url(self) -> str:
        """The dataset's base URL: <url>/query, <url>/update, <url>/data."""
        return f"http://127.0.0.1:{self.port}/{DATASET}"


@dataclass(frozen=True)
class FusekiStatus:
    running: bool
    pid: int | None
    url: str


class LocalFuseki:
    """One local server home. Every method is safe to call repeatedly."""

    def __init__(self, options: FusekiOptions) -> None:
        self.options = options
        self.home = options.home.resolve()
        # Kept so that a server started by this process can be reaped (no zombie).
        self._process: subprocess.Popen[bytes] | None = None

    # -- paths ---------------------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "fuseki.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def classpath_file(self) -> Path:
        return self.home / "classpath.txt"

    @property
    def log_file(self) -> Path:
        return self.home / "fuseki.log"

    # -- public API ----------------------------------------------------------------------------
    def password(self) -> str:
        """The generated password of the ``mskg`` user, created (mode 0600) on first use."""
        if self.password_file.exists():
            return self.password_file.read_text(encoding="utf-8").strip()
        self.home.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(24)
        _write_private(self.password_file, value + "\n", exclusive=True)
        return value

    def status(self) -> FusekiStatus:
        pid = self._live_pid()
        return FusekiStatus(running=pid is not None, pid=pid, url=self.options.url)

    def start(self, on_progress: ProgressFn | None = None) -> tuple[FusekiStatus, bool]:
        """Start the server unless it already runs; return its status and whether it was started."""
        say = on_progress or _silent
        current = self.status()
        if current.running:
            self._wait_until_up(current.pid, say)
            return current, False
        _require_tool("java")
        if _port_taken(self.options.port):
            raise PortInUseError(
                f"port {self.options.port} on 127.0.0.1 is in use by another process; "
                "set MSKG_SPARQL_PORT to a free port or stop that process"
            )
        classpath = self._classpath(say)
        self._prepare_home()
        pid = self._spawn(classpath)
        say(f"Fuseki {jena_version()} starting (pid {pid}); waiting for {self.options.url}")
        self._wait_until_up(pid, say)
        return FusekiStatus(running=True, pid=pid, url=self.options.url), True

    def stop(self, timeout: float = 30.0) -> bool:
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
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        self.reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return True

    def restart_if_dead(self, on_progress: ProgressFn | None = None) -> bool:
        """Start the server again if its process died (its pid file is still there); return
        whether this call started it.

        Several supervisors (one per `mskg serve`) may watch the same home: an exclusive lock
        on run/restart.lock lets one of them restart it, and the others find it running."""
        if self._live_pid() is not None or not self.pid_file.exists():
            # Running, or stopped on purpose (`stop` removes the pid file).
            return False
        lock_path = self.home / "run" / "restart.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # another supervisor is restarting it
            try:
                if self._live_pid() is not None:
                    return False
                old = _pid_in(self.pid_file)
                if old is not None:
                    self.reap(old)
                _, started = self.start(on_progress)
                return started
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def supervise(self, stop: threading.Event, every: float = 1.0) -> threading.Thread:
        """A daemon thread that restarts the server whenever its process dies."""

        def watch() -> None:
            while not stop.wait(every):
                try:
                    self.restart_if_dead()
                except FusekiError as exc:
                    # Logged to the server's own log; the next round tries again.
                    with self.log_file.open("a", encoding="utf-8") as log:
                        log.write(f"supervisor: restart failed: {exc}\n")

        thread = threading.Thread(target=watch, name="fuseki-supervisor", daemon=True)
        thread.start()
        return thread

    # -- internals -----------------------------------------------------------------------------
    def reap(self, pid: int) -> None:
        """Collect the exit status of a server process this object started (no zombie)."""
        if self._process is not None and self._process.pid == pid:
            self._process.wait()
            self._process = None

    def _live_pid(self) -> int | None:
        """The pid in the pid file if that process is alive and is *our* server."""
        pid = _pid_in(self.pid_file)
        if pid is None or not _alive(pid):
            return None
        # A recycled pid must not make us signal an unrelated process.
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return pid  # no procfs (e.g. macOS): trust the pid file
        args = [part.decode(errors="replace") for part in cmdline]
        if ENTRY_POINT in args and f"--config={self.home / 'config.ttl'}" in args:
            return pid
        return None

    def _classpath(self, say: ProgressFn) -> str:
        if self.classpath_file.exists():
            cached = self.classpath_file.read_text(encoding="utf-8").strip()
            version_line, _, classpath = cached.partition("\n")
            if version_line == jena_version() and all(
                Path(jar).exists() for jar in classpath.split(os.pathsep)
            ):
                return classpath
        _require_tool("mvn")
        say(f"Resolving Apache Jena Fuseki {jena_version()} from Maven Central (first start only)")
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
                f"Maven could not resolve Fuseki {jena_version()} (exit {result.returncode}).\n"
                f"{tail}\nCheck that Maven can reach Maven Central, then run the command again."
            )
        classpath = out.read_text(encoding="utf-8").strip()
        out.unlink()
        self.classpath_file.write_text(f"{jena_version()}\n{classpath}\n", encoding="utf-8")
        return classpath

    def _prepare_home(self) -> None:
        (self.home / "run").mkdir(parents=True, exist_ok=True)
        (self.home / "tdb2").mkdir(parents=True, exist_ok=True)
        (self.home / "config.ttl").write_text(
            fuseki_config(self.home / "tdb2", self.options.query_timeout), encoding="utf-8"
        )
        (self.home / "log4j2.properties").write_text(LOGGING_CONFIG, encoding="utf-8")
        # Jetty's realm file: "user: password, role". Rewritten each start from the password.
        _write_private(self.home / "passwd", f"{USER}: {self.password()}, mskg\n")

    def _spawn(self, classpath: str) -> int:
        o = self.options
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                [
                    "java",
                    f"-Xmx{o.heap}",
                    "-XX:+UseG1GC",
                    "-Dfile.encoding=UTF-8",
                    f"-Dlog4j.configurationFile={self.home / 'log4j2.properties'}",
                    "-cp",
                    classpath,
                    ENTRY_POINT,
                    # Loopback only: a local server is never reachable from the network.
                    "--localhost",
                    f"--port={o.port}",
                    f"--config={self.home / 'config.ttl'}",
                    f"--passwd={self.home / 'passwd'}",
                    "--auth=basic",
                    "--ping",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                # Its own session: the server outlives the CLI that started it.
                start_new_session=True,
            )
        self._process = process
        self.pid_file.write_text(f"{process.pid}\n", encoding="ascii")
        return process.pid

    def _wait_until_up(self, pid: int | None, say: ProgressFn) -> None:
        deadline = time.monotonic() + self.options.start_timeout
        last_error = "no answer yet"
        ask = urllib.request.Request(  # noqa: S310 -- a loopback URL we built
            f"{self.options.url}/query?query=ASK%7B%7D",
            headers={"Authorization": basic_auth(USER, self.password())},
        )
        while time.monotonic() < deadline:
            if pid is not None and not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise StartError(
                    f"the Fuseki process (pid {pid}) exited during start-up; see {self.log_file}"
                )
            try:
                with urllib.request.urlopen(ask, timeout=3) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                if exc.code == 401:
                    raise StartError(
                        f"Fuseki at {self.options.url} rejected the password in "
                        f"{self.password_file}; stop the process holding port {self.options.port}"
                    ) from exc
                last_error = f"HTTP {exc.code}"
            except OSError as exc:
                last_error = str(exc)
            time.sleep(0.3)
        raise StartError(
            f"Fuseki did not answer on {self.options.url} within "
            f"{self.options.start_timeout:.0f}s ({last_error}); see {self.log_file}"
        )


# Start-up and warnings only: Fuseki logs every request at INFO, and the API asks for the sync
# state several times a second.
LOGGING_CONFIG = """# Generated by `mskg sparql start`; edits are overwritten.
status = error
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d{yyyy-MM-dd HH:mm:ss}] %-10c{1} %-5p %m%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
logger.server.name = org.apache.jena.fuseki.Server
logger.server.level = INFO
"""


def fuseki_config(location: Path, query_timeout: float) -> str:
    """Fuseki's configuration: one TDB2 dataset with query, update and Graph Store endpoints,
    every one of them for the `mskg` user only, a global query timeout, and no SERVICE."""
    millis = int(query_timeout * 1000)
    return f"""# Generated by `mskg sparql start`; edits are overwritten.
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX ja:     <http://jena.hpl.hp.com/2005/11/Assembler#>
PREFIX tdb2:   <http://jena.apache.org/2016/tdb#>

[] rdf:type fuseki:Server ;
   # Cooperative cancellation: the query's iterators stop at this limit (ms).
   ja:context [ ja:cxtName "arq:queryTimeout" ; ja:cxtValue "{millis}" ] ;
   # Defense in depth behind the API's own refusal: federated queries never leave the server.
   ja:context [ ja:cxtName "arq:httpServiceAllowed" ; ja:cxtValue "false" ] .

<#service> rdf:type fuseki:Service ;
   fuseki:name "{DATASET}" ;
   fuseki:allowedUsers "{USER}" ;
   fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "query" ] ;
   fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
   fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
   fuseki:dataset <#dataset> .

<#dataset> rdf:type tdb2:DatasetTDB2 ;
   tdb2:location "{location}" .
"""


def basic_auth(user: str, password: str) -> str:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _silent(_message: str) -> None:
    return None


def _write_private(path: Path, text: str, exclusive: bool = False) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        return None


def _require_tool(name: str) -> None:
    if shutil.which(name) is None:
        hint = {
            "java": "install a Java 17+ runtime (e.g. `apt-get install openjdk-17-jre-headless`)",
            "mvn": "install Maven (e.g. `apt-get install maven`)",
        }[name]
        raise ToolMissingError(
            f"`{name}` is not on PATH: {hint}, or set MSKG_SPARQL_URL to use your own Fuseki"
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
