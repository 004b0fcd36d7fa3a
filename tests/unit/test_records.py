from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from loaders.errors import Problem
from loaders.validation import Located, validate_entity, validate_relation
from ontology.records import entity_model, field_problems


def test_valid_committee_flattens_text_per_language() -> None:
    problems: list[Problem] = []
    record = validate_entity(
        Located(
            {
                "class": "Committee",
                "key": "sac-tc590",
                "prefLabel": {
                    "zh": "全国区块链和分布式记账技术标准化技术委员会",
                    "en": "National Blockchain TC",
                },
                "altLabel": {"en": ["SAC/TC590"]},
                "designation": "SAC/TC590",
                "committeeKind": "TC",
                "founded": dt.date(2021, 10, 29),
            },
            "x.yaml",
            3,
        ),
        problems,
    )
    assert problems == []
    assert record is not None
    assert record.props["prefLabel_zh"].startswith("全国区块链")
    assert record.props["altLabel_en"] == ["SAC/TC590"]
    assert record.props["altLabel_zh"] is None
    assert record.props["founded"] == "2021-10-29"  # a partial date keeps the precision given


def test_every_problem_is_reported_with_file_line_and_field() -> None:
    problems: list[Problem] = []
    record = validate_entity(
        Located(
            {"class": "Committee", "key": "Bad Key", "committeeKind": "TECHNICAL", "colour": "red"},
            "committees.yaml",
            42,
        ),
        problems,
    )
    assert record is None
    text = [str(p) for p in problems]
    assert any(t.startswith("committees.yaml:42: Committee Bad Key: key:") for t in text)
    assert any("prefLabel: is required" in t for t in text)
    assert any("committeeKind: must be one of" in t and "'TC'" in t for t in text)
    assert any("colour: is not a property of this class" in t for t in text)


def test_relation_edge_property_is_required() -> None:
    problems: list[Problem] = []
    rel = validate_relation(
        Located({"type": "ADOPTS", "from": "gb-x", "to": "iso-y"}, "s.yaml", 7), problems
    )
    assert rel is None
    assert [str(p) for p in problems] == ["s.yaml:7: ADOPTS gb-x -> iso-y: degree: is required"]


def test_unknown_class_and_type_are_named() -> None:
    problems: list[Problem] = []
    validate_entity(Located({"class": "Unicorn", "key": "u"}, "a.yaml", 1), problems)
    validate_relation(Located({"type": "LOVES", "from": "a", "to": "b"}, "a.yaml", 2), problems)
    assert "a.yaml:1: class: 'Unicorn' is not one of" in str(problems[0])
    assert str(problems[1]) == "a.yaml:2: type: 'LOVES' is not a relationship type"


def test_models_forbid_unknown_fields_and_check_patterns() -> None:
    model = entity_model("Standard")
    assert "stageCode" in model.model_fields
    assert "committeeKind" not in model.model_fields


def test_every_declaration_of_the_languages_agrees_with_the_ontology() -> None:
    # ontology.model derives LANGUAGES from its Lang type; the GraphQL ones are derived from
    # LANGUAGES (api/graphql/languages.py).
    from api.graphql.languages import Lang as GraphQLLang
    from api.graphql.languages import LangText, LangTextInput, LangTextList, LangTextListInput
    from ontology.model import LANGUAGES

    assert tuple(m.value for m in GraphQLLang) == LANGUAGES
    for cls in (LangText, LangTextList, LangTextInput, LangTextListInput):
        assert tuple(cls.__annotations__) == LANGUAGES, cls.__name__


def test_validation_problems_are_worded_once() -> None:
    """Loaders and GraphQL mutations both word pydantic's errors through field_problems."""
    data = {"key": "x", "committeeKind": "TECHNICAL", "colour": "red"}
    with pytest.raises(ValidationError) as caught:
        entity_model("Committee").model_validate(data)
    problems = {p.path: p.message for p in field_problems(caught.value)}
    assert problems["prefLabel"] == "is required"
    assert problems["committeeKind"].startswith("must be one of 'JTC', 'TC', ")
    assert problems["colour"] == "is not a property of this class"
