"""Mastodon, live: ``/api/v1/accounts/lookup`` then the account's statuses, 40 a page, by ``max_id``.

No token is needed for public statuses (2.7+). The lookup skips WebFinger, so `api` must be the
account's home server: a remote account seen from another server shows only the posts that server
happened to receive (mastodon/mastodon#9000), and its statuses carry that server's local ids.
Pages are stored as the JSON arrays the saved-response reader (mastodon_api) reads, boosts
included (they become kind "repost" there). Paging follows ``Link: rel="next"`` until it is absent;
an empty page ends the walk too (mastodon/mastodon-api#59: ``next`` may lead to one).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from audit.collectors.base import obj, parse_iso
from audit.collectors.live import Page, Target, Thread, checked_json, malformed, page_json
from audit.sources.http import HttpClient, link_next

PAGE_SIZE = 40


class MastodonLive:
    platform = "mastodon"
    default_api = "https://mastodon.social"
    needs_handle = True

    def resolve(self, client: HttpClient, target: Target) -> dict[str, Any]:
        """The account's server-local id, from its handle (``@name@host`` or ``name``)."""
        acct = (target.handle or "").lstrip("@")
        url = f"{target.api.rstrip('/')}/api/v1/accounts/lookup"
        response = client.get(url, target.account_id, params={"acct": acct}, headers=_auth(client, target))
        account = checked_json(client, response, target, f"the account {target.handle}")
        if not isinstance(account, dict) or not isinstance(account.get("id"), str | int):
            raise malformed(client, target, response.url, "an Account object with an id")
        return {"id": str(account["id"]), "followers": account.get("followers_count")}

    def page(self, client: HttpClient, target: Target, ref: dict[str, Any], cursor: str | None) -> Page:
        url = f"{target.api.rstrip('/')}/api/v1/accounts/{ref['id']}/statuses"
        params = {"limit": PAGE_SIZE, "max_id": cursor}
        response = client.get(url, target.account_id, params=params, headers=_auth(client, target))
        statuses = checked_json(client, response, target, f"the statuses of {target.handle}")
        if not isinstance(statuses, list) or not all(isinstance(s, dict) for s in statuses):
            raise malformed(client, target, response.url, "a JSON array of statuses")
        times = [_time(client, target, response.url, s) for s in statuses]
        files = [("statuses.json", page_json(statuses))] if statuses else []
        return Page(files, times, _max_id(link_next(response.headers)) if statuses else None)

    def thread_keys(self, name: str, text: str) -> list[tuple[str, str]]:
        """(created_at, id) of the account's own statuses on a stored page that others replied to."""
        if not name.endswith("statuses.json"):
            return []
        statuses = [obj(s) for s in json.loads(text)]
        return [(str(s.get("created_at")), str(s.get("id"))) for s in statuses
                if not s.get("reblog") and isinstance(s.get("replies_count"), int) and s["replies_count"] > 0]

    def thread(self, client: HttpClient, target: Target, ref: dict[str, Any], key: str) -> Thread:
        """``/api/v1/statuses/:id/context``: its descendants are the replies, the account's own among them."""
        url = f"{target.api.rstrip('/')}/api/v1/statuses/{key}/context"
        response = client.get(url, target.account_id, headers=_auth(client, target))
        data = checked_json(client, response, target, f"the replies to status {key}")
        if not isinstance(data, dict) or not isinstance(data.get("descendants"), list):
            raise malformed(client, target, response.url, 'a Context object with a "descendants" array')
        others = [obj(s) for s in data["descendants"] if str(obj(obj(s).get("account")).get("id")) != ref["id"]]
        return Thread(f"{key}-context.json", page_json(data), [str(s.get("language") or "und") for s in others])


def _auth(client: HttpClient, target: Target) -> dict[str, str]:
    """A bearer token only when `key_env` names one: servers that refuse anonymous reading need it."""
    if "key_env" not in target.options:
        return {}
    return {"Authorization": f"Bearer {target.secret_from_env(client, 'MASTODON_TOKEN')}"}


def _time(client: HttpClient, target: Target, url: str, status: dict[str, Any]) -> Any:
    try:
        return parse_iso(str(status.get("created_at")))
    except ValueError:
        raise malformed(client, target, url, "statuses with an ISO 8601 created_at") from None


def _max_id(next_url: str | None) -> str | None:
    """The cursor kept in the checkpoint: the ``max_id`` of the next link (the URL is rebuilt from it)."""
    if not next_url:
        return None
    values = parse_qs(urlsplit(next_url).query).get("max_id")
    return values[0] if values else None


SOURCE = MastodonLive()
