"""Relevance rules: explicit, reviewable reasons why a catalogue item is about a metaverse
concept of the seed (see `relevance_rules.yaml`).

A rule names its concept and up to four kinds of condition — committees, ICS classes, terms per
language, designation patterns. An item matches when every kind the rule names holds for it
(any one value of each kind). Each link the rules make cites the rule as its source
(`src-rule-<key>`), so why an item is in scope is visible and removable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from loaders.relaton.designations import normalise

RULES_FILE = Path(__file__).with_name("relevance_rules.yaml")
SOURCE_PREFIX = "src-rule-"
_CJK = re.compile(r"[\u3000-\u9fff]")


@dataclass(frozen=True)
class Terms:
    """Terms of one language: a case-blind whole-word pattern, and the terms in lower case. Most
    titles and abstracts hold none of them, and a substring test (C speed) says so before the
    pattern — slow on long abstracts: it is tried at every position — runs at all."""

    pattern: re.Pattern[str]
    needles: tuple[str, ...]

    def search(self, text: str, lowered: str) -> bool:
        """Whether `text` (whose lower-case form is `lowered`) holds one of the terms."""
        return any(n in lowered for n in self.needles) and self.pattern.search(text) is not None


@dataclass(frozen=True)
class Rule:
    key: str
    concept: str
    label_zh: str
    label_en: str
    committees: tuple[str, ...] = ()  # normalised committee designations
    ics: tuple[str, ...] = ()
    terms: tuple[tuple[str, Terms], ...] = ()  # (language, its terms)
    designations: tuple[re.Pattern[str], ...] = ()

    @property
    def source_key(self) -> str:
        return f"{SOURCE_PREFIX}{self.key}"

    def citation(self) -> str:
        parts = []
        if self.committees:
            parts.append(f"committees {', '.join(self.committees)}")
        if self.ics:
            parts.append(f"ICS {', '.join(self.ics)}")
        if self.terms:
            parts.append(
                "terms " + "; ".join(f"{lang}: {t.pattern.pattern}" for lang, t in self.terms)
            )
        if self.designations:
            parts.append("designations " + ", ".join(p.pattern for p in self.designations))
        return f"MSKG relevance rule {self.key} → {self.concept}: " + " AND ".join(parts)


def _committee_form(designation: str) -> str:
    return normalise(designation).replace("STUDYGROUP", "SG")


def _terms(terms: list[str]) -> Terms:
    return Terms(_term_pattern(terms), tuple(t.strip().lower() for t in terms))


def _term_pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        escaped = re.escape(term.strip())
        # CJK text has no spaces between words: match the phrase anywhere.
        alternatives.append(escaped if _CJK.search(term) else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def load_rules(path: Path | None = None) -> list[Rule]:
    """The rules file, checked: every rule needs a key, a concept and at least one condition."""
    data: Any = yaml.safe_load((path or RULES_FILE).read_text(encoding="utf-8"))
    rules = []
    seen: set[str] = set()
    for index, item in enumerate(data.get("rules") or [], start=1):
        key, concept = item.get("key"), item.get("concept")
        if not key or not concept or key in seen:
            raise ValueError(f"relevance rule #{index}: needs a unique key and a concept")
        seen.add(key)
        label = item.get("label") or {}
        rule = Rule(
            key=str(key),
            concept=str(concept),
            label_zh=str(label.get("zh") or key),
            label_en=str(label.get("en") or key),
            committees=tuple(_committee_form(c) for c in item.get("committees") or []),
            ics=tuple(str(c) for c in item.get("ics") or []),
            terms=tuple(
                (str(lang), _terms([str(t) for t in terms]))
                for lang, terms in (item.get("terms") or {}).items()
                if terms
            ),
            designations=tuple(re.compile(str(p)) for p in item.get("designations") or []),
        )
        if not (rule.committees or rule.ics or rule.terms or rule.designations):
            raise ValueError(f"relevance rule {key}: names no condition")
        rules.append(rule)
    return rules


@dataclass(frozen=True)
class Item:
    """What the rules look at in one catalogue item."""

    designation: str
    committees: tuple[str, ...]  # full designations
    ics: tuple[str, ...]
    texts: dict[str, str]  # language → title and abstract
    lowered: dict[str, str] = field(init=False, repr=False, compare=False)  # in lower case

    def __post_init__(self) -> None:
        object.__setattr__(self, "lowered", {k: v.lower() for k, v in self.texts.items()})


def matches(rule: Rule, item: Item) -> bool:
    """Whether every kind of condition the rule names holds for the item."""
    own = [_committee_form(c) for c in item.committees]
    checks: tuple[tuple[tuple[object, ...], Callable[[], bool]], ...] = (
        (
            rule.committees,
            lambda: any(c == r or c.startswith(r + "/") for c in own for r in rule.committees),
        ),
        (
            rule.ics,
            lambda: any(c == r or c.startswith(r + ".") for c in item.ics for r in rule.ics),
        ),
        (
            rule.terms,
            lambda: any(
                lang in item.texts and t.search(item.texts[lang], item.lowered[lang])
                for lang, t in rule.terms
            ),
        ),
        (rule.designations, lambda: any(p.search(item.designation) for p in rule.designations)),
    )
    return all(test() for named, test in checks if named)


def relevant(rules: list[Rule], item: Item) -> list[Rule]:
    """The rules that link `item` to their concepts."""
    return [rule for rule in rules if matches(rule, item)]
