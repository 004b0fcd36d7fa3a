"""The fuzz campaign's oracle and its reading of the server log (tests/fuzz/campaign.py): what
counts as a failure, and how a failure is named."""

from __future__ import annotations

import json
import subprocess

from tests.fuzz.campaign import Identity, inspect, last_exception
from tests.fuzz.raw_requests import RawRequest


def _kinds(status: int, body: object, content_type: str = "application/json") -> list[str]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    findings, _ = inspect(status, content_type, raw)
    return [f.kind for f in findings]


def test_answers_a_client_is_promised_pass() -> None:
    assert _kinds(200, {"data": {"version": "0.1.0"}}) == []
    assert _kinds(400, {"detail": {"code": "BAD_REQUEST", "message": "no"}}) == []
    assert _kinds(422, {"detail": [{"loc": ["query"], "msg": "bad"}]}) == []
    coded = {"data": None, "errors": [{"message": "m", "extensions": {"code": "BAD_USER_INPUT"}}]}
    findings, codes = inspect(200, "application/json", json.dumps(coded).encode())
    assert findings == []
    assert codes == ["BAD_USER_INPUT"]
    assert _kinds(200, b"<html></html>", "text/html") == []


def test_server_errors_internal_errors_and_bare_4xx_are_failures() -> None:
    assert _kinds(500, b"Internal Server Error", "text/plain") == ["HTTP 500"]
    assert _kinds(503, {"detail": {"code": "SERVICE_UNAVAILABLE"}}) == ["HTTP 503"]
    assert _kinds(400, b"Unsupported content type", "text/plain") == [
        "HTTP 400 without a JSON body"
    ]
    internal = {"errors": [{"message": "x", "path": ["committee", 0, "parents"], "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": "abcdef012345"}}]}  # fmt: skip
    findings, _ = inspect(200, "application/json", json.dumps(internal).encode())
    assert [(f.kind, f.detail) for f in findings] == [
        ("INTERNAL_SERVER_ERROR", "at committee.parents#abcdef012345")
    ]
    assert _kinds(200, {"errors": [{"message": "uncoded"}]}) == [
        "GraphQL error without extensions.code"
    ]


LOG = """\
unexpected error [abcdef012345] at ['committee']
Traceback (most recent call last):
  File "/x/.venv/lib/python3.11/site-packages/graphql/execution/executor.py", line 1, in run
    resolved = await thing
  File "/x/api/graphql/queries.py", line 10, in committee
    return await fetch(info)
  File "/x/api/graphql/selection.py", line 20, in page_size
    raise PageSizeError(first)
api.graphql.selection.PageSizeError: `first` must be between 0 and 100, got -1
Exception in ASGI application
Traceback (most recent call last):
  File "/x/.venv/lib/python3.11/site-packages/starlette/routing.py", line 3, in app
    await route(scope)
  File "/x/api/routes/sparql.py", line 51, in _query_text
    return (await request.body()).decode("utf-8")
UnicodeDecodeError: 'utf-8' codec can't decode byte 0xdd in position 0: unexpected end of data

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/x/.venv/lib/python3.11/site-packages/uvicorn/protocols/http/h11_impl.py", line 4, in run_asgi
    result = await app(self.scope)
RuntimeError: wrapped
unexpected error [bbbbbbbbbbbb] at ['gaps']
Traceback (most recent call last):
  File "/x/graph/analytics.py", line 115, in gaps
    rows = await read(driver, database, statement, params)
  File "/x/graph/runner.py", line 38, in read
    records, _, _ = await driver.execute_query(statement, params)
  File "/x/.venv/lib/python3.11/site-packages/neo4j/_async/driver.py", line 989, in execute_query
    return await session._run_transaction(work)
neo4j.exceptions.CypherSyntaxError: {neo4j_code: Neo.ClientError.Statement.SyntaxError} {message: Invalid input ')'}
"""


def test_a_failure_is_named_by_the_exception_and_our_frame_that_raised_it() -> None:
    raised = last_exception(LOG, "[abcdef012345]")
    assert raised is not None
    assert raised.signature == "api.graphql.selection.PageSizeError in api/graphql/selection.py:page_size"  # fmt: skip
    assert "got -1" in raised.exception
    # A chain ends with its last exception; only library frames there, so the innermost names it.
    asgi = last_exception(LOG, "Exception in ASGI application")
    assert asgi is not None
    assert asgi.signature == "RuntimeError in uvicorn/protocols/http/h11_impl.py:run_asgi"
    # The runner only passes statements through: the caller that built the statement is named,
    # with Neo4j's status.
    cypher = last_exception(LOG, "[bbbbbbbbbbbb]")
    assert cypher is not None
    assert cypher.signature == "neo4j.exceptions.CypherSyntaxError (SyntaxError) in graph/analytics.py:gaps"  # fmt: skip
    assert last_exception(LOG, "[000000000000]") is None


def test_raw_reproducers_send_exactly_the_bytes() -> None:
    request = RawRequest("POST", "/sparql", b"a'\\\xdd\n", {"Content-Type": "application/sparql-query"})  # fmt: skip
    command = request.curl(Identity("editor", "secret"))
    assert "secret" not in command
    assert '"Authorization: Bearer $MSKG_TOKEN"' in command
    body = command.split("--data-binary ", 1)[1].rsplit(" ", 1)[0]
    printed = subprocess.run(
        ["bash", "-c", f"printf %s {body}"], capture_output=True, check=True
    ).stdout
    assert printed == b"a'\\\xdd\n"
