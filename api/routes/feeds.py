"""iCalendar feeds: a committee's liaison-statement deadlines, for calendar subscriptions."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from icalendar import Calendar, Event

from api.deps import StateDep
from graph import statements
from graph.entities import get_entity
from graph.errors import NotFoundError

router = APIRouter(tags=["feeds"])


@router.get(
    "/feeds/committee/{key}/deadlines.ics",
    summary="Deadlines of liaison statements awaiting this body's action (iCalendar)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 404: {"description": "Unknown key"}},
)
async def committee_deadlines(key: str, state: StateDep) -> Response:
    db = state.connection.database
    try:
        body = await get_entity(state.driver, db, key)
        items = await statements.deadlines(state.driver, db, key)
    except NotFoundError as exc:
        raise HTTPException(
            404, detail={"code": "NOT_FOUND", "message": f"no body with key {key!r}"}
        ) from exc
    calendar = Calendar()
    calendar.add("prodid", "-//MSKG//Liaison statement deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{body.label('en')} — liaison deadlines")
    for item in items:
        event = Event()
        # Stable across refreshes, so calendars update an event instead of duplicating it.
        event.add("uid", f"{item['key']}@mskg")
        title = item["en"] or item["zh"] or item["key"]
        numbers = ", ".join(item["identifiers"] or [])
        event.add("summary", f"Reply due: {title}" + (f" ({numbers})" if numbers else ""))
        deadline: dt.date = item["deadline"]
        event.add("dtstart", deadline)
        event.add("dtend", deadline + dt.timedelta(days=1))
        event.add("dtstamp", item["updated"] or dt.datetime.now(dt.UTC))
        description = [
            f"From: {', '.join(item['senders'])}" if item["senders"] else "",
            item["zh"] or "",
        ]
        event.add("description", "\n".join(d for d in description if d))
        if item["iri"]:
            event.add("url", item["iri"])
        calendar.add_component(event)
    return Response(
        content=calendar.to_ical(),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{key}-deadlines.ics"'},
    )
