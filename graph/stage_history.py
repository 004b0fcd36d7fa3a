"""A deliverable's stage history follows its edits: a change that sets a standard's or work
item's stage code also records the stage as reached that day (a StageEvent linked STAGE_OF),
in the same transaction, so the history needs no separate bookkeeping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from graph.changes import EntityStep, LinkStep, Step
from ontology import ONTOLOGY
from ontology.vocab import stage_value


def stage_event_key(key: str, code: str, day: dt.date) -> str:
    """One event per deliverable, stage and day: setting the same stage twice a day is one."""
    return f"{key}-stage-{code}-{day.isoformat()}"


def stage_event_steps(
    class_name: str,
    key: str,
    props: dict[str, Any],
    sources: Sequence[str],
    day: dt.date,
) -> list[Step]:
    """The steps recording the stage `props` sets on deliverable `key` (none when it sets none)."""
    code = props.get("stageCode")
    if class_name not in ONTOLOGY.relation("STAGE_OF").range or not isinstance(code, str):
        return []
    stage = stage_value(code)
    zh = f"{code} {stage.labels.zh}" if stage else code
    en = f"{code} {stage.labels.en}" if stage else code
    event = stage_event_key(key, code, day)
    cited = list(sources) or None
    event_props: dict[str, Any] = {
        "prefLabel_zh": f"{key} {zh}（{day.isoformat()}）",
        "prefLabel_en": f"{key} {en} ({day.isoformat()})",
        "stageCode": code,
        "reached": day.isoformat(),
        "sources": cited,
    }
    if isinstance(props.get("nativeStage"), str):
        event_props["nativeStage"] = props["nativeStage"]
    return [
        EntityStep("upsert", "StageEvent", event, event_props),
        LinkStep("link", "STAGE_OF", event, key, {"sources": cited}),
    ]
