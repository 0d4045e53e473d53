"""Appendix C: every event of the audit with the posts matched to it, so each crisis figure can be traced.

The crisis table on an account's page names the first post about each event; this appendix turns the
catalogue round: event by event, which accounts it concerned and which post answered it (linked when the
result quotes the post, dated from the event's start and the response time the scorer measured), and
which accounts stayed silent. Events no account was measured on are listed too, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from audit.report.evidence import quote
from audit.report.labels import country_name, short_date, timestamp

KINDS = {"crisis": "Crisis", "opportunity": "Cultural or viral moment",
         "transition": "Government transition"}
UNMEASURED = {
    "transition": "marks the before and after of the continuity metric; no post is matched to it",
    "opportunity": "counted in the opportunities metric; the result does not name the posts",
}


def events_view(result: Mapping[str, Any], accounts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per event in the result's catalogue, in date order, with each concerned account's match."""
    measured = {a["id"]: _measured(raw) for a, raw in zip(accounts, result["accounts"], strict=True)}
    rows = []
    for event in sorted(result.get("events") or [], key=lambda e: str(e.get("start") or "")):
        matches = [_match(event, item, raw, view) for view, raw in zip(accounts, result["accounts"], strict=True)
                   if (item := measured[view["id"]].get(event.get("id"))) is not None]
        kind = str(event.get("type") or "event")
        rows.append({"title": event.get("title") or event.get("id") or "unnamed event", "id": str(event.get("id")),
                     "kind": KINDS.get(kind, kind.capitalize()), "start": timestamp(event.get("start")),
                     "places": ", ".join(country_name(c) for c in event.get("countries") or []) or "everywhere",
                     "matches": matches, "note": "" if matches else _unmatched_note(kind)})
    return rows


def _measured(account: Mapping[str, Any]) -> dict[Any, Mapping[str, Any]]:
    """The account's per-event crisis measurements by event id (the `events` metric)."""
    for dim in account["dimensions"].values():
        events = (dim.get("metrics") or {}).get("events")
        if isinstance(events, list):
            return {e.get("id"): e for e in events if isinstance(e, Mapping)}
    return {}


def _match(event: Mapping[str, Any], item: Mapping[str, Any], account: Mapping[str, Any],
           view: Mapping[str, Any]) -> dict[str, Any]:
    """What one account posted about one event: the first matching post, when, and a link to it."""
    quoted = {p.get("post_id"): p for p in account.get("evidence_posts") or []}
    hours = item.get("first_response_hours")
    post_id = item.get("first_post_id")
    post = quoted.get(post_id)
    return {"account": view["name"], "anchor": view["anchor"], "post_id": str(post_id or ""),
            "hours": f"{float(hours):.1f} h after the start" if hours is not None else "",
            "when": quote(post, account)["when"] if post else _posted_at(event.get("start"), hours),
            "url": quote(post, account)["url"] if post else None,
            "within": bool(item.get("responded_within_24h"))}


def _posted_at(start: Any, hours: Any) -> str:
    """The post's time from the event's start and the response time, when the post itself is not quoted."""
    if not isinstance(start, str) or hours is None:
        return ""
    try:
        moment = datetime.fromisoformat(start.replace("Z", "+00:00")) + timedelta(hours=float(hours))
        moment = moment.astimezone(UTC) if moment.tzinfo else moment
    except ValueError:
        return ""
    return timestamp(moment.isoformat()) or short_date(start)


def _unmatched_note(kind: str) -> str:
    return UNMEASURED.get(kind, "no audited account was measured on it (its places or dates fall outside them)")
