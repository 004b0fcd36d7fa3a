"""YAML that remembers where each mapping starts, so errors can name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LINE = "__line__"


# libyaml's parser when PyYAML was built with it (its wheels are): ~6x faster on the seed, and
# it reports the same marks.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    pass


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; every mapping gets its 1-based start line under `__line__`."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 -- a SafeLoader subclass
