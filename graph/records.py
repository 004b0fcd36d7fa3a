"""Entities as the graph layer returns them: class, key, IRI and native Python values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ontology import ONTOLOGY, RESOURCE_LABEL
from ontology.model import ClassDef, label_languages


def native(value: Any) -> Any:
    """Driver temporal values → Python's (lists element-wise)."""
    if isinstance(value, list):
        return [native(v) for v in value]
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def native_tree(value: Any) -> Any:
    """`native` through nested maps and lists (projection results)."""
    if isinstance(value, dict):
        return {k: native_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native_tree(v) for v in value]
    return native(value)


@dataclass(frozen=True)
class Entity:
    cls: ClassDef
    key: str
    iri: str
    props: dict[str, Any]

    @classmethod
    def from_record(cls, labels: list[str], props: Mapping[str, Any]) -> Entity:
        class_name = next(label for label in labels if label != RESOURCE_LABEL)
        return cls(
            cls=ONTOLOGY.cls(class_name),
            key=str(props["key"]),
            iri=str(props.get("iri", "")),
            props={k: native(v) for k, v in props.items()},
        )

    def label(self, lang: str = "en") -> str:
        value = next(
            (
                self.props[f"prefLabel_{c}"]
                for c in label_languages(lang)
                if self.props.get(f"prefLabel_{c}")
            ),
            None,
        )
        return str(value or self.key)
