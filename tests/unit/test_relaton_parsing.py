"""Pure parts of the Relaton import: both schema generations read into one shape, designations
understood as the publishers number them, committees normalised, relevance rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.relaton.designations import (
    committee_designation,
    committee_parent,
    committee_slug,
    normalise,
    normalise_committee,
    related_designation,
    slug,
    structure,
)
from loaders.relaton.record import RecordError, parse_yaml, read_record
from loaders.relaton.relevance import Item, load_rules, relevant

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "relaton"


def _record(path: str):  # type: ignore[no-untyped-def]
    return read_record(parse_yaml((FIXTURES / path).read_bytes()))


def test_schema_v1_2_record() -> None:
    record = _record("iso/iso-iec-23005-1-2020.yaml")
    assert record.schema == "v1.2.9"
    assert record.designation == "ISO/IEC 23005-1:2020"
    assert record.id_type == "ISO"
    assert set(record.titles) == {"en", "fr"}
    assert record.titles["en"] == "Information technology - Media context and control - Part 1: Architecture"  # fmt: skip
    assert (record.stage, record.substage) == ("60", "60")
    assert record.committees == [
        ("ISO/IEC JTC 1/SC 29", "Coding of audio, picture, multimedia and hypermedia information")
    ]
    assert record.ics == [("35.040.40", "Coding of audio, video, multimedia and hypermedia information")]  # fmt: skip
    assert record.dates == {"published": "2020-09"}
    assert record.urn == "urn:iso:std:iso-iec:23005:-1:stage-60.60"
    assert record.page == "https://www.iso.org/standard/73581.html"
    assert [(r.type, r.designation) for r in record.relations] == [("obsoletes", "ISO/IEC 23005-1:2016")]  # fmt: skip


def test_schema_v1_5_record() -> None:
    record = _record("itu/itu-t-y-4515-06-2026.yaml")
    assert record.schema == "v1.5.6"
    assert record.designation == "ITU-T Y.4515 (06/2026)"
    assert record.stage == "Published"
    assert record.committees == [("ITU-T Study Group 20", None)]
    assert record.committee_body == "ITU-T"
    assert record.dates == {"published": "2026-06-29"}
    assert record.page == "https://www.itu.int/rec/T-REC-Y.4515-202606-I"
    assert {r.type for r in record.relations} == {"complementOf"}


def test_urns_with_spaces_are_percent_encoded() -> None:
    text = b"docid:\n- id: IEC ACEE 01:2018\n  type: IEC\n  primary: true\n- id: 'urn:iec:std:iec:ACEE 01:2018-07:misc::'\n  type: URN\n"
    assert read_record(parse_yaml(text)).urn == "urn:iec:std:iec:ACEE%2001:2018-07:misc::"


def test_ieee_record_unescapes_entities_and_reads_identifiers() -> None:
    record = _record("ieee/ISO_IEC_IEEE_CD_P26515_D-1-2017.yaml")
    assert record.committees[0][0].startswith("Software & Systems Engineering")
    ieee = _record("ieee/IEEE_2888.1-2023.yaml")
    assert ieee.designation == "IEEE 2888.1-2023"  # not the trademark-scoped spelling
    assert ieee.doi == "10.1109/IEEESTD.2024.10384624"
    assert ieee.isbns == ["979-8-8557-0301-6"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (b"- a list\n", "(file)"),
        (b"docid: []\n", "docid"),
        (
            b"docid:\n- id: X 1\n  primary: true\ndate:\n- type: published\n  value: soon\n",
            "date.published",
        ),
        (b"docid:\n- id: X 1\n  primary: true\ntitle: 5\n", "title"),
        (b"\xff\xfe", "(file)"),
    ],
)
def test_bad_records_name_the_field(text: bytes, field: str) -> None:
    with pytest.raises(RecordError) as caught:
        read_record(parse_yaml(text))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("designation", "catalogue", "level", "work", "series", "base"),
    [
        ("ISO/IEC 23005-1:2020", "iso", "EDITION", "ISO/IEC 23005-1", "ISO/IEC 23005", None),
        ("ISO/IEC DIS 23090-14", "iso", "DRAFT", "ISO/IEC 23090-14", "ISO/IEC 23090", None),
        ("ISO/CD 17601", "iso", "DRAFT", "ISO 17601", None, None),
        ("ISO/TS 10303-1750:2010", "iso", "EDITION", "ISO/TS 10303-1750", "ISO/TS 10303", None),
        (
            "ISO/IEC 23005-3:2013/Cor 1:2013",
            "iso",
            "CORRIGENDUM",
            None,
            None,
            "ISO/IEC 23005-3:2013",
        ),
        ("IEC 60117-3:1963/AMD2:1972", "iec", "AMENDMENT", None, None, "IEC 60117-3:1963"),
        ("IEC TR 63614-3:2026", "iec", "EDITION", "IEC TR 63614-3", "IEC TR 63614", None),
        ("ITU-T H.872 (10/2024)", "itu", "EDITION", "ITU-T H.872", None, None),
        ("ITU-T H.870 (V2) (03/2022)", "itu", "EDITION", "ITU-T H.870", None, None),
        ("ITU-T H.870 (2018) Err. 1 (03/2019)", "itu", "CORRIGENDUM", None, None, "ITU-T H.870"),
        ("ITU-T H.222.0 (1995) Amd. 3 (02/1998)", "itu", "AMENDMENT", None, None, "ITU-T H.222.0"),
        ("ITU-R BT.2140-14", "itu", "EDITION", "ITU-R BT.2140", None, None),
        ("IEEE 2888.1-2023", "ieee", "EDITION", "IEEE 2888.1", "IEEE 2888", None),
        ("IEEE P2888.1/D-02-2023-08", "ieee", "DRAFT", "IEEE 2888.1", "IEEE 2888", None),
        ("IEEE 1023-2004 Redline", "ieee", "SUPPLEMENT", None, None, "IEEE 1023-2004"),
    ],
)
def test_structure_from_designations(
    designation: str, catalogue: str, level: str, work: str | None, series: str | None, base: str | None
) -> None:  # fmt: skip
    shape = structure(designation, catalogue)
    assert (shape.level, shape.work, shape.series, shape.base) == (level, work, series, base)


def test_designations_normalise_spacing_dashes_and_study_groups() -> None:
    assert normalise("ISO/IEC  23005‐1:2020") == normalise("iso/iec 23005-1:2020")
    assert normalise_committee("IEC/TC 83") == normalise_committee("IEC TC 83")
    assert normalise_committee("ITU-T Study Group 21") == normalise_committee("ITU-T SG21")
    assert slug("ISO/IEC 23005-1:2020") == "iso-iec-23005-1-2020"
    assert slug("IEEE 2888.1™-2023") == "ieee-2888.1-2023"
    assert committee_slug("ISO/IEC JTC 1/SC 29") == "iso-iec-jtc1-sc29"
    assert committee_slug("ITU-T Study Group 21") == "itu-t-sg21"


def test_committees_get_their_body_and_parent() -> None:
    assert committee_designation("TC 86/SC 86B", "iec", None) == "IEC TC 86/SC 86B"
    assert committee_designation("ISO/IEC JTC 1/SC 29", "iec", None) == "ISO/IEC JTC 1/SC 29"
    assert committee_parent("IEC TC 86/SC 86B", "iec") == "IEC TC 86"
    assert committee_parent("ISO/IEC JTC 1/SC 29", "iso") == "ISO/IEC JTC 1"
    assert committee_parent("ISO/IEC JTC 1", "iso") is None
    assert committee_parent("ISO/TC 184", "iso") is None
    assert related_designation("H.100 (11/1988)", "ITU-T H.100 (10/1984)", "itu") == "ITU-T H.100 (11/1988)"  # fmt: skip


def test_relevance_rules_need_every_named_kind_of_condition() -> None:
    rules = {r.key: r for r in load_rules()}
    sg21 = Item("ITU-T H.872 (10/2024)", ("ITU-T Study Group 21",), (), {"en": "Metaverse"})
    assert rules["metaverse-study-group"] in relevant([rules["metaverse-study-group"]], sg21)
    other = Item("ITU-T H.264 (08/2021)", ("ITU-T Study Group 21",), (), {})
    assert relevant([rules["metaverse-study-group"]], other) == []
    french = Item("X 1", (), (), {"fr": "Réalité virtuelle et métavers"})
    assert {r.key for r in relevant(list(rules.values()), french)} == {
        "metaverse-terms",
        "virtual-reality-terms",
    }
    chinese = Item("X 2", (), (), {"zh": "工业元宇宙参考架构"})
    assert [r.key for r in relevant(list(rules.values()), chinese)] == ["metaverse-terms"]
    english_only = Item("X 3", (), (), {"fr": "metaverse"})  # an English term in French text
    assert relevant(list(rules.values()), english_only) == []
    sc24_wg = Item("X 4", ("ISO/IEC JTC 1/SC 24/WG 9",), (), {})
    assert [r.key for r in relevant(list(rules.values()), sc24_wg)] == ["mpeg-v-and-mar-committee"]
    sc2 = Item("X 5", ("ISO/IEC JTC 1/SC 2",), (), {})
    assert relevant(list(rules.values()), sc2) == []
