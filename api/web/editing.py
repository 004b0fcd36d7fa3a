"""Editing for signed-in users: the ontology-derived form, the API's validation messages beside
the fields, conflicts shown as the other person's change against the user's values, and the
review of proposals. Every write is a GraphQL mutation run with the signed-in account, so the
API decides who may do what (a contributor's edit becomes a proposal)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from api.web import forms, operations
from api.web.browse import failed
from api.web.gql import execute
from api.web.i18n import Lang, request_lang, word
from api.web.render import link, page
from api.web.session import CSRF_FIELD, csrf_ok, signed_in
from graph.accounts import Account
from ontology import ONTOLOGY
from ontology.model import ClassDef

router = APIRouter(include_in_schema=False)


def _plain(form: FormData) -> dict[str, str]:
    return {name: value for name, value in form.items() if isinstance(value, str)}


def _sign_in_first(request: Request) -> RedirectResponse:
    lang = request_lang(request)
    return RedirectResponse(link("/signin", lang, next=request.url.path), status_code=303)


def _expired(request: Request, account: Account | None) -> HTMLResponse:
    return page(
        request,
        "message.html",
        account,
        status_code=403,
        message=word("csrf_failed", request_lang(request)),
    )


async def _current(
    request: Request, account: Account, key: str
) -> tuple[ClassDef, dict[str, Any]] | Response:
    lang = request_lang(request)
    result = await execute(
        request, account, operations.entity_values_query(), {"key": key, "lang": lang.upper()}
    )
    if result.errors:
        return failed(request, account, result)
    found = result.data["entity"]
    if found is None:
        return page(request, "not_found.html", account, status_code=404, key=key)
    return ONTOLOGY.cls(found["__typename"]), found


def _form_page(
    request: Request,
    account: Account,
    cls: ClassDef,
    entity: dict[str, Any],
    values: dict[str, Any],
    version: int,
    errors: dict[str, list[str]],
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    lang = request_lang(request)
    return page(
        request,
        "edit.html",
        account,
        status_code=status_code,
        cls=cls,
        entity=entity,
        fields=forms.build_form(cls, values, errors, lang),
        version=version,
        general_errors=errors.get("_", []),
        **extra,
    )


@router.get("/entity/{key}/edit", response_class=HTMLResponse)
async def edit_form(request: Request, key: str) -> Response:
    account = await signed_in(request)
    if account is None:
        return _sign_in_first(request)
    loaded = await _current(request, account, key)
    if isinstance(loaded, Response):
        return loaded
    cls, entity = loaded
    return _form_page(request, account, cls, entity, entity, entity["version"] or 0, {})


async def _their_changes(
    request: Request, account: Account, key: str, since: int
) -> list[dict[str, Any]]:
    """The revisions that moved the entity past the version the user edited."""
    result = await execute(request, account, operations.HISTORY, {"key": key})
    return [
        rev
        for rev in result.data.get("history", [])
        if any(
            c["key"] == key and c["kind"] == "entity" and (c["version"] or 0) > since
            for c in rev["changes"]
        )
    ]


@router.post("/entity/{key}/edit", response_class=HTMLResponse)
async def save(request: Request, key: str) -> Response:
    account = await signed_in(request)
    if account is None:
        return _sign_in_first(request)
    form = _plain(await request.form())
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _expired(request, account)
    lang = request_lang(request)
    loaded = await _current(request, account, key)
    if isinstance(loaded, Response):
        return loaded
    cls, current = loaded
    try:
        version = int(form.get("version", ""))
    except ValueError:
        version = current["version"] or 0
    submitted, errors = forms.submitted_values(cls, form, lang)
    if errors:
        return _form_page(request, account, cls, current, submitted, version, errors, 422)
    patch = forms.changed(cls, current, submitted)
    if not patch:
        return RedirectResponse(link(f"/entity/{key}", lang, notice="unchanged"), status_code=303)
    sources = (
        [{"url": form["source_url"].strip(), "title": form.get("source_title", "").strip() or None}]
        if form.get("source_url", "").strip()
        else None
    )
    variables = {
        "key": key,
        "version": version,
        "patch": patch,
        "sources": sources,
        "comment": form.get("comment", "").strip() or None,
    }
    result = await execute(request, account, operations.update_mutation(cls), variables)
    if conflict := result.error("CONFLICT"):
        current_version = int(conflict.extensions.get("currentVersion") or current["version"] or 0)
        return _form_page(
            request,
            account,
            cls,
            current,
            submitted,
            current_version,
            {},
            409,
            conflict={
                "yours": version,
                "current": current_version,
                "differences": forms.differences(cls, current, submitted),
                "revisions": await _their_changes(request, account, key, version),
            },
        )
    if invalid := result.error("VALIDATION_FAILED"):
        found = forms.field_errors(invalid.extensions)
        if not found:
            found = {"_": [invalid.message]}
        return _form_page(request, account, cls, current, submitted, version, found, 422)
    if result.errors:
        return failed(request, account, result)
    outcome = result.data["result"]
    if outcome["applied"]:
        seq = (outcome["revision"] or {}).get("seq", "")
        target = link(f"/entity/{key}", lang, notice="saved", seq=seq)
    else:
        target = link(f"/entity/{key}", lang, notice="proposed", proposal=outcome["proposal"]["id"])
    return RedirectResponse(target, status_code=303)


@router.get("/proposals", response_class=HTMLResponse)
async def proposals(request: Request) -> Response:
    account = await signed_in(request)
    if account is None:
        return _sign_in_first(request)
    result = await execute(request, account, operations.PROPOSALS)
    if result.errors:
        return failed(request, account, result)
    listed = result.data["proposals"]
    for proposal in listed:
        for step in proposal["steps"]:
            step["changes"] = _step_changes(step, (proposal.get("current") or {}))
    return page(
        request,
        "proposals.html",
        account,
        proposals=listed,
        can_review=account.can("editor"),
        notice=_notice(request, request_lang(request)),
    )


def _step_changes(
    step: dict[str, Any], current: dict[str, dict[str, Any]]
) -> list[tuple[str, Any, Any]]:
    """(property, value now, proposed value) for what a step would change: a patch of a text
    sets every language, and the ones it leaves as empty as they were are not changes."""
    now = current.get(step.get("key") or "", {})
    return [
        (name, now.get(name), value)
        for name, value in (step.get("props") or {}).items()
        if now.get(name) != value
    ]


def _notice(request: Request, lang: Lang) -> str:
    notice = request.query_params.get("notice", "")
    if notice == "approved":
        return word("approved", lang).format(seq=request.query_params.get("seq", ""))
    if notice == "rejected":
        return word("rejected", lang)
    return ""


@router.post("/proposals/{proposal_id}/{decision}", response_class=HTMLResponse)
async def review(request: Request, proposal_id: str, decision: str) -> Response:
    account = await signed_in(request)
    if account is None:
        return _sign_in_first(request)
    form = _plain(await request.form())
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _expired(request, account)
    lang = request_lang(request)
    if decision == "approve":
        result = await execute(request, account, operations.APPROVE, {"id": proposal_id})
        if result.errors:
            return failed(request, account, result)
        seq = ((result.data["approveProposal"] or {}).get("revision") or {}).get("seq", "")
        return RedirectResponse(link("/proposals", lang, notice="approved", seq=seq), 303)
    if decision == "reject":
        reason = form.get("reason", "").strip() or "-"
        result = await execute(
            request, account, operations.REJECT, {"id": proposal_id, "reason": reason}
        )
        if result.errors:
            return failed(request, account, result)
        return RedirectResponse(link("/proposals", lang, notice="rejected"), 303)
    return page(request, "not_found.html", account, status_code=404, key=decision)
