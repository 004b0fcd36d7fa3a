"""The edit forms are derived from the ontology: every declared property of every class gets a
field, vocabularies become choices, and a submitted form becomes a patch of what changed."""

from __future__ import annotations

import pytest

from api.web import forms
from ontology import ONTOLOGY
from ontology.model import LANGUAGES, ClassDef, Datatype


@pytest.mark.parametrize("cls", ONTOLOGY.classes, ids=lambda c: c.name)
def test_every_declared_property_has_a_field(cls: ClassDef) -> None:
    built = forms.build_form(cls, {}, {}, "en")
    declared = ONTOLOGY.class_properties(cls)
    expected = [p.name for p in declared if p.name not in ("key", "sources")]
    assert [f.prop.name for f in built] == expected
    for field in built:
        if field.prop.datatype is Datatype.TEXT:
            assert [w.lang for w in field.widgets] == list(
                LANGUAGES
            )  # every language, so none is lost on save
        if field.prop.enum is not None:
            values = ONTOLOGY.enum(field.prop.enum).names
            assert [c.value for c in field.widgets[0].choices] == ["", *values]


def test_a_submitted_form_becomes_a_patch_of_the_changes_only() -> None:
    cls = ONTOLOGY.cls("Standard")
    current = {
        "prefLabel": {"zh": "信息技术", "en": "IT"},
        "altLabel": None,
        "stageCode": "60.60",
        "edition": 1,
        "standardKind": "IS",
    }
    form = {
        "prefLabel.zh": "信息技术",
        "prefLabel.en": " Information technology ",
        "altLabel.zh": "",
        "altLabel.en": "ISO 1\n\nISO one\n",
        "stageCode": "60.60",
        "edition": "2",
        "standardKind": "IS",
    }
    values, errors = forms.submitted_values(cls, form, "en")
    assert errors == {}
    assert forms.changed(cls, current, values) == {
        "prefLabel": {"zh": "信息技术", "en": "Information technology"},
        "altLabel": {"en": ["ISO 1", "ISO one"]},
        "edition": 2,
    }


def test_clearing_a_value_sends_null_and_bad_numbers_are_caught_locally() -> None:
    cls = ONTOLOGY.cls("Standard")
    values, errors = forms.submitted_values(cls, {"stageCode": "", "edition": "two"}, "zh")
    assert errors == {"edition": ["应为整数"]}
    assert forms.changed(cls, {"stageCode": "60.60"}, values)["stageCode"] is None


def test_api_field_errors_are_placed_by_property() -> None:
    extensions = {
        "fieldErrors": [
            {"path": "patch.stageCode", "message": "String should match pattern"},
            {"path": "patch.prefLabel.zh", "message": "too long"},
            {"path": "sources.0", "message": "give a `key` or a `url`"},
        ]
    }
    assert forms.field_errors(extensions) == {
        "stageCode": ["String should match pattern"],
        "prefLabel": ["too long"],
        "_": ["give a `key` or a `url`"],
    }


def test_text_in_other_languages_survives_a_save() -> None:
    cls = ONTOLOGY.cls("Committee")
    values, errors = forms.submitted_values(
        cls,
        {"prefLabel.zh": "信标委", "prefLabel.en": "TC 28", "prefLabel.fr": "CT 28"},
        "en",
    )
    assert errors == {}
    assert values["prefLabel"] == {
        "zh": "信标委", "en": "TC 28", "fr": "CT 28", "ru": None, "es": None, "ar": None
    }  # fmt: skip
