"""The back ends: log (masked), Django e-mail (locmem), the SMS gateway against a local fake."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from renda.notifications.backends import (
    DeliveryError,
    DjangoEmailBackend,
    LogBackend,
    Message,
    SmsGatewayBackend,
    backend_for,
    sms_template,
)

SMS = Message(channel="sms", to="13812345678", masked="138****5678", verb="suggestion.reply",
              template_id="SMS_001", params={"code": "ABCD1234"})


class Gateway:
    """A fake SMS gateway: answers each POST with the next (status, body) and keeps the requests."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, str]] = []
        self.requests: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.requests.append(json.loads(self.rfile.read(length)))
                status, body = gateway.answers.pop(0) if gateway.answers else (200, '{"code": 0}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def backend(self, **kw: Any) -> SmsGatewayBackend:
        return SmsGatewayBackend(url=self.url, app_key="renda", app_secret="s3cret", sign_name="某镇人大",
                                 timeout=5, **kw)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    g = Gateway()
    yield g
    g.server.shutdown()
    g.server.server_close()


def test_log_backend_logs_the_masked_address(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="renda.notifications"):
        LogBackend().send(SMS)
        LogBackend().send(Message(channel="email", to="wang.wu@example.cn", masked="w***@example.cn",
                                  verb="suggestion.assign", subject="新交办", body="…"))
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    assert "ABCD1234" in caplog.text and "w***@example.cn" in caplog.text and "wang.wu" not in caplog.text


def test_django_email_backend_sends_through_django(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DjangoEmailBackend().send(Message(channel="email", to="wang.wu@example.cn", masked="w***@example.cn",
                                      verb="suggestion.assign", subject="【人大履职平台】新交办", body="请办理"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang.wu@example.cn"] and mail.outbox[0].subject == "【人大履职平台】新交办"


def test_django_email_backend_failure_is_a_delivery_error(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", s.getsockname()[1]
    with pytest.raises(DeliveryError) as exc:
        DjangoEmailBackend().send(Message(channel="email", to="a@example.cn", masked="a***@example.cn", verb="x"))
    assert not exc.value.permanent


def test_gateway_posts_the_template_and_a_valid_signature(gateway: Gateway) -> None:
    gateway.backend().send(SMS)
    (sent,) = gateway.requests
    assert sent["phone"] == "13812345678" and sent["template_id"] == "SMS_001"
    assert sent["params"] == {"code": "ABCD1234"} and sent["sign_name"] == "某镇人大" and sent["app_key"] == "renda"
    text = "\n".join(["renda", str(sent["timestamp"]), sent["nonce"], "13812345678", "SMS_001"])
    assert sent["signature"] == hmac.new(b"s3cret", text.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(("status", "body", "permanent"), [
    (500, "busy", False),
    (429, "slow down", False),
    (400, '{"code": "isv.MOBILE_NUMBER_ILLEGAL"}', True),
    (200, '{"code": "isv.BUSINESS_LIMIT_CONTROL", "message": "触发流控"}', False),
])
def test_gateway_failures(gateway: Gateway, status: int, body: str, permanent: bool) -> None:
    gateway.answers.append((status, body))
    with pytest.raises(DeliveryError) as exc:
        gateway.backend().send(SMS)
    assert exc.value.permanent is permanent


@pytest.mark.parametrize("body", ['{"code": "OK"}', '{"code": 0, "msg": "成功"}', "accepted", "{}"])
def test_gateway_successes(gateway: Gateway, body: str) -> None:
    gateway.answers.append((200, body))
    gateway.backend().send(SMS)


def test_gateway_timeout_and_unreachable_are_retried() -> None:
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with pytest.raises(DeliveryError) as exc:
            SmsGatewayBackend(url=url, app_key="k", app_secret="s", sign_name="", timeout=0.2).send(SMS)
    assert not exc.value.permanent
    with pytest.raises(DeliveryError) as exc:  # the listener is closed: connection refused
        SmsGatewayBackend(url=url, app_key="k", app_secret="s", sign_name="", timeout=1).send(SMS)
    assert not exc.value.permanent


def test_gateway_without_url_or_template_fails_for_good() -> None:
    for backend, message in [(SmsGatewayBackend(url="", app_key="", app_secret="", sign_name=""), SMS),
                             (SmsGatewayBackend(url="file:///etc/passwd", app_key="", app_secret="", sign_name=""),
                              SMS),
                             (SmsGatewayBackend(url="http://127.0.0.1:9/", app_key="", app_secret="", sign_name=""),
                              Message(channel="sms", to="13812345678", masked="", verb="x"))]:
        with pytest.raises(DeliveryError) as exc:
            backend.send(message)
        assert exc.value.permanent


def test_backends_and_templates_from_the_settings() -> None:
    with override_settings(RENDA_SMS_BACKEND="log", RENDA_EMAIL_BACKEND="django"):
        assert backend_for("sms").name == "log" and backend_for("email").name == "django"
    with override_settings(RENDA_SMS_BACKEND="gateway",
                           RENDA_EMAIL_BACKEND="renda.notifications.tests.fakes.FailingBackend"):
        assert backend_for("sms").name == "gateway" and backend_for("email").name == "failing"
    with override_settings(RENDA_SMS_TEMPLATES={"suggestion.reply": "SMS_1", "*": "SMS_0"}):
        assert sms_template("suggestion.reply") == "SMS_1" and sms_template("risk.assign") == "SMS_0"
    with override_settings(RENDA_SMS_TEMPLATES={}):
        assert sms_template("risk.assign") == ""
