"""Inputs that once ended in a traceback (issue 10): each is now a one-line error or a counted skip.

Each test builds the smallest file with the shape and reads it the way `audit inspect` does.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path

import libipld
import pytest

from audit.collectors.base import ReadContext
from audit.errors import AuditError, ConfigError, InputError
from audit.posts.collect import read_export
from audit.schedule.plan import load_plan
from audit.sources.jsondata import parse_json
from audit.sources.limits import MAX_CBOR_DEPTH, MAX_JSON_DEPTH, MAX_NUMBER_DIGITS, PLAN_YEARS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
MASTODON_PAGE = FIXTURES / "mastodon_api" / "pages" / "statuses_page1.json"
MASTODON_ARCHIVE = FIXTURES / "mastodon_archive" / "archive"
X_ARCHIVE = FIXTURES / "x_archive" / "src_multipart"


def read(path: Path, fmt: str | None = None):
    return read_export(path, ReadContext(source_timezone="UTC"), fmt=fmt)[1]


def one_line(error: AuditError) -> str:
    assert "\n" not in str(error)
    return str(error)


def mastodon_page(tmp_path: Path, old: str, new: str) -> Path:
    text = MASTODON_PAGE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "statuses.json"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_json_nested_past_the_limit_names_the_position():
    with pytest.raises(InputError) as caught:
        parse_json("[" * 100_000 + "]" * 100_000, "deep.json")
    assert one_line(caught.value) == (f"deep.json:1:{MAX_JSON_DEPTH + 1}: expected JSON nested at most "
                                      f"{MAX_JSON_DEPTH} levels deep")


def test_json_nested_to_the_limit_is_read():
    assert parse_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, "deep.json") is not None


def test_a_deeply_nested_field_in_a_real_page(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    path = mastodon_page(tmp_path, '"filtered": []', f'"filtered": {deep}')
    with pytest.raises(InputError, match=r"statuses.json:\d+:\d+: expected JSON nested at most"):
        read(path, "mastodon_api")


def test_a_number_past_pythons_digit_limit(tmp_path):
    path = mastodon_page(tmp_path, '"replies_count": 1', '"replies_count": ' + "9" * (MAX_NUMBER_DIGITS + 1))
    with pytest.raises(InputError) as caught:
        read(path, "mastodon_api")
    assert one_line(caught.value).endswith(f"expected a number of at most {MAX_NUMBER_DIGITS} digits")


@pytest.mark.parametrize("count", ["-5", '"-5"', str(2**64)])
def test_negative_or_overflowing_counts_are_unknown_not_a_crash(tmp_path, count):
    path = mastodon_page(tmp_path, '"replies_count": 1', f'"replies_count": {count}')
    batch = read(path, "mastodon_api")
    assert batch.posts["replies"].null_count() == 1


@pytest.mark.parametrize("escape", [r"\ud800", r"\udfff", r"x\ud83d"])
def test_lone_surrogates_read_as_the_replacement_character(tmp_path, escape):
    path = mastodon_page(tmp_path, "Korea stands", f"Korea {escape} stands")
    texts = read(path, "mastodon_api").posts["text"].to_list()
    assert any("\ufffd" in t for t in texts)


def test_a_surrogate_pair_is_kept():
    assert parse_json(r'"\ud83d\ude00 \\ud800"', "f") == "\U0001F600 \\ud800"


@pytest.mark.parametrize("value", ['["113100000000000009"]', '{"id": 1}'])
def test_an_id_that_is_a_list_or_an_object_is_a_counted_skip(tmp_path, value):
    path = mastodon_page(tmp_path, '"id": "113100000000000009"', f'"id": {value}')
    batch = read(path, "mastodon_api")
    assert [s.reason for s in batch.skipped] == ["status has no id"]


@pytest.mark.parametrize("compact", [False, True])
def test_invalid_utf8_inside_an_x_string(tmp_path, compact):
    data = tmp_path / "x" / "data"
    data.mkdir(parents=True)
    for member in (X_ARCHIVE / "data").iterdir():
        body = member.read_bytes()
        if member.name == "tweets.js":
            start = body.index(b"[")
            parsed = json.loads(body[start:])
            body = body[:start] + (json.dumps(parsed).encode() if compact else body[start:])
            body = body.replace(b"KoreanWave", b"Korean\xff\xfeWave")
        (data / member.name).write_bytes(body)
    batch = read(tmp_path / "x", "x_archive")
    assert any("\ufffd" in t for t in batch.posts["text"].to_list())


def zipped_archive(flag: int = 0, method: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in MASTODON_ARCHIVE.iterdir():
            archive.write(member, member.name)
    raw = bytearray(buffer.getvalue())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = raw.find(signature)
        while at >= 0:
            raw[at + flag_at] |= flag
            if method is not None:
                raw[at + method_at:at + method_at + 2] = struct.pack("<H", method)
            at = raw.find(signature, at + 4)
    return bytes(raw)


@pytest.mark.parametrize(("flag", "method"), [(1, None), (0, 99), (0, 95)], ids=["encrypted", "aes", "xz"])
def test_encrypted_or_unsupported_zip_members(tmp_path, flag, method):
    path = tmp_path / "archive.zip"
    path.write_bytes(zipped_archive(flag, method))
    with pytest.raises(InputError) as caught:
        read(path)
    assert "archive.zip!" in one_line(caught.value)
    assert "expected an unencrypted member with a standard compression" in str(caught.value)


def test_a_file_name_too_long_for_the_file_system(tmp_path):
    with pytest.raises(InputError, match="cannot be opened"):
        read(tmp_path / ("a" * 300 + ".json"))


@pytest.mark.parametrize(("end", "year"), [("9999-12-31", 9999), ("0001-01-01", 1)])
def test_a_plan_ending_past_the_years_periods_can_be_computed_in(tmp_path, end, year):
    plan = (FIXTURES / "plans" / "monthly-review.toml").read_text(encoding="utf-8")
    for name in ("accounts.toml", "events.toml"):
        (tmp_path / name).write_text((FIXTURES / "plans" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "plan.toml").write_text(plan.replace("end = 2025-06-30", f"end = {end}"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_plan(tmp_path / "plan.toml")
    assert f"plan.end: expected a date in the years {PLAN_YEARS[0]} to {PLAN_YEARS[1]}, found {end}" in str(
        caught.value)


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def car_of(*blocks: bytes) -> bytes:
    """A CAR v1 file of DAG-CBOR blocks, the first one its root."""
    cids = [b"\x01\x71\x12\x20" + hashlib.sha256(block).digest() for block in blocks]
    header = libipld.encode_dag_cbor({"version": 1, "roots": [libipld.decode_cid(cids[0])]})
    body = b"".join(varint(len(cid) + len(block)) + cid + block for cid, block in zip(cids, blocks, strict=True))
    return varint(len(header)) + header + body


def test_a_car_block_of_100000_nested_cbor_arrays(tmp_path):
    path = tmp_path / "repo.car"
    path.write_bytes(car_of(b"\x81" * 100_000 + b"\x00"))
    with pytest.raises(InputError) as caught:
        read(path)
    assert one_line(caught.value).startswith(
        f"{path}:byte 96: expected block 1 to be DAG-CBOR nested at most {MAX_CBOR_DEPTH} levels deep")


ACCOUNTS_FILE = FIXTURES / "accounts" / "ministry.toml"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('id = "mofa-tg"', "id = " + "[" * 5000 + "]" * 5000,
     "line 9, column 106: expected values nested at most 100 levels deep"),
    ('id = "mofa-tg"', "id = " + "9" * 5000, "line 9, column 6: expected a number of at most 4300 digits"),
    ('id = "mofa-tg"', "id = []", "accounts[0].id: expected"),
])
def test_user_toml_past_the_limits_or_with_a_list_for_an_id(tmp_path, old, new, expected):
    from audit.accounts import load_accounts

    text = ACCOUNTS_FILE.read_text(encoding="utf-8")
    assert text.splitlines()[8] == old
    (tmp_path / "accounts.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_accounts(tmp_path / "accounts.toml")
    assert any(line.startswith(f"{tmp_path / 'accounts.toml'}: {expected}") for line in str(caught.value).splitlines())


def test_an_event_type_that_is_a_list(tmp_path):
    from audit.events.loading import load_events

    text = (FIXTURES / "events" / "events.toml").read_text(encoding="utf-8")
    (tmp_path / "events.toml").write_text(text.replace('type = "crisis"', "type = []", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"events\[0\]\.type"):
        load_events(tmp_path / "events.toml")


def test_a_plan_naming_a_file_too_long_for_the_file_system(tmp_path):
    plan = (FIXTURES / "plans" / "monthly-review.toml").read_text(encoding="utf-8")
    (tmp_path / "plan.toml").write_text(plan.replace('"accounts.toml"', '"' + "x" * 5000 + '"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="plan.accounts: no such file"):
        load_plan(tmp_path / "plan.toml")
