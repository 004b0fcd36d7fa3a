"""The shape of compiled statements where it decides speed: what the planner may start from and
what each row carries. (What they return is tested against Neo4j in tests/integration.)"""

from __future__ import annotations

from graph import compile as cypher
from graph.selection import And, Compare, KeyIs, Not, Related, RelationSelection, Selection


def _page(flt: object, with_total: bool = False) -> str:
    params = cypher.Params()
    return cypher.page(("Standard",), flt, (), 0, 10, Selection(), with_total, params)  # type: ignore[arg-type]


def test_a_relationship_to_a_named_key_is_matched_from_that_key() -> None:
    to_key = Related("DEVELOPED_BY", "out", "some", Compare("key", "eq", "iso-iec-jtc1-sc29"))
    statement = _page(And((Compare("standardKind", "eq", "IS"), to_key)), with_total=True)
    assert "EXISTS" not in statement
    # Both the page and the total match from the key and keep each standard once.
    assert statement.count("-[r2:DEVELOPED_BY]->(m1:Resource)") == 1
    assert statement.count("WITH DISTINCT n") == 2
    assert _page(Related("DEVELOPED_BY", "out", "some", KeyIs("x"))).count("WITH DISTINCT n") == 1


def test_other_relationship_filters_stay_existence_tests() -> None:
    by_kind = Related("DEVELOPED_BY", "out", "some", Compare("committeeKind", "eq", "SC"))
    for flt in (
        by_kind,  # no key named: the candidates may well be fewer than the related
        Related("DEVELOPED_BY", "out", "none", Compare("key", "eq", "x")),
        Related("DEVELOPED_BY", "out", "all", Compare("key", "eq", "x")),
        Not(Related("DEVELOPED_BY", "out", "some", Compare("key", "eq", "x"))),
    ):
        statement = _page(flt)
        assert "EXISTS" in statement, flt
        assert "DISTINCT" not in statement, flt


def test_an_edge_carries_only_the_properties_asked_for() -> None:
    def edges(edge_props: frozenset[str] | None) -> str:
        sel = RelationSelection(
            response_key="adoptsEdges",
            rel_type="ADOPTS",
            direction="out",
            target=Selection(),
            with_edge=True,
            edge_props=edge_props,
        )
        return cypher.projection("n", Selection(relations=(sel,)), cypher.Params())

    asked = edges(frozenset({"degree", "no-such-property"}))
    assert "`degree`" in asked
    assert "createdAt" not in asked
    assert "no-such-property" not in asked  # names are kept only if the relationship has them
    every = edges(None)
    assert "`degree`" in every
    assert "`createdAt`" in every
