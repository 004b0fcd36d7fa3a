"""Spreadsheet cells are text: numbers and booleans are read as their property's type, and a
cell that does not parse is reported with its line and field."""

from __future__ import annotations

from pathlib import Path

from loaders.tabular import KINDS, parse
from ontology import ONTOLOGY


def test_numeric_cells_become_numbers_and_bad_ones_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text(
        "key,prefLabel_zh,prefLabel_en,progress\n"
        "wi-a,项目甲,Item A,37.5\n"
        "wi-b,项目乙,Item B,half\n"
        "wi-c,项目丙,Item C,101\n",
        encoding="utf-8",
    )
    parsed = parse(path, "workitems")
    assert [(e.key, e.props["progress"]) for e in parsed.entities] == [("wi-a", 37.5)]
    problems = [str(p) for p in parsed.problems]
    assert len(problems) == 2
    assert problems[0].startswith("items.csv:3:")
    assert "progress" in problems[0]
    assert problems[1].startswith("items.csv:4:")
    assert "less than or equal to 100" in problems[1]


def test_integer_cells(tmp_path: Path) -> None:
    path = tmp_path / "standards.csv"
    path.write_text(
        "key,prefLabel_zh,prefLabel_en,edition\ns-a,标准甲,Standard A,2\ns-b,标准乙,Standard B,2.5\n",
        encoding="utf-8",
    )
    parsed = parse(path, "standards")
    assert [(e.key, e.props["edition"]) for e in parsed.entities] == [("s-a", 2)]
    assert "edition" in str(parsed.problems[0])


def test_every_class_has_a_kind() -> None:
    assert {name for name in KINDS.values() if name} == {c.name for c in ONTOLOGY.classes}
    assert KINDS["plan-items"] == "PlanItem"
    assert KINDS["workitems"] == KINDS["work-items"] == "WorkItem"


def test_plan_items_parse_with_their_enum_and_links(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "key,prefLabel_zh,prefLabel_en,planKind,statedIn\n"
        "pi-a,任务甲,Task A,WORK_PLAN,doc-a\n"
        "pi-b,任务乙,Task B,NOT_A_KIND,\n",
        encoding="utf-8",
    )
    parsed = parse(path, "plan-items")
    assert [(e.cls.name, e.key) for e in parsed.entities] == [("PlanItem", "pi-a")]
    assert [(r.type, r.start, r.end) for r in parsed.relations] == [("STATED_IN", "pi-a", "doc-a")]
    assert parsed.bad_lines == {3}
    assert "planKind" in str(parsed.problems[0])
