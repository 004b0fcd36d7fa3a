"""Change sets, optimistic concurrency, revisions, revert and replay — against the real Neo4j."""

from __future__ import annotations

import pytest

from graph.change_record import EntityChange
from graph.changes import EntityStep, LinkStep, Revision, Step
from graph.changes import apply_changes as apply_changes_or_none
from graph.driver import AsyncDriver, Connection
from graph.entities import get_entity, related
from graph.errors import ConflictError, IntegrityError, NotFoundError
from graph.maintenance import clear_database, snapshot
from graph.revisions import history, log_after, replay, revert
from loaders.seed import load_seed

BASE = "https://w3id.org/mskg/"


async def apply_changes(
    driver: AsyncDriver, db: str, base: str, steps: list[Step], actor: str, **options: object
) -> Revision:
    """apply_changes for steps that do change something (so a revision is written)."""
    revision = await apply_changes_or_none(driver, db, base, steps, actor, **options)  # type: ignore[arg-type]
    assert revision is not None
    return revision


def committee(key: str, zh: str, en: str, **extra: object) -> EntityStep:
    props: dict[str, object] = {
        "prefLabel_zh": zh,
        "prefLabel_en": en,
        "sources": ["seed-plan"],
        **extra,
    }
    return EntityStep("create", "Committee", key, props)


@pytest.fixture
async def db(empty_graph: AsyncDriver, neo4j_connection: Connection) -> str:
    await load_seed(empty_graph, neo4j_connection.database, BASE)
    return neo4j_connection.database


async def test_create_update_conflict_and_history(empty_graph: AsyncDriver, db: str) -> None:
    created = await apply_changes(
        empty_graph, db, BASE, [committee("test-tc1", "测试委员会", "Test committee", committeeKind="TC")],
        "alice", comment="new committee",
    )  # fmt: skip
    entity = await get_entity(empty_graph, db, "test-tc1")
    assert (entity.props["version"], entity.props["createdBy"]) == (1, "alice")
    assert entity.iri == f"{BASE}id/committee/test-tc1"
    first = created.changes[0]
    assert isinstance(first, EntityChange)
    assert (first.op, first.class_name, first.key, first.before) == (
        "create",
        "Committee",
        "test-tc1",
        None,
    )

    updated = await apply_changes(
        empty_graph, db, BASE,
        [EntityStep("update", "Committee", "test-tc1", {"designation": "TST/TC1", "prefLabel_en": "Test TC"}, expected_version=1)],
        "bob",
    )  # fmt: skip
    change = updated.changes[0]
    assert isinstance(change, EntityChange)
    assert change.before == {"designation": None, "prefLabel_en": "Test committee"}
    assert change.after == {"designation": "TST/TC1", "prefLabel_en": "Test TC"}
    assert change.version == 2
    assert updated.seq > created.seq

    with pytest.raises(ConflictError) as conflict:
        await apply_changes(
            empty_graph, db, BASE,
            [EntityStep("update", "Committee", "test-tc1", {"designation": "X"}, expected_version=1)], "carol",
        )  # fmt: skip
    assert conflict.value.current_version == 2
    assert (await get_entity(empty_graph, db, "test-tc1")).props["designation"] == "TST/TC1"

    revisions = await history(empty_graph, db, "test-tc1")
    assert [r.actor for r in revisions] == ["bob", "alice"]


async def test_a_failing_step_rolls_back_the_whole_set(empty_graph: AsyncDriver, db: str) -> None:
    with pytest.raises(NotFoundError):
        await apply_changes(
            empty_graph, db, BASE,
            [committee("test-tc2", "二", "Two"), LinkStep("link", "SUB_ORGANIZATION_OF", "test-tc2", "no-such-key")],
            "alice",
        )  # fmt: skip
    with pytest.raises(NotFoundError):
        await get_entity(empty_graph, db, "test-tc2")


async def test_links_check_domain_and_range(empty_graph: AsyncDriver, db: str) -> None:
    with pytest.raises(IntegrityError, match="is a Concept, expected Committee"):
        await apply_changes(
            empty_graph, db, BASE,
            [LinkStep("link", "DOMESTIC_COUNTERPART_OF", "concept-blockchain", "iso-tc307", {"evidence": "STATED"})],
            "alice",
        )  # fmt: skip


async def test_delete_needs_detach_and_revert_restores_everything(
    empty_graph: AsyncDriver, db: str
) -> None:
    before = await snapshot(empty_graph, db)
    with pytest.raises(IntegrityError, match="detach: true"):
        await apply_changes(
            empty_graph,
            db,
            BASE,
            [EntityStep("delete", "Committee", "sac-tc590", expected_version=1)],
            "alice",
        )
    deleted = await apply_changes(
        empty_graph,
        db,
        BASE,
        [EntityStep("delete", "Committee", "sac-tc590", expected_version=1, detach=True)],
        "alice",
    )
    removal = deleted.changes[0]
    assert isinstance(removal, EntityChange)
    assert removal.op == "delete"
    assert len(removal.relationships) >= 5
    with pytest.raises(NotFoundError):
        await get_entity(empty_graph, db, "sac-tc590")

    restored = await revert(empty_graph, db, BASE, deleted.id, "bob")
    assert restored is not None
    assert restored.reverts == deleted.id
    assert {
        e.key for e, _ in await related(empty_graph, db, "sac-tc590", "DOMESTIC_COUNTERPART_OF")
    } == {"iso-tc307"}
    after = await snapshot(empty_graph, db)
    assert set(after["nodes"]) == set(before["nodes"])
    assert set(after["relationships"]) == set(before["relationships"])


async def test_replaying_the_log_rebuilds_the_graph(empty_graph: AsyncDriver, db: str) -> None:
    await apply_changes(empty_graph, db, BASE, [committee("test-tc3", "三", "Three")], "alice")
    await apply_changes(
        empty_graph, db, BASE,
        [
            EntityStep("update", "Committee", "test-tc3", {"prefLabel_zh": "叁", "note_en": "renamed"}, expected_version=1),
            LinkStep("link", "SUB_ORGANIZATION_OF", "test-tc3", "sac-tc28", {"sources": ["seed-plan"]}),
            LinkStep("unlink", "ABOUT", "sac-tc590", "concept-blockchain"),
        ],
        "bob",
    )  # fmt: skip
    update = (await history(empty_graph, db, "test-tc3"))[0]
    await revert(empty_graph, db, BASE, update.id, "carol")
    await apply_changes(
        empty_graph, db, BASE, [EntityStep("delete", "Committee", "tc28-sg4", detach=True)], "dave"
    )

    current = await snapshot(empty_graph, db)
    log = await log_after(empty_graph, db, 0, None, first=1_000_000)  # the whole log
    assert log is not None
    await clear_database(empty_graph, db)
    await replay(empty_graph, db, BASE, log)
    assert await snapshot(empty_graph, db) == current
