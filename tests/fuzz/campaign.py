"""A fuzz campaign against a running MSKG API, shared by the bounded run in the test suite
(tests/fuzz/test_fuzz.py) and the large one (bench/fuzz.py, `make fuzz`).

Three surfaces, each sent as anonymous and as a signed-in account:

- GraphQL: schemathesis generates documents from the live schema's introspection (every query
  and mutation field, nested selections with their arguments; positive and negative mode).
- OpenAPI: schemathesis generates requests for every route in the app's /openapi.json.
- Raw bodies: what neither schema describes — any JSON value or raw bytes posted to /graphql,
  raw bytes and small SPARQL documents to /sparql (tests/fuzz/raw_requests.py).

Every response is checked against what a client is promised: no 5xx, no GraphQL error coded
INTERNAL_SERVER_ERROR (nor one without a code), every 4xx with a JSON body, and an answer at
all. Failures are grouped by signature — the kind, plus the exception the server logged for it
when the API's log is at hand — and each signature keeps its shortest reproducer as a curl
command. Generation is deterministic: the same seed (default 0) sends the same cases.
"""

from __future__ import annotations

import json
import re
import statistics
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.fuzz.raw_requests import RawRequest, raw_requests

TIMEOUT = 30.0
# After this many requests in a row without an answer the API is taken for dead: the rest of
# the arm would only repeat the same finding.
DEAD_AFTER = 20
INTERNAL = "INTERNAL_SERVER_ERROR"


@dataclass(frozen=True)
class Identity:
    """Who sends the requests: a name for reports and the headers that sign it in."""

    name: str
    token: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass(frozen=True)
class Arm:
    """One strand of the campaign: a surface, a generation mode, an identity and a budget."""

    surface: str  # "graphql", "openapi" or "raw"
    identity: Identity
    cases: int
    mode: GenerationMode = GenerationMode.POSITIVE

    @property
    def name(self) -> str:
        mode = "" if self.surface == "raw" else f" {self.mode.value}"
        return f"{self.surface}{mode} as {self.identity.name}"


@dataclass
class Failure:
    """One signature: how often it was seen, where, and the shortest reproducer."""

    kind: str
    detail: str
    count: int = 0
    identities: set[str] = field(default_factory=set)
    operations: Counter[str] = field(default_factory=Counter)
    reproducer: str = ""
    response: str = ""
    example: str = ""  # the server's exception message, first seen

    def add(self, identity: str, operation: str, reproducer: str, response: str) -> None:
        self.count += 1
        self.identities.add(identity)
        self.operations[operation] += 1
        if not self.reproducer or len(reproducer) < len(self.reproducer):
            self.reproducer = reproducer
            self.response = response


@dataclass
class Finding:
    """What is wrong with one response; `detail` may still carry a correlation id."""

    kind: str
    detail: str


@dataclass
class Tally:
    """Everything one campaign saw: figures for the table, failures by signature."""

    cases: Counter[str] = field(default_factory=Counter)  # by arm name
    statuses: Counter[int] = field(default_factory=Counter)
    # GraphQL `extensions.code` and HTTP `detail.code`, for the figures.
    codes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: dict[tuple[str, str], Failure] = field(default_factory=dict)
    no_response: int = 0

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def quantile_ms(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000

    def merge(self, other: Tally) -> None:
        self.cases.update(other.cases)
        self.statuses.update(other.statuses)
        self.codes.update(other.codes)
        self.latencies += other.latencies
        self.no_response += other.no_response
        for key, theirs in other.failures.items():
            ours = self.record(*key)
            for operation, n in theirs.operations.items():
                ours.operations[operation] += n
            ours.count += theirs.count
            ours.identities |= theirs.identities
            ours.example = ours.example or theirs.example
            if not ours.reproducer or len(theirs.reproducer) < len(ours.reproducer):
                ours.reproducer, ours.response = theirs.reproducer, theirs.response

    def record(self, kind: str, detail: str) -> Failure:
        key = (kind, detail)
        if key not in self.failures:
            self.failures[key] = Failure(kind, detail)
        return self.failures[key]

    def report(self, limit: int = 2000) -> str:
        """The failures, most frequent first, each with one reproducer (bodies cut at `limit`)."""
        lines = [
            f"{len(self.failures)} distinct failure signature(s) in {self.total} cases "
            f"({', '.join(f'{arm}: {n}' for arm, n in self.cases.items())}):"
        ]
        ordered = sorted(self.failures.values(), key=lambda f: (-f.count, f.kind, f.detail))
        for i, failure in enumerate(ordered, 1):
            operations = ", ".join(f"{op} ×{n}" for op, n in failure.operations.most_common(8))
            more = len(failure.operations) - 8
            lines += [
                "",
                f"[{i}] {failure.kind}: {failure.detail}",
                *([f"    e.g. {failure.example}"] if failure.example else []),
                f"    seen {failure.count}× as {', '.join(sorted(failure.identities))}; "
                f"in {operations}{f' and {more} more' if more > 0 else ''}",
                "    reproduce (MSKG_API is the API's base URL; MSKG_TOKEN a token of the account):",
                _indent(_cut(failure.reproducer, limit), 6),
                "    response:",
                _indent(_cut(failure.response, 600), 6),
            ]
        return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


# -- checks -----------------------------------------------------------------------------------------
def _normalise(text: str) -> str:
    """One line, numbers and correlation ids folded, so one defect is one signature."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = re.sub(r"\b[0-9a-f]{12}\b", "…", line)
    line = re.sub(r"-?\d+(\.\d+)?", "N", line)
    return line[:200]


def inspect(status: int, content_type: str, body: bytes) -> tuple[list[Finding], list[str]]:
    """What is wrong with one response, and the error codes it carries (for the figures)."""
    findings: list[Finding] = []
    codes: list[str] = []
    text = body.decode("utf-8", "replace")
    try:
        document: Any = json.loads(body) if body else None
    except ValueError:
        document = None
    is_json = document is not None or body.strip() == b"null"
    if status >= 500:
        detail = _detail_code(document) or _normalise(text) or "(empty body)"
        findings.append(Finding(f"HTTP {status}", detail))
    elif status >= 400 and not is_json:
        findings.append(
            Finding(
                f"HTTP {status} without a JSON body",
                f"{content_type or 'no content type'}: {_normalise(text) or '(empty body)'}",
            )
        )
    if status >= 400 and (code := _detail_code(document)):
        codes.append(code)
    if isinstance(document, dict) and isinstance(document.get("errors"), list):
        for error in document["errors"]:
            extensions = error.get("extensions") if isinstance(error, dict) else None
            code = extensions.get("code") if isinstance(extensions, dict) else None
            if not isinstance(code, str):
                findings.append(
                    Finding("GraphQL error without extensions.code", _normalise(str(error)))
                )
                continue
            codes.append(code)
            if code == INTERNAL and isinstance(error, dict) and isinstance(extensions, dict):
                path = ".".join(str(p) for p in error.get("path") or [] if not isinstance(p, int))
                correlation = str(extensions.get("correlationId", ""))
                findings.append(Finding(INTERNAL, f"at {path or '(no path)'}#{correlation}"))
    return findings, codes


def _detail_code(document: Any) -> str | None:
    """`detail.code` of our HTTP errors (FastAPI's own 422s have a list as `detail`)."""
    if isinstance(document, dict):
        detail = document.get("detail")
        if isinstance(detail, dict) and isinstance(detail.get("code"), str):
            return str(detail["code"])
        if isinstance(detail, list):
            return "REQUEST_VALIDATION"
    return None


# -- the API's log: what the server said about a failure ---------------------------------------------
class ServerLog:
    """Reads what the API logged while one request ran (the campaign sends one at a time)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        if self.path is not None:
            self.offset = self.path.stat().st_size

    def since_mark(self) -> str:
        if self.path is None:
            return ""
        time.sleep(0.05)  # uvicorn logs an ASGI exception just after the 500 has been sent
        with self.path.open("rb") as log:
            log.seek(self.offset)
            return log.read(2_000_000).decode("utf-8", "replace")


_FRAME = re.compile(r'^\s+File "(?P<path>[^"]+)", line \d+, in (?P<function>\S+)')
_PACKAGES = ("api/", "graph/", "ontology/", "loaders/", "mskg/")
# Frames that only pass a statement through to the driver: the defect is in their caller.
_PASS_THROUGH = ("graph/runner.py:",)


@dataclass(frozen=True)
class Raised:
    """An exception the server logged: its last line, and where it was raised — the innermost
    frame of our own code, else the innermost frame (a library's)."""

    exception: str
    location: str

    @property
    def signature(self) -> str:
        name = self.exception.split(":", 1)[0].strip()
        # Neo4j's status code tells a syntax error from a type error or a memory limit.
        if status := re.search(r"neo4j_code: Neo\.\w+\.[\w]+\.(\w+)", self.exception):
            name = f"{name} ({status[1]})"
        return f"{name} in {self.location}"


def _where(path: str, function: str) -> str:
    if "site-packages/" in path:
        return f"{path.rsplit('site-packages/', 1)[1]}:{function}"
    if stdlib := re.search(r"/lib/python3\.\d+/(.+)$", path):
        return f"{stdlib[1]}:{function}"
    for package in _PACKAGES:
        if f"/{package}" in path:
            return f"{package}{path.rsplit('/' + package, 1)[1]}:{function}"
    return f"{path}:{function}"


def last_exception(log: str, after: str = "") -> Raised | None:
    """The exception ending the first traceback that follows `after` (a correlation id or the
    ASGI error line): the final one of a chain, whose class and frame name the defect."""
    lines = log.splitlines()
    start = next((i for i, line in enumerate(lines) if after in line), None) if after else 0
    if start is None:
        return None
    i, found = start, None
    while i < len(lines):
        if not lines[i].startswith("Traceback (most recent call last):"):
            i += 1
            continue
        i += 1
        ours: str | None = None
        innermost: str | None = None
        while i < len(lines) and (lines[i].startswith(" ") or not lines[i].strip()):
            if match := _FRAME.match(lines[i]):
                innermost = _where(match["path"], match["function"])
                if (
                    "site-packages/" not in match["path"]
                    and "/lib/python" not in match["path"]
                    and not innermost.startswith(_PASS_THROUGH)
                ):
                    ours = innermost
            i += 1
        if i < len(lines):
            found = Raised(lines[i].strip(), ours or innermost or "?")
        while i < len(lines) and not lines[i].startswith(
            ("Traceback", "The above exception", "During handling")
        ):
            i += 1
        if i < len(lines) and lines[i].startswith(("The above exception", "During handling")):
            continue
        break
    return found


def _explained(finding: Finding, log: str) -> tuple[str, str]:
    """The signature's detail (the server's exception class and where it was raised, when the
    log tells) and an example message."""
    raised: Raised | None = None
    if finding.kind == INTERNAL:
        where, _, correlation = finding.detail.partition("#")
        raised = last_exception(log, f"[{correlation}]") if correlation and log else None
        if raised is None:
            return where, ""
        return raised.signature, f"{raised.exception[:300]} ({where})"
    if finding.kind.startswith("HTTP 5") and log:
        raised = last_exception(log, "Exception in ASGI application") or last_exception(log)
        if raised is not None:
            return f"{finding.detail} — {raised.signature}", raised.exception[:300]
    return finding.detail, ""


# -- sending ------------------------------------------------------------------------------------------
@dataclass
class Sent:
    status: int
    content_type: str
    body: bytes
    seconds: float


class Campaign:
    """Runs arms against one API and keeps the tally."""

    def __init__(
        self, base_url: str, log: Path | None = None, seed: int = 0, slow: float | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.slow = slow  # seconds: a slower answer is recorded as a failure too
        self.log = ServerLog(log)
        self.seed = seed
        self.tally = Tally()
        self._schemas: dict[str, schemathesis.BaseSchema] = {}
        self._silent = 0

    def schema(self, surface: str) -> schemathesis.BaseSchema:
        if surface not in self._schemas:
            loaded: schemathesis.BaseSchema
            if surface == "graphql":
                loaded = schemathesis.graphql.from_url(f"{self.base_url}/graphql")
            else:
                loaded = schemathesis.openapi.from_url(f"{self.base_url}/openapi.json")
            self._schemas[surface] = loaded
        return self._schemas[surface]

    def run(self, arm: Arm, progress: Callable[[int], None] | None = None) -> None:
        session = requests.Session()
        if arm.surface == "raw":
            strategy: st.SearchStrategy[Any] = raw_requests()
        else:
            strategy = self.schema(arm.surface).as_strategy(generation_mode=arm.mode)
        self._silent = 0

        def send(case: Any) -> None:
            if self._silent >= DEAD_AFTER:
                return
            self.tally.cases[arm.name] += 1
            if isinstance(case, RawRequest):
                self._check(
                    arm,
                    case.operation,
                    case.curl(arm.identity),
                    lambda: self._raw(session, case, arm),
                )
            else:
                reproducer = _curl(case, arm.identity)
                self._check(
                    arm, case.operation.label, reproducer, lambda: self._case(session, case, arm)
                )
            if progress is not None:
                progress(1)

        # Generation only: a failure is recorded, not raised, so nothing is shrunk and one run
        # collects every signature; the shortest reproducer of each stands in for shrinking.
        run = settings(
            max_examples=arm.cases,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )(given(strategy)(send))
        # Each arm draws its own cases, the same on every run with the same seed.
        run = hypothesis_seed(zlib.crc32(f"{self.seed}:{arm.name}".encode()))(run)
        try:
            run()
        finally:
            session.close()
        if self._silent >= DEAD_AFTER:
            self.tally.record(
                "API stopped answering",
                f"{DEAD_AFTER} requests in a row without a response; the rest of the arm was skipped",
            ).add(arm.identity.name, arm.name, "(see the `no response` signatures)", "")

    def _case(self, session: requests.Session, case: Any, arm: Arm) -> Sent:
        started = time.perf_counter()
        response = case.call(session=session, headers=arm.identity.headers, timeout=TIMEOUT)
        seconds = time.perf_counter() - started
        content_type = response.headers.get("content-type", [""])
        return Sent(
            response.status_code, content_type[0] if content_type else "", response.content, seconds
        )

    def _raw(self, session: requests.Session, request: RawRequest, arm: Arm) -> Sent:
        started = time.perf_counter()
        response = session.request(
            request.method,
            self.base_url + request.path,
            params=request.params,
            data=request.body,
            headers={**request.headers, **arm.identity.headers},
            timeout=TIMEOUT,
        )
        seconds = time.perf_counter() - started
        return Sent(
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
            seconds,
        )

    def _check(self, arm: Arm, operation: str, reproducer: str, send: Callable[[], Sent]) -> None:
        self.log.mark()
        try:
            sent = send()
        except (requests.RequestException, OSError) as exc:
            self._silent += 1
            self.tally.no_response += 1
            self.tally.record("no response", type(exc).__name__).add(
                arm.identity.name, operation, reproducer, str(exc)[:300]
            )
            return
        self._silent = 0
        self.tally.statuses[sent.status] += 1
        self.tally.latencies.append(sent.seconds)
        findings, codes = inspect(sent.status, sent.content_type, sent.body)
        self.tally.codes.update(codes)
        if self.slow is not None and sent.seconds > self.slow:
            findings.append(
                Finding(f"slow answer (> {self.slow:g} s)", f"HTTP {sent.status} in {operation}")
            )
        if not findings:
            return
        log = self.log.since_mark()
        summary = (
            f"HTTP {sent.status} {sent.content_type}\n{sent.body[:600].decode('utf-8', 'replace')}"
        )
        for finding in findings:
            detail, example = _explained(finding, log)
            failure = self.tally.record(finding.kind, detail)
            failure.add(arm.identity.name, operation, reproducer, summary)
            failure.example = failure.example or example


def _curl(case: Any, identity: Identity) -> str:
    command: str = case.as_curl_command(headers=identity.headers)
    command = command.replace("'Authorization: [Filtered]'", '"Authorization: Bearer $MSKG_TOKEN"')
    return re.sub(r"https?://127\.0\.0\.1:\d+", "$MSKG_API", command)


def arms(anonymous: Identity, editor: Identity, budget: dict[str, int]) -> Iterator[Arm]:
    """The campaign's arms with `budget[key]` cases each; keys are `surface-mode-identity`."""
    for key, cases in budget.items():
        surface, mode, who = key.split("-")
        identity = anonymous if who == "anonymous" else editor
        yield Arm(
            surface,
            identity,
            cases,
            GenerationMode(mode) if mode != "any" else GenerationMode.POSITIVE,
        )
