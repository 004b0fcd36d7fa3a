"""The mappings of graph failures (pure parts): driver errors → graph errors, graph errors →
GraphQL codes and HTTP statuses, the fail-fast window, and the marker a broken export ends with."""

from __future__ import annotations

import time

import pytest
from neo4j.exceptions import IncompleteCommit, ServiceUnavailable, SessionExpired

from api.graphql.errors import QUERY_TIMEOUT, SERVICE_UNAVAILABLE, graph_error, retry_after
from api.outages import detail, status_of
from api.routes.rdf import error_marker
from graph.errors import GraphUnavailableError, QueryTimeoutError
from graph.gateway import Policy, _Gate, translate
from graph.rdf_formats import FORMATS


@pytest.mark.parametrize(
    "failure",
    [
        ServiceUnavailable("Couldn't connect to 127.0.0.1:1"),
        SessionExpired("connection lost"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError(),
    ],
)
def test_connection_failures_become_graph_unavailable(failure: Exception) -> None:
    mapped = translate(failure, "neo4j", Policy(fail_fast=3.0))
    assert isinstance(mapped, GraphUnavailableError)
    assert str(mapped).startswith("Neo4j does not answer")
    assert mapped.retry_after == 3.0
    assert "mskg neo4j start" in mapped.hint


def test_a_lost_commit_says_the_outcome_is_unknown() -> None:
    mapped = translate(IncompleteCommit("lost"), "neo4j", Policy())
    assert isinstance(mapped, GraphUnavailableError)
    assert "may or may not be saved" in str(mapped)


def test_other_errors_are_left_to_the_caller() -> None:
    failure = ValueError("not ours")
    assert translate(failure, "neo4j", Policy()) is failure


def test_graphql_codes() -> None:
    down = graph_error(GraphUnavailableError("Neo4j does not answer", "start it", retry_after=1.2))
    assert down is not None
    assert down.extensions == {
        "code": SERVICE_UNAVAILABLE,
        "hint": "start it",
        "retryAfter": 2,
    }
    assert retry_after([down]) == 2
    slow = graph_error(QueryTimeoutError("the query ran longer than its time limit", "ask less"))
    assert slow is not None
    assert slow.extensions == {"code": QUERY_TIMEOUT, "hint": "ask less"}
    assert retry_after([slow]) is None
    assert graph_error(ValueError()) is None


def test_http_statuses() -> None:
    down = GraphUnavailableError("Neo4j does not answer", "start it", retry_after=0.2)
    assert status_of(down) == (503, SERVICE_UNAVAILABLE, {"Retry-After": "1"})
    assert detail(down) == {
        "code": SERVICE_UNAVAILABLE,
        "message": "Neo4j does not answer",
        "hint": "start it",
        "retryAfter": 1,
    }
    assert status_of(QueryTimeoutError("too long", "ask less")) == (504, QUERY_TIMEOUT, {})


def test_the_fail_fast_window_lets_one_probe_through_after_it() -> None:
    gate = _Gate(Policy(fail_fast=0.2))
    assert gate.admit() is False  # open: calls go through, none is a probe
    gate.close("connection refused")
    with pytest.raises(GraphUnavailableError, match="connection refused"):
        gate.admit()
    time.sleep(0.25)
    assert gate.admit() is True  # the probe
    with pytest.raises(GraphUnavailableError):
        gate.admit()  # the others keep failing fast while it runs
    gate.probing = False
    gate.open()  # the probe was answered
    assert gate.admit() is False


def test_a_broken_export_ends_with_a_one_line_marker() -> None:
    failure = GraphUnavailableError("Neo4j does not answer:\nconnection\nrefused", "start it")
    for name in ("turtle", "trig", "ntriples", "nquads", "jsonld"):
        marker = error_marker(FORMATS[name], failure)
        assert marker == (
            "\n# ERROR: the export is incomplete: Neo4j does not answer: connection refused\n"
        )
    xml = error_marker(FORMATS["rdfxml"], GraphUnavailableError("a -- b", "h"))
    assert xml == "\n<!-- ERROR: the export is incomplete: a - - b -->\n"
