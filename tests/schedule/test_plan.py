"""The plan file: the documented example loads as written; every problem is reported at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit.errors import ConfigError
from audit.schedule.plan import load_plan
from tests.schedule.helpers import ACCOUNTS, PLANS, write_plan


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_plan(path)
    return caught.value.problems


def test_the_documented_example_loads_as_written() -> None:
    plan = load_plan(PLANS / "monthly-review.toml")
    assert (plan.id, plan.cadence, plan.timezone) == ("monthly-review", "monthly", "Asia/Seoul")
    assert (plan.start, plan.end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert plan.accounts == PLANS / "accounts.toml"
    assert plan.events == PLANS / "events.toml"
    assert plan.rubric == "public-diplomacy"
    assert plan.history == PLANS / "monthly-review.history.sqlite"
    assert plan.lock_path == PLANS / "monthly-review.history.sqlite.lock"
    assert plan.output_folder("2025-03") == PLANS / "reports" / "monthly-review" / "2025-03"
    assert plan.pdf and plan.html and plan.email is None and plan.folder is None


def test_relative_paths_resolve_against_the_plan_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "accounts.toml").write_text(ACCOUNTS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "my-rubric.toml").write_text("", encoding="utf-8")
    plan = load_plan(write_plan(tmp_path, accounts="in/accounts.toml", events=None, rubric="my-rubric.toml",
                                history="db/h.sqlite"))
    assert plan.accounts == tmp_path / "in" / "accounts.toml"
    assert plan.rubric == tmp_path / "my-rubric.toml"
    assert plan.history == tmp_path / "db" / "h.sqlite"
    assert plan.events is None


def test_every_problem_is_reported_at_once_with_its_key_path(tmp_path: Path) -> None:
    extra = """
[delivery.email]
host = "smtp.example.org"
security = "none"
user = "audit"
password = "hunter2"
to = "someone"

[delivery.folder]
share = "x"

[extra]
"""
    path = write_plan(tmp_path, extra, id="Monthly Review", accounts="missing.toml", cadence="fortnightly",
                      timezone="Mars/Olympus", start="2025-13-01", output="reports/{plan}/", pdf="yes",
                      grace_hours=-1, colour="blue")
    problems = problems_of(path)
    expected = [
        "plan.id: expected lower-case letters",
        f"plan.accounts: no such file: {tmp_path / 'missing.toml'}",
        "plan.cadence: expected monthly, quarterly, weekly or a 5-field cron expression",
        "plan.timezone: expected an IANA time zone such as 'Asia/Seoul', found 'Mars/Olympus'",
        "plan.start: expected a date such as 2025-01-01, found '2025-13-01'",
        "plan.output: expected a {period} placeholder",
        "plan.pdf: expected true or false, found 'yes'",
        "plan.grace_hours: expected hours between 0 and 168, found -1",
        "plan.colour: unknown key",
        "delivery.email.from: missing (required)",
        "delivery.email.to: expected a list of e-mail addresses, found 'someone'",
        "delivery.email.password: never write a password into the plan",
        "delivery.email.password_env: required with user",
        "delivery.email.security: 'none' would send the password in clear",
        "delivery.folder.path: missing (required)",
        "delivery.folder.share: unknown key",
        "extra: unknown key",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert "hunter2" not in " ".join(problems)
    assert len(problems) == len(expected)


def test_required_keys_and_the_order_of_start_and_end(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[plan]\nid = "x"\nstart = 2025-03-01\nend = 2025-01-31\n', encoding="utf-8")
    assert problems_of(path) == [
        "plan.accounts: missing (required)", "plan.cadence: missing (required)",
        "plan.timezone: missing (required)",
        "plan.end: expected a date on or after start (2025-03-01), found 2025-01-31",
    ]


def test_a_cron_cadence_must_not_fire_twice_a_day(tmp_path: Path) -> None:
    assert load_plan(write_plan(tmp_path, cadence="0 9 * * 1")).cadence == "0 9 * * 1"
    problems = problems_of(write_plan(tmp_path, cadence="0 0,12 * * *"))
    assert problems == ["plan.cadence: the cron expression fires more than once on 2024-01-01; a period must "
                        "span at least one whole day, because audits cover calendar days"]
    assert problems_of(write_plan(tmp_path, cadence="0 0 * *"))[0].startswith("plan.cadence: expected monthly")


def test_unknown_rubric_and_output_placeholder(tmp_path: Path) -> None:
    problems = problems_of(write_plan(tmp_path, rubric="no-such-rubric", output="r/{plan}/{month}/{period}"))
    assert problems[0].startswith("plan.rubric: no bundled rubric 'no-such-rubric' (bundled: public-diplomacy")
    assert problems[1] == "plan.output: unknown placeholder {month}; expected {plan} and {period}"


def test_email_settings_and_defaults(tmp_path: Path) -> None:
    extra = """
[delivery.email]
host = "smtp.example.org"
user = "audit"
password_env = "AUDIT_SMTP_PASSWORD"
from = "audit@example.org"
to = ["policy@example.org", "pd@example.org"]

[delivery.folder]
path = "share"
"""
    plan = load_plan(write_plan(tmp_path, extra))
    assert plan.email is not None and plan.folder is not None
    assert (plan.email.security, plan.email.port) == ("starttls", 587)
    assert plan.email.to == ("policy@example.org", "pd@example.org")
    assert plan.folder.path == tmp_path / "share"
    assert plan.delivers


def test_a_bad_subject_template_and_password_env(tmp_path: Path) -> None:
    extra = """
[delivery.email]
host = "localhost"
security = "none"
user = "audit"
password_env = "not a name"
from = "a@example.org"
to = ["b@example.org"]
subject = "{plan} {secret}"
port = 70000
"""
    assert problems_of(write_plan(tmp_path, extra)) == [
        "delivery.email.port: expected a port number, found 70000",
        "delivery.email.subject: unknown placeholder {secret}; expected some of band, grade, ministry, period, "
        "plan, score, verdict",
        "delivery.email.password_env: expected the name of an environment variable, found 'not a name'",
    ]


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.toml") == ["no such file; expected a plan file (TOML)"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[plan\n", encoding="utf-8")
    assert problems_of(bad)[0].startswith("line 1, column 6: expected valid TOML")
