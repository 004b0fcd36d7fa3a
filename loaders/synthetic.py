"""A deterministic synthetic corpus for benchmarks: the shape of a real catalogue, at any scale.

`generate(scale=N, seed=S)` writes CSV files in the tabular importer's columns (so the same files
feed `mskg load csv` and the benchmark's plain UNWIND-MERGE baseline): a concept tree, a
committee hierarchy (international TCs/SCs/WGs and their domestic mirrors), liaison officers, liaisons
between committees, N standards (domestic and international, with stages, subjects, references,
revisions and parts), adoptions of international standards by domestic ones with IDT/MOD/NEQ,
and liaison statements with reply chains. The same (N, S) always gives byte-identical files.

At N = 200,000 the corpus holds about 1,000,000 relationships.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Load order: every file refers only to keys of earlier files (or of its own).
KINDS: tuple[tuple[str, str], ...] = (
    ("concepts", "concepts.csv"),
    ("committees", "committees.csv"),
    ("persons", "persons.csv"),
    ("liaisons", "liaisons.csv"),
    ("standards", "standards.csv"),
    ("adoptions", "adoptions.csv"),
    ("statements", "statements.csv"),
)

_INTERNATIONAL = (
    ("IS", "ISO/IEC {n}", "Information technology — {topic} — Part {p}"),
    ("TS", "ISO/IEC TS {n}", "Information technology — {topic} — Specification {p}"),
    ("TR", "ISO/IEC TR {n}", "Information technology — {topic} — Report {p}"),
    ("ITU_T_RECOMMENDATION", "ITU-T H.{n}", "{topic}: requirements, part {p}"),
    ("IEEE_STANDARD", "IEEE {n}", "Standard for {topic}, part {p}"),
)
_DOMESTIC = (
    ("GB_T", "GB/T {n}", "信息技术 {topic_zh} 第{p}部分"),
    ("SJ_T", "SJ/T {n}", "{topic_zh} 技术要求 第{p}部分"),
    ("YD_T", "YD/T {n}", "{topic_zh} 通信要求 第{p}部分"),
    ("GROUP_STANDARD", "T/CESA {n}", "{topic_zh} 团体标准 第{p}部分"),
)
_TOPICS = (
    ("virtual reality", "虚拟现实"),
    ("augmented reality", "增强现实"),
    ("digital twins", "数字孪生"),
    ("3D graphics", "三维图形"),
    ("spatial computing", "空间计算"),
    ("digital humans", "数字人"),
    ("blockchain", "区块链"),
    ("haptics", "触觉交互"),
    ("immersive media", "沉浸式媒体"),
    ("metaverse identity", "元宇宙身份"),
    ("virtual economy", "虚拟经济"),
    ("content security", "内容安全"),
)
_STAGES = ("00.00", "10.99", "20.00", "30.99", "40.20", "50.00", "60.00", "60.60", "90.93", "95.99")
_DEGREES = ("IDT", "IDT", "MOD", "MOD", "NEQ")
_CATEGORIES = (
    "ISO_IEC_A",
    "ISO_IEC_B",
    "INTERNAL",
    "ITU_T",
    "IEEE",
    "PSDO",
    "DOMESTIC_COORDINATION",
)
_PURPOSES = ("FOR_ACTION", "FOR_COMMENT", "FOR_INFORMATION")


@dataclass(frozen=True)
class Corpus:
    """What `generate` wrote: each kind's file and row count, and the relationships in all."""

    directory: Path
    rows: dict[str, int]
    relationships: int

    def path(self, kind: str) -> Path:
        return self.directory / dict(KINDS)[kind]


@dataclass(frozen=True)
class Sizes:
    concepts: int
    international_tcs: int
    committees: int
    persons: int
    liaisons: int
    standards: int
    statements: int

    @classmethod
    def at(cls, scale: int) -> Sizes:
        committees = max(40, scale // 100)
        liaisons = 2 * committees
        return cls(
            concepts=max(24, scale // 500),
            international_tcs=max(4, committees // 40),
            committees=committees,
            persons=committees,
            liaisons=liaisons,
            standards=scale,
            statements=3 * liaisons,
        )


class _Writer:
    def __init__(self, path: Path, columns: list[str]) -> None:
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.handle, fieldnames=columns, lineterminator="\n")
        self.csv.writeheader()
        self.rows = 0
        self.relationships = 0

    def row(self, values: dict[str, str], relationships: int) -> None:
        self.csv.writerow(values)
        self.rows += 1
        self.relationships += relationships

    def close(self) -> None:
        self.handle.close()


def _keys(values: list[str]) -> str:
    return ";".join(values)


def generate(
    directory: Path,
    scale: int,
    seed: int = 1,
    on_rows: Callable[[int], None] | None = None,
) -> Corpus:
    """Write the corpus for `scale` standards into `directory` (created if missing)."""
    if scale < 1:
        raise ValueError("--scale must be at least 1 (the number of standards)")
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    sizes = Sizes.at(scale)
    rows: dict[str, int] = {}
    relationships = 0

    def done(kind: str, writer: _Writer) -> None:
        nonlocal relationships
        writer.close()
        rows[kind] = writer.rows
        relationships += writer.relationships
        if on_rows is not None:
            on_rows(writer.rows)

    for kind, writer in _write_all(directory, rng, sizes):
        done(kind, writer)
    return Corpus(directory, rows, relationships)


def _write_all(directory: Path, rng: random.Random, sizes: Sizes) -> Iterator[tuple[str, _Writer]]:
    files = dict(KINDS)

    # -- concepts: twelve topics, each a small tree --------------------------------------------
    concepts = _Writer(
        directory / files["concepts"],
        ["key", "prefLabel_zh", "prefLabel_en", "conceptKind", "broader"],
    )
    concept_keys: list[str] = []
    concept_topic: dict[str, int] = {}
    for i in range(sizes.concepts):
        topic = i % len(_TOPICS)
        en, zh = _TOPICS[topic]
        key = f"syn-concept-{i:05d}"
        broader = [] if i < len(_TOPICS) else [concept_keys[topic]]
        concepts.row(
            {
                "key": key,
                "prefLabel_zh": zh if not broader else f"{zh}·子题{i}",
                "prefLabel_en": en if not broader else f"{en} subtopic {i}",
                "conceptKind": "TOPIC" if not broader else "TECHNOLOGY",
                "broader": _keys(broader),
            },
            len(broader),
        )
        concept_keys.append(key)
        concept_topic[key] = topic
    yield "concepts", concepts

    # -- committees: international TCs → SCs → WGs, and domestic mirrors of the SCs ------------
    committees = _Writer(
        directory / files["committees"],
        [
            "key",
            "prefLabel_zh",
            "prefLabel_en",
            "designation",
            "committeeKind",
            "status",
            "parents",
            "subjects",
            "counterpartOf",
        ],
    )
    international: list[str] = []
    domestic: list[str] = []
    per_tc = max(1, (sizes.committees // 2 - sizes.international_tcs) // sizes.international_tcs)
    scs: list[str] = []
    for t in range(sizes.international_tcs):
        tc = f"syn-iso-tc-{t:03d}"
        committees.row(
            {
                "key": tc,
                "prefLabel_zh": f"国际标准化组织第{900 + t}技术委员会",
                "prefLabel_en": f"ISO/TC {900 + t}",
                "designation": f"ISO/TC {900 + t}",
                "committeeKind": "TC",
                "status": "ACTIVE",
                "parents": "",
                "subjects": "",
                "counterpartOf": "",
            },
            0,
        )
        international.append(tc)
        for s in range(per_tc):
            kind = "SC" if s % 3 == 0 else "WG"
            key = f"syn-iso-tc-{t:03d}-{kind.lower()}-{s:03d}"
            subject = rng.sample(concept_keys, 2)
            committees.row(
                {
                    "key": key,
                    "prefLabel_zh": f"ISO/TC {900 + t}/{kind} {s + 1}",
                    "prefLabel_en": f"ISO/TC {900 + t}/{kind} {s + 1}",
                    "designation": f"ISO/TC {900 + t}/{kind} {s + 1}",
                    "committeeKind": kind,
                    "status": "ACTIVE",
                    "parents": tc,
                    "subjects": _keys(subject),
                    "counterpartOf": "",
                },
                3,
            )
            international.append(key)
            if kind == "SC":
                scs.append(key)
    mirrors = sizes.committees - len(international)
    for m in range(max(1, mirrors)):
        key = f"syn-sac-tc-{m:04d}"
        mirrored = scs[m % len(scs)] if scs else international[m % len(international)]
        parent = [] if m < 20 else [domestic[m % 20]]
        subject = rng.sample(concept_keys, 2)
        committees.row(
            {
                "key": key,
                "prefLabel_zh": f"全国第{m + 100}标准化技术委员会",
                "prefLabel_en": f"SAC/TC {m + 100}",
                "designation": f"SAC/TC {m + 100}",
                "committeeKind": "TC" if not parent else "SC",
                "status": "ACTIVE",
                "parents": _keys(parent),
                "subjects": _keys(subject),
                "counterpartOf": f"{mirrored}|evidence=STATED" if m % 2 == 0 else "",
            },
            len(parent) + 2 + (1 if m % 2 == 0 else 0),
        )
        domestic.append(key)
    yield "committees", committees
    all_committees = international + domestic

    # -- persons: one liaison officer per committee --------------------------------------------
    persons = _Writer(
        directory / files["persons"], ["key", "prefLabel_zh", "prefLabel_en", "email", "memberOf"]
    )
    person_keys: list[str] = []
    for p, committee in enumerate(all_committees):
        key = f"syn-person-{p:05d}"
        persons.row(
            {
                "key": key,
                "prefLabel_zh": f"联络员{p}",
                "prefLabel_en": f"Liaison officer {p}",
                "email": f"officer{p}@example.org",
                "memberOf": committee,
            },
            1,
        )
        person_keys.append(key)
    yield "persons", persons

    # -- liaisons between committees ---------------------------------------------------------
    liaisons = _Writer(
        directory / files["liaisons"],
        [
            "key",
            "prefLabel_zh",
            "prefLabel_en",
            "category",
            "liaisonStatus",
            "since",
            "holder",
            "partner",
            "contacts",
        ],
    )
    liaison_pairs: list[tuple[str, str, str]] = []
    for i in range(sizes.liaisons):
        holder_index = rng.randrange(len(all_committees))
        partner_index = (holder_index + 1 + rng.randrange(len(all_committees) - 1)) % len(
            all_committees
        )
        holder, partner = all_committees[holder_index], all_committees[partner_index]
        key = f"syn-liaison-{i:05d}"
        contacts = [
            f"{person_keys[holder_index]}|side=OWN",
            f"{person_keys[partner_index]}|side=PARTNER",
        ]
        liaisons.row(
            {
                "key": key,
                "prefLabel_zh": f"联络关系{i}",
                "prefLabel_en": f"Liaison {i}",
                "category": _CATEGORIES[i % len(_CATEGORIES)],
                "liaisonStatus": "ACTIVE",
                "since": f"{2010 + i % 15}-{1 + i % 12:02d}",
                "holder": holder,
                "partner": partner,
                "contacts": _keys(contacts),
            },
            4,
        )
        liaison_pairs.append((key, holder, partner))
    yield "liaisons", liaisons

    # -- standards ---------------------------------------------------------------------------
    standards = _Writer(
        directory / files["standards"],
        [
            "key",
            "prefLabel_zh",
            "prefLabel_en",
            "designation",
            "standardKind",
            "stageCode",
            "issued",
            "edition",
            "developedBy",
            "subjects",
            "references",
            "revises",
            "partOf",
        ],
    )
    intl_keys: list[str] = []
    dom_keys: list[str] = []
    for n in range(sizes.standards):
        is_domestic = n % 2 == 1
        concept = rng.choice(concept_keys)
        topic_en, topic_zh = _TOPICS[concept_topic[concept]]
        part = 1 + n % 9
        if is_domestic:
            kind, designation, title = _DOMESTIC[n % len(_DOMESTIC)]
            developer = domestic[rng.randrange(len(domestic))]
            number = 40000 + n // 2
        else:
            kind, designation, title = _INTERNATIONAL[n % len(_INTERNATIONAL)]
            developer = international[rng.randrange(len(international))]
            number = 20000 + n // 2
        key = f"syn-std-{n:07d}"
        year = 2000 + n % 26
        text = title.format(topic=topic_en, topic_zh=topic_zh, p=part)
        subjects = sorted({concept, *rng.sample(concept_keys, 1 + n % 3)})
        own = dom_keys if is_domestic else intl_keys
        references = rng.sample(own, min(len(own), n % 3)) if own else []
        revises = [own[-1]] if own and n % 20 == 0 else []
        part_of = [own[-2]] if len(own) > 1 and n % 10 == 5 else []
        standards.row(
            {
                "key": key,
                "prefLabel_zh": text if is_domestic else f"信息技术 {topic_zh} 第{part}部分",
                "prefLabel_en": text
                if not is_domestic
                else f"Information technology — {topic_en} — Part {part}",
                "designation": f"{designation.format(n=number)}-{year}",
                "standardKind": kind,
                "stageCode": _STAGES[n % len(_STAGES)],
                "issued": f"{year}-{1 + n % 12:02d}",
                "edition": str(1 + n % 3),
                "developedBy": developer,
                "subjects": _keys(subjects),
                "references": _keys(sorted(references)),
                "revises": _keys(revises),
                "partOf": _keys(part_of),
            },
            1 + len(subjects) + len(references) + len(revises) + len(part_of),
        )
        own.append(key)
    yield "standards", standards

    # -- adoptions: about two in five domestic standards adopt an international one ----------
    adoptions = _Writer(directory / files["adoptions"], ["from", "to", "degree", "note_en"])
    for i, key in enumerate(dom_keys):
        if intl_keys and i % 5 < 2:
            adoptions.row(
                {
                    "from": key,
                    "to": intl_keys[rng.randrange(len(intl_keys))],
                    "degree": _DEGREES[(i // 5) % len(_DEGREES)],
                    "note_en": "",
                },
                1,
            )
    yield "adoptions", adoptions

    # -- liaison statements: three per liaison, the later ones replying to the first --------
    statements = _Writer(
        directory / files["statements"],
        [
            "key",
            "prefLabel_zh",
            "prefLabel_en",
            "identifiers",
            "issued",
            "state",
            "direction",
            "purpose",
            "replyStatus",
            "deadline",
            "from",
            "to",
            "inResponseTo",
            "liaison",
        ],
    )
    for i, (liaison, holder, partner) in enumerate(liaison_pairs):
        first = f"syn-ls-{i:05d}-1"
        for j in range(3):
            key = f"syn-ls-{i:05d}-{j + 1}"
            outgoing = j != 1
            purpose = "IN_RESPONSE" if j else _PURPOSES[i % len(_PURPOSES)]
            awaiting = j == 0 and purpose == "FOR_ACTION"
            month = 1 + (i + j) % 12
            statements.row(
                {
                    "key": key,
                    "prefLabel_zh": f"联络函{i}-{j + 1}",
                    "prefLabel_en": f"Liaison statement {i}-{j + 1}",
                    "identifiers": f"LS-{2020 + i % 7}-{i:05d}-{j + 1}",
                    "issued": f"{2020 + i % 7}-{month:02d}-{1 + i % 28:02d}",
                    "state": "POSTED" if outgoing else "RECEIVED",
                    "direction": "OUTGOING" if outgoing else "INCOMING",
                    "purpose": purpose,
                    "replyStatus": "AWAITING" if awaiting else "NOT_REQUIRED",
                    "deadline": f"{2021 + i % 7}-{month:02d}-15" if awaiting else "",
                    "from": holder if outgoing else partner,
                    "to": f"{partner if outgoing else holder}|purpose={purpose}",
                    "inResponseTo": first if j else "",
                    "liaison": liaison,
                },
                3 + (1 if j else 0),
            )
    yield "statements", statements
