"""A token given through `key_env` reaches the server and nothing else: not the store, errors, logs, results."""

from __future__ import annotations

import logging

import httpx
import pytest

from audit.accounts import load_accounts
from audit.api import audit_from_paths
from audit.posts.live import collect_live
from audit.result.io import result_json
from tests.live.fakes import MASTODON_ACCOUNT, FakeMastodon, accounts_file

TOKEN = "tok-Zq8SECRETvalue-42"
ACCOUNT = MASTODON_ACCOUNT.replace('collect = { api = "https://diplo.example.social" }',
                                   'collect = { api = "https://diplo.example.social", key_env = "DIPLO_TOKEN" }')


def test_the_token_is_sent_but_never_written_logged_or_shown(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DIPLO_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    fake = FakeMastodon(60)
    fake.token = TOKEN
    file = load_accounts(accounts_file(tmp_path, ACCOUNT))
    client, _ = fake.client()
    lines: list[str] = []
    fake.fail("/statuses", None, *[httpx.Response(503)] * 4)  # page 2 never comes: an error to read
    [failed] = collect_live(file, None, client, say=lines.append)
    [done] = collect_live(file, None, client, say=lines.append)
    assert failed.error and done.error is None and done.resumed
    assert fake.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"
    result = result_json(audit_from_paths(tmp_path / "accounts.toml"))
    stored = [p.read_text(encoding="utf-8") for p in (tmp_path / ".audit-store").rglob("*") if p.is_file()]
    outputs = {"error": failed.error, "progress": "\n".join(lines), "logs": caplog.text, "result": result,
               "store": "\n".join(stored)}
    assert all(TOKEN not in text for text in outputs.values()), [k for k, v in outputs.items() if TOKEN in v]


def test_a_missing_environment_variable_names_the_variable_not_a_value(tmp_path, monkeypatch):
    monkeypatch.delenv("DIPLO_TOKEN", raising=False)
    file = load_accounts(accounts_file(tmp_path, ACCOUNT))
    client, _ = FakeMastodon(1).client()
    [run] = collect_live(file, None, client)
    assert run.error and "the environment variable DIPLO_TOKEN is empty" in run.error


@pytest.mark.parametrize("value", ["AIzaSyD-not-a-name!", 42])
def test_putting_the_key_itself_in_key_env_is_refused_without_echoing_it(tmp_path, value):
    from audit.errors import ConfigError

    text = ACCOUNT.replace('key_env = "DIPLO_TOKEN"', f"key_env = {value!r}".replace("'", '"'))
    with pytest.raises(ConfigError) as caught:
        load_accounts(accounts_file(tmp_path, text))
    assert "collect.key_env: expected the NAME of an environment variable" in str(caught.value)
    assert str(value) not in str(caught.value)
