from __future__ import annotations

import pytest

from graph.schema import version_problem


@pytest.mark.parametrize("version", ["5.26.0", "5.26.30", "5.27.0", "2025.01.0", "2026.10.1"])
def test_5_26_and_every_later_version_is_accepted(version: str) -> None:
    assert version_problem(version) is None


@pytest.mark.parametrize("version", ["5.25.1", "5.20.0", "5.9.0", "4.4.38"])
def test_an_older_version_is_refused_saying_which_is_needed(version: str) -> None:
    problem = version_problem(version)
    assert problem == f"Neo4j {version} is older than 5.26, which MSKG needs."


def test_a_version_that_does_not_parse_is_left_to_the_statements() -> None:
    assert version_problem("5-aura") is None
