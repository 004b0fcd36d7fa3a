"""YAML mappings carry the line they start on, whichever parser PyYAML was built with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from loaders.yaml_source import LINE, load_yaml


def test_every_mapping_records_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "entities:\n  - class: Committee\n    key: a\n\n  - class: Concept\n    key: b\n"
        "    prefLabel: {zh: 元宇宙, en: Metaverse}\n",
        encoding="utf-8",
    )
    data = load_yaml(path)
    assert data[LINE] == 1
    first, second = data["entities"]
    assert (first["key"], first[LINE]) == ("a", 2)
    assert (second["key"], second[LINE]) == ("b", 5)
    assert second["prefLabel"] == {"zh": "元宇宙", "en": "Metaverse", LINE: 7}


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [unclosed\nc: 3\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml(path)
    error = caught.value
    assert isinstance(error, yaml.MarkedYAMLError)
    assert error.context_mark is not None
    assert error.problem_mark is not None
    # The flow sequence opened on line 2 is found unclosed on line 3.
    assert (error.context_mark.line + 1, error.problem_mark.line + 1) == (2, 3)
