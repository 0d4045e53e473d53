"""The accounts file (audit/accounts.py): loading, and every problem reported at once with its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.accounts import account_problems, is_country, is_timezone, load_accounts
from audit.errors import ConfigError

ACCOUNTS = Path(__file__).resolve().parent.parent / "fixtures" / "accounts"
MINISTRY = """
[ministry]
name = "Ministry of Foreign Affairs (test)"
country = "KR"
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "accounts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_accounts(path)
    assert str(exc.value).splitlines() == [f"{path}: {p}" for p in exc.value.problems]
    return exc.value.problems


def account(*lines: str) -> str:
    """An accounts file with the test ministry and one account made of TOML `lines`."""
    return MINISTRY + "\n[[accounts]]\n" + "\n".join(lines) + "\n"


def test_the_test_ministry_loads_with_resolved_paths_and_key_paths():
    loaded = load_accounts(ACCOUNTS / "ministry.toml")
    assert loaded.ministry.name == "Ministry of Foreign Affairs (test)"
    assert loaded.ministry.country == "KR"
    assert [a.id for a in loaded.accounts] == ["mofa-tg", "emb-th-masto", "mofa-csv"]
    masto = loaded.account("emb-th-masto")
    assert (masto.role, masto.platform, masto.host_country, masto.key) == ("embassy", "mastodon", "TH", "accounts[1]")
    assert masto.base == ACCOUNTS and masto.base.is_absolute()
    assert masto.source == "../mastodon_archive/archiv*[!n]"
    assert loaded.account("mofa-tg").host_country is None
    assert loaded.account("mofa-csv").columns["published_at"] == "date"
    assert loaded.account("mofa-tg").name == "MOFA on Telegram (test)"


def test_optional_keys_are_read_and_lower_case_countries_upper_cased(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(account('id = "emb-jp"', 'role = "embassy"', 'platform = "telegram"', 'source = "x.json"',
                            'host_country = "jp"', 'audience_languages = ["ja", "en"]', 'timezone = "Asia/Tokyo"',
                            'source_timezone = "Asia/Seoul"', 'handle = "@emb"'), encoding="utf-8")
    emb = load_accounts(path).accounts[0]
    assert emb.name == "emb-jp"  # name defaults to the id
    assert (emb.host_country, emb.audience_languages, emb.timezone) == ("JP", ("ja", "en"), "Asia/Tokyo")
    assert (emb.source_timezone, emb.handle, emb.base) == ("Asia/Seoul", "@emb", tmp_path.resolve())


def test_an_unknown_account_id_is_a_config_error():
    loaded = load_accounts(ACCOUNTS / "ministry.toml")
    with pytest.raises(ConfigError, match="no account with id 'nope'"):
        loaded.account("nope")


def test_every_problem_of_a_bad_file_is_listed_at_once_with_its_key_path():
    with pytest.raises(ConfigError) as exc:
        load_accounts(ACCOUNTS / "many_problems.toml")
    assert exc.value.problems == [
        "accounts[0].platform: expected one of x, facebook, instagram, telegram, mastodon, bluesky, youtube, csv, "
        "found 'myspace'",
        "accounts[1].role: expected one of ministry, embassy, consulate, mission, leader, spokesperson, "
        "found 'ambassador'",
        "accounts[1].host_country: expected an ISO 3166-1 alpha-2 code, found 'XX'",
        "accounts[1].timezone: expected an IANA time zone such as 'Asia/Seoul', found 'Mars/Olympus'",
        "accounts[1].nickname: unknown key",
        "accounts[2].source: missing; every account needs id, role, platform, source",
        "accounts[2].id: 'mofa-en' is used by an earlier account",
        "colour: unknown key",
    ]
    assert exc.value.path == str(ACCOUNTS / "many_problems.toml")


def test_invalid_toml_names_the_line_and_column():
    with pytest.raises(ConfigError) as exc:
        load_accounts(ACCOUNTS / "invalid.toml")
    assert str(exc.value) == (f"{ACCOUNTS / 'invalid.toml'}: line 2, column 10: expected valid TOML: "
                              "Expected ']' at the end of a table declaration")


@pytest.mark.parametrize(("content", "problem"), [
    (b"a = ", "end of document: expected valid TOML: Invalid value"),
    (b'[ministry]\nname = "caf\xe9"\n', "byte 22: expected UTF-8 text (invalid continuation byte)"),
])
def test_unreadable_toml_is_one_problem_with_a_position(tmp_path, content, problem):
    path = tmp_path / "accounts.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as exc:
        load_accounts(path)
    assert exc.value.problems == [problem]


def test_a_missing_file_or_a_folder_is_a_config_error_not_a_traceback(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: no such file; expected an accounts file \(TOML\)$"):
        load_accounts(tmp_path / "nope.toml")
    with pytest.raises(ConfigError) as exc:
        load_accounts(tmp_path)
    assert exc.value.problems == ["expected an accounts file (TOML), found a folder"]


def test_a_file_without_ministry_or_accounts_says_what_is_missing(tmp_path):
    assert problems_of(tmp_path, "") == [
        "ministry: expected a [ministry] table with name and country",
        "accounts: expected at least one [[accounts]] table",
    ]
    assert problems_of(tmp_path, '[ministry]\nname = ""\ncountry = "Korea"\nmotto = "x"\n') == [
        "ministry.name: expected a non-empty string",
        "ministry.country: expected an ISO 3166-1 alpha-2 code, found 'Korea'",
        "ministry.motto: unknown key",
        "accounts: expected at least one [[accounts]] table",
    ]
    assert problems_of(tmp_path, "accounts = [1]\n" + MINISTRY) == ["accounts[0]: expected a table"]


def test_an_account_without_its_required_keys_lists_each_missing_key(tmp_path):
    assert problems_of(tmp_path, MINISTRY + '[[accounts]]\nname = "Nameless"\n') == [
        f"accounts[0].{key}: missing; every account needs id, role, platform, source"
        for key in ("id", "role", "platform", "source")
    ]


def test_values_of_the_wrong_shape_are_named(tmp_path):
    text = account('id = "a"', 'role = "embassy"', 'platform = "x"', 'source = ""', "handle = 1",
                   'audience_languages = "ja"', "columns = {published_at = 3}", 'format = "tweets"',
                   'source_timezone = "Asia"', 'timestamp_format = ""')
    assert problems_of(tmp_path, text) == [
        "accounts[0].handle: expected a non-empty string, found 1",
        "accounts[0].source: expected a non-empty string, found ''",
        "accounts[0].audience_languages: expected a list of language codes such as ['ja', 'en'], found 'ja'",
        "accounts[0].source_timezone: expected an IANA time zone such as 'Asia/Seoul', found 'Asia'",
        "accounts[0].format: expected one of " + ", ".join(_formats()) + " (see `audit formats`), found 'tweets'",
        'accounts[0].columns: expected a table of canonical column = "CSV header" or ["date header", "time header"]',
        "accounts[0].timestamp_format: expected a strftime pattern naming the day, such as '%m/%d/%y %H:%M', found ''",
    ]


@pytest.mark.parametrize("pattern", ["%m/%d/%y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S%z"])
def test_a_date_format_naming_the_day_is_accepted(tmp_path, pattern):
    text = account('id = "a"', 'role = "embassy"', 'platform = "csv"', 'source = "posts.csv"',
                   f'date_format = "{pattern}"', 'columns = {published_at = ["tweet_date", "tweet_time"]}')
    path = tmp_path / "accounts.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_accounts(path).accounts[0]
    assert (loaded.timestamp_format, loaded.columns) == (pattern, {"published_at": ["tweet_date", "tweet_time"]})


@pytest.mark.parametrize("pattern", ["", "mm/dd/yy", "%H:%M", "%m/%Y"])
def test_a_date_format_without_a_day_is_refused(tmp_path, pattern):
    text = account('id = "a"', 'role = "embassy"', 'platform = "csv"', 'source = "posts.csv"',
                   f'date_format = "{pattern}"')
    assert problems_of(tmp_path, text) == [
        f"accounts[0].date_format: expected a strftime pattern naming the day, such as '%m/%d/%y %H:%M', "
        f"found {pattern!r}"]


def test_date_format_and_its_older_name_together_are_refused(tmp_path):
    text = account('id = "a"', 'role = "embassy"', 'platform = "csv"', 'source = "posts.csv"',
                   'date_format = "%d.%m.%Y"', 'timestamp_format = "%d.%m.%Y"')
    assert problems_of(tmp_path, text) == [
        "accounts[0].timestamp_format: the older name of date_format; give only date_format"]


def _formats() -> list[str]:
    from audit.collectors.registry import COLLECTORS

    return list(COLLECTORS)


def test_account_problems_can_check_one_table_on_its_own():
    assert list(account_problems({"id": "a", "role": "embassy", "platform": "x", "source": "s"})) == []
    assert list(account_problems({"id": "a", "role": "embassy", "platform": "x", "source": "s", "zz": 1})) == [
        "zz: unknown key"]


@pytest.mark.parametrize(("value", "ok"), [
    ("KR", True), ("jp", True), ("XK", True), ("XX", False), ("ZZ", False), ("XA", False), ("KOR", False),
    ("", False), (None, False), (82, False),
])
def test_countries_are_cldr_territories_that_are_countries(value, ok):
    assert is_country(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("Asia/Seoul", True), ("UTC", True), ("America/Argentina/Buenos_Aires", True), ("Asia", False),
    ("America", False), ("Mars/Olympus", False), ("../etc/passwd", False), ("/etc/localtime", False),
    ("Asia/Seoul ", False), ("", False), (None, False), (9, False),
])
def test_time_zones_are_iana_names_and_folders_of_tzdata_are_not(value, ok):
    assert is_timezone(value) is ok
