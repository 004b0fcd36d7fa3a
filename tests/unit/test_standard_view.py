from __future__ import annotations

from api.web.standard_view import is_current, stage_text


def test_the_publishers_word_on_current_comes_first() -> None:
    assert is_current({"inForce": True, "stageCode": "95.99"})
    assert not is_current({"inForce": False, "stageCode": "60.60"})


def test_without_it_a_published_edition_nothing_replaced_is_current() -> None:
    assert is_current({"stageCode": "60.60", "replacedBy": []})
    assert is_current({"stageCode": "90.93"})
    assert not is_current({"stageCode": "60.60", "replacedBy": [{"key": "x-2024"}]})
    assert not is_current({"stageCode": "60.60", "withdrawn": "2024-01"})
    assert not is_current({"stageCode": "40.20"})
    assert not is_current({"stageCode": None})


def test_stage_text_names_the_harmonized_stage_or_its_group() -> None:
    assert stage_text("60.60", "en") == "60.60 International Standard published"
    assert stage_text("60.60", "zh") == "60.60 国际标准已出版"
    assert stage_text("", "en") == ""
