"""Delivery: e-mail to a real SMTP server on loopback (plain+AUTH, STARTTLS, TLS), and a shared folder."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from audit.errors import ScheduleError
from audit.schedule.delivery import Delivered, copy_to_folder, deliver
from audit.schedule.plan import FolderDelivery
from audit.schedule.runner import run_plan
from tests.schedule.helpers import FakeAudit, FakeRender, make_plan, period_result, tools

SECRET = "s3cr3t-Pa55word-7731"
NOW = datetime(2025, 2, 10, tzinfo=UTC)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.logins.append((data.login, data.password))
            return AuthResult(success=data.login == b"audit" and data.password == SECRET.encode(), handled=False)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the plan trusts it through ca_file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


def server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert[0]), str(cert[1]))
    return context


def start(inbox: Inbox, **kwargs: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=inbox.authenticate,
                            **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    # AUTH offered over plain loopback; not *required* (aiosmtpd would warn, in its own thread, on every
    # connection). The plan has a user, so the client logs in anyway, as inbox.logins shows.
    controller = start(inbox, auth_require_tls=False)
    yield inbox, controller
    controller.stop()


def email_plan(tmp_path: Path, port: int, security: str = "none", ca_file: Path | None = None) -> str:
    ca = f'ca_file = "{ca_file}"\n' if ca_file else ""
    return (f'\n[delivery.email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\nuser = "audit"\n'
            f'password_env = "AUDIT_SMTP_PASSWORD"\nfrom = "audit@example.org"\n'
            f'to = ["policy@example.org", "pd@example.org"]\n{ca}')


def test_the_report_is_mailed_with_a_summary_and_the_pdf_and_no_secret_leaks(
        tmp_path: Path, smtp_server: tuple[Inbox, Controller], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    inbox, controller = smtp_server
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET)
    plan = make_plan(tmp_path, email_plan(tmp_path, controller.port), pdf=True, end=date(2025, 1, 31))
    summary = run_plan(plan, now=NOW, say=print, tools=tools(FakeAudit(), FakeRender()))
    assert [o.status for o in summary.outcomes] == ["ok"]
    assert inbox.logins == [(b"audit", SECRET.encode())]
    (message,) = inbox.messages
    result = period_result(date(2025, 1, 1), date(2025, 1, 31))
    m = result["ministry"]
    assert message["Subject"] == f"{m['name']}: audit 2025-01 - score 41.0, {m['band']}, {m['verdict']}"
    assert message["To"] == "policy@example.org, pd@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert f"Ministry: score 41.0 ({m['band']}), verdict {m['verdict']}." in body
    assert "account platform posts score band verdict" in " ".join(body.split())
    assert m["grade"] not in body.split(), "one scale: the band word, never the rubric's letter grade"
    assert "emb-jp   telegram" in body and "The full report is attached (test-plan-2025-01.pdf)." in body
    (attachment,) = list(message.iter_attachments())
    pdf = tmp_path / "reports" / "test-plan" / "2025-01" / "test-plan-2025-01.pdf"
    assert attachment.get_filename() == "test-plan-2025-01.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf.read_bytes()
    out = capsys.readouterr()
    assert "Sent 2025-01 to policy@example.org, pd@example.org" in out.out
    for text in (out.out, out.err, caplog.text, message.as_string(), plan.history.read_bytes().decode("latin-1")):
        assert SECRET not in text


def test_a_wrong_password_fails_the_delivery_without_showing_it(
        tmp_path: Path, smtp_server: tuple[Inbox, Controller], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    inbox, controller = smtp_server
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET + "-wrong")
    plan = make_plan(tmp_path, email_plan(tmp_path, controller.port), end=date(2025, 1, 31))
    summary = run_plan(plan, now=NOW, say=print, tools=tools())
    (outcome,) = summary.outcomes
    assert outcome.status == "delivery_failed" and summary.exit_code == 2
    assert outcome.error is not None and outcome.error.startswith("e-mail via 127.0.0.1:")
    assert "535" in outcome.error
    assert SECRET not in capsys.readouterr().out and inbox.messages == []
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET)
    again = run_plan(plan, now=NOW, tools=tools())
    assert [o.status for o in again.outcomes] == ["ok"] and len(inbox.messages) == 1
    assert inbox.messages[0].get_content_type() == "multipart/mixed"


def test_an_unset_password_variable_and_an_unreachable_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_SMTP_PASSWORD", raising=False)
    plan = make_plan(tmp_path, email_plan(tmp_path, free_port()), end=date(2025, 1, 31))
    (outcome,) = run_plan(plan, now=NOW, tools=tools()).outcomes
    assert outcome.error == ("delivery.email.password_env: the environment variable AUDIT_SMTP_PASSWORD is not "
                             "set; export it where the scheduled run starts")
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET)
    (outcome,) = run_plan(plan, now=NOW, tools=tools()).outcomes
    assert outcome.status == "delivery_failed"
    assert outcome.error is not None and "refused" in outcome.error.lower() and SECRET not in outcome.error


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_starttls_and_tls_with_a_private_ca(tmp_path: Path, certificate: tuple[Path, Path], security: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET)
    inbox = Inbox()
    # aiosmtpd does not count implicit TLS as TLS for AUTH, so that server offers AUTH without the check.
    tls = ({"tls_context": server_context(certificate), "require_starttls": True, "auth_required": True}
           if security == "starttls" else {"ssl_context": server_context(certificate), "auth_require_tls": False})
    controller = start(inbox, **tls)
    try:
        plan = make_plan(tmp_path, email_plan(tmp_path, controller.port, security, certificate[0]),
                         end=date(2025, 1, 31))
        summary = run_plan(plan, now=NOW, tools=tools())
    finally:
        controller.stop()
    assert [o.status for o in summary.outcomes] == ["ok"]
    assert inbox.logins == [(b"audit", SECRET.encode())]
    (attachment,) = list(inbox.messages[0].iter_attachments())
    assert attachment.get_filename() == "test-plan-2025-01.json"  # no PDF in this plan: the JSON goes instead


def test_starttls_refuses_a_certificate_it_does_not_trust(tmp_path: Path, certificate: tuple[Path, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SMTP_PASSWORD", SECRET)
    controller = start(Inbox(), tls_context=server_context(certificate), require_starttls=True)
    try:
        plan = make_plan(tmp_path, email_plan(tmp_path, controller.port, "starttls"), end=date(2025, 1, 31))
        (outcome,) = run_plan(plan, now=NOW, tools=tools()).outcomes
    finally:
        controller.stop()
    assert outcome.status == "delivery_failed"
    assert outcome.error is not None and "CERTIFICATE_VERIFY_FAILED" in outcome.error


def delivered(tmp_path: Path, plan: str, period: str, ministry: str) -> Delivered:
    since = date.fromisoformat(f"{period}-01")
    result = period_result(since, since)
    result["ministry"]["name"] = ministry
    report = tmp_path / "out" / f"{plan}-{period}.pdf"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"%PDF-1.7 " + period.encode())
    return Delivered(plan, period, result, (report,))


def test_the_shared_folder_gets_the_report_and_an_escaped_index_of_all_reports(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    hostile = 'MOFA <script>alert("x")</script> & co'
    copy_to_folder(FolderDelivery(share), delivered(tmp_path, "monthly", "2025-01", hostile))
    copy_to_folder(FolderDelivery(share), delivered(tmp_path, "monthly", "2025-02", hostile))
    copy_to_folder(FolderDelivery(share), delivered(tmp_path, "quarterly", "2025-03", "Other ministry"))
    assert (share / "monthly-2025-02.pdf").read_bytes() == b"%PDF-1.7 2025-02"
    index = (share / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index
    assert "MOFA &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in index
    links = [line.split('"')[1] for line in index.splitlines() if line.startswith("<tr><td><a href=")]
    assert links == ["quarterly-2025-03.pdf", "monthly-2025-02.pdf", "monthly-2025-01.pdf"]
    assert not [p for p in share.iterdir() if p.name.endswith(".tmp")]


def test_a_missing_shared_folder_is_a_delivery_failure(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError, match=r"the shared folder .*gone does not exist \(is it mounted\?\)"):
        copy_to_folder(FolderDelivery(tmp_path / "gone"), delivered(tmp_path, "p", "2025-01", "M"))


def test_deliver_refuses_when_the_outputs_are_gone(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, f'\n[delivery.folder]\npath = "{tmp_path}"\n')
    item = delivered(tmp_path, "p", "2025-01", "M")
    item.files[0].unlink()
    with pytest.raises(ScheduleError, match="output files are gone"):
        deliver(plan, item, print)
