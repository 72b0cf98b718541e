"""Issue 21, F3: feedback emails leave at most once per recipient, tested against a real SMTP
server (aiosmtpd, a subprocess): a "250" that comes only after the client's timeout leaves
exactly one message at the server and the request ``uncertain`` (no automatic resend); a
refused connection is retried and delivered exactly once; the office's resend keeps the
Message-ID."""

from __future__ import annotations

import email
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal import outbox
from portal.models import OutboundMail
from tests.factories import UserFactory
from tests.feedback.helpers import closed_voucher
from vouchers.models import FeedbackRequest
from vouchers.services.feedback import send_feedback_requests

pytestmark = pytest.mark.django_db(transaction=True)
SERVER = Path(__file__).resolve().parents[1] / "smtp_server.py"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port: int, out: Path, delay: float = 0.0):
        self.out = out
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(SERVER),
                "--port",
                str(port),
                "--out",
                str(out),
                "--delay",
                str(delay),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready", self.process.stderr.read()

    def messages(self) -> list[email.message.Message]:
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(self.out.glob("*.eml"))]

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=10)  # waits, and closes the pipes


@pytest.fixture
def smtp_settings(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    return port


@pytest.fixture
def servers():
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def test_a_late_250_leaves_one_message_and_an_uncertain_request(smtp_settings, tmp_path, servers):
    server = Server(smtp_settings, tmp_path / "mails", delay=3)
    servers.append(server)
    voucher = closed_voucher(contacts=1, send=False)
    assert send_feedback_requests(voucher.pk) == 0  # timed out waiting for "250"
    assert send_feedback_requests(voucher.pk) == 0  # the retry / periodic relay sends nothing
    time.sleep(3.5)  # the server's late "250" has come and gone
    assert len(server.messages()) == 1
    [record] = OutboundMail.objects.all()
    assert record.status == OutboundMail.Status.UNCERTAIN
    assert record.attempts == 1
    assert FeedbackRequest.objects.get(voucher=voucher).sent_at is None
    assert server.messages()[0]["Message-ID"] == record.message_id
    # The office sees it among the uncertain messages of its operator.
    office = UserFactory(role="office", operators=[voucher.programme.operator])
    assert list(outbox.uncertain_for(office)) == [record]


def test_a_refused_connection_is_retried_and_delivered_once(smtp_settings, tmp_path, servers):
    voucher = closed_voucher(contacts=1, send=False)
    with pytest.raises(outbox.RetryableSendError):
        send_feedback_requests(voucher.pk)  # nobody listens: nothing was handed over
    record = OutboundMail.objects.get()
    assert (record.status, record.attempts) == (OutboundMail.Status.PENDING, 1)
    server = Server(smtp_settings, tmp_path / "mails")
    servers.append(server)
    assert send_feedback_requests(voucher.pk) == 1
    assert send_feedback_requests(voucher.pk) == 0
    assert len(server.messages()) == 1
    record.refresh_from_db()
    assert (record.status, record.attempts) == (OutboundMail.Status.SENT, 2)
    assert FeedbackRequest.objects.get(voucher=voucher).sent_at is not None


def test_the_office_resends_an_uncertain_message_with_the_same_message_id(
    smtp_settings, tmp_path, servers, django_capture_on_commit_callbacks
):
    slow = Server(smtp_settings, tmp_path / "slow", delay=3)
    servers.append(slow)
    voucher = closed_voucher(contacts=1, send=False)
    assert send_feedback_requests(voucher.pk) == 0
    time.sleep(3.5)
    slow.stop()
    servers.remove(slow)
    record = OutboundMail.objects.get()
    stranger = UserFactory(role="office", operators=[])
    with pytest.raises(outbox.InvalidTransition):
        outbox.resend(record, by=stranger)
    fast = Server(smtp_settings, tmp_path / "fast")
    servers.append(fast)
    office = UserFactory(role="office", operators=[voucher.programme.operator])
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(record, by=office)
    record.refresh_from_db()
    assert record.status == OutboundMail.Status.SENT
    [again] = fast.messages()
    assert again["Message-ID"] == slow.messages()[0]["Message-ID"] == record.message_id


def test_an_attempt_that_broke_off_is_uncertain_not_resent(settings, mailoutbox):
    """A worker killed mid-conversation leaves the record ``sending``: the next run does not
    send again but marks it uncertain for the office."""
    voucher = closed_voucher(contacts=1, send=False)
    request = FeedbackRequest.objects.create(
        voucher=voucher, recipient_email="x@example.org", nonce="abgebrochen", kind="contact"
    )
    OutboundMail.objects.create(
        key=f"feedback:{request.pk}",
        recipient="x@example.org",
        message_id=outbox.message_id_for(f"feedback:{request.pk}"),
        status=OutboundMail.Status.SENDING,
        attempts=1,
    )
    send_feedback_requests(voucher.pk)
    assert [m.to for m in mailoutbox] == [[voucher.organisation.contacts().get().email]]
    record = OutboundMail.objects.get(key=f"feedback:{request.pk}")
    assert record.status == OutboundMail.Status.UNCERTAIN


def test_the_office_page_lists_only_its_operators_uncertain_mails(client):
    from django.urls import reverse

    voucher = closed_voucher(contacts=1, send=False)
    mine = OutboundMail.objects.create(
        key="feedback:991",
        recipient="a@example.org",
        message_id="<a@x>",
        status=OutboundMail.Status.UNCERTAIN,
        operator=voucher.programme.operator,
    )
    OutboundMail.objects.create(
        key="feedback:992", recipient="b@example.org", message_id="<b@x>", status="uncertain"
    )
    office = UserFactory(role="office", operators=[voucher.programme.operator])
    client.force_login(office)
    response = client.get(reverse("outbox"))
    assert response.status_code == 200
    assert mine.recipient in response.text
    assert "b@example.org" not in response.text
