"""The notifier interface and its back ends: how one message leaves the platform.

A back end's ``send(message)`` returns when the message was handed over and raises
:class:`DeliveryError` otherwise (``permanent=True`` when trying again cannot help: no template
configured, a malformed address, a 4xx refusal). Which back end serves a channel is a setting
(docs/notifications.md):

- ``RENDA_SMS_BACKEND``: ``log`` (default), ``gateway`` (:class:`SmsGatewayBackend`) or the
  dotted path of a class;
- ``RENDA_EMAIL_BACKEND``: ``log`` (default), ``django`` (Django's e-mail framework, the
  ``EMAIL_*`` settings) or a dotted path.

The ``log`` back end writes the message (with the address masked) to the ``renda.notifications``
log and counts as sent, so an intranet without gateways keeps every message in the outbox table.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("renda.notifications")


class DeliveryError(Exception):
    """The back end could not hand the message over. ``permanent``: do not try again."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" | "email"
    to: str  # the decrypted address
    masked: str  # the address as the log may show it
    verb: str
    template_id: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    subject: str = ""
    body: str = ""


class Backend(Protocol):
    name: str

    def send(self, message: Message) -> None: ...


class LogBackend:
    """No gateway: the message is logged (address masked) and counts as sent."""

    name = "log"

    def send(self, message: Message) -> None:
        if message.channel == "sms":
            logger.info("outbox: SMS to %s verb=%s template=%s params=%s", message.masked, message.verb,
                        message.template_id or "-", json.dumps(message.params, ensure_ascii=False))
        else:
            logger.info("outbox: e-mail to %s verb=%s subject=%s", message.masked, message.verb, message.subject)


class DjangoEmailBackend:
    """Django's e-mail framework (``EMAIL_BACKEND``, ``EMAIL_HOST`` …, ``DEFAULT_FROM_EMAIL``)."""

    name = "django"

    def send(self, message: Message) -> None:
        email = EmailMessage(subject=message.subject, body=message.body, to=[message.to],
                             from_email=settings.DEFAULT_FROM_EMAIL)
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # SMTP, socket and TLS errors alike: try again later
            raise DeliveryError(f"{type(exc).__name__}: {exc}"[:500]) from exc


#: Gateway codes that mean success (Chinese gateways answer 0, "0", "OK" or "success").
OK_CODES = {"0", "ok", "success", "200"}


class SmsGatewayBackend:
    """An HTTP SMS gateway that sends pre-approved templates (as Chinese gateways require).

    POSTs JSON ``{app_key, timestamp, nonce, signature, phone, sign_name, template_id, params}``
    to ``RENDA_SMS_GATEWAY_URL``; ``signature`` is the hex HMAC-SHA256, under the app secret, of
    ``app_key \\n timestamp \\n nonce \\n phone \\n template_id``. Success is a 2xx answer whose
    JSON ``code`` (if any) is 0/"OK"/"success"; anything else is a failure carrying the gateway's
    message. 4xx answers (but 408 and 429) are permanent, the rest are tried again.
    """

    name = "gateway"

    def __init__(self, *, url: str | None = None, app_key: str | None = None, app_secret: str | None = None,
                 sign_name: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.RENDA_SMS_GATEWAY_URL
        self.app_key = app_key if app_key is not None else settings.RENDA_SMS_APP_KEY
        self.app_secret = app_secret if app_secret is not None else settings.RENDA_SMS_APP_SECRET
        self.sign_name = sign_name if sign_name is not None else settings.RENDA_SMS_SIGN_NAME
        self.timeout = timeout if timeout is not None else settings.RENDA_SMS_TIMEOUT

    def payload(self, message: Message, *, timestamp: int | None = None, nonce: str | None = None) -> dict[str, Any]:
        stamp = int(time.time()) if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(8)
        text = "\n".join([self.app_key, str(stamp), nonce, message.to, message.template_id])
        signature = hmac.new(self.app_secret.encode(), text.encode(), hashlib.sha256).hexdigest()
        return {"app_key": self.app_key, "timestamp": stamp, "nonce": nonce, "signature": signature,
                "phone": message.to, "sign_name": self.sign_name, "template_id": message.template_id,
                "params": message.params}

    def send(self, message: Message) -> None:
        if not self.url:
            raise DeliveryError("RENDA_SMS_GATEWAY_URL is not set", permanent=True)
        if not message.template_id:
            raise DeliveryError(f"no SMS template for {message.verb} (RENDA_SMS_TEMPLATES)", permanent=True)
        if not self.url.startswith(("https://", "http://")):
            raise DeliveryError("RENDA_SMS_GATEWAY_URL must be an http(s) URL", permanent=True)
        data = json.dumps(self.payload(message), ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=data, method="POST",  # noqa: S310 (http(s), checked)
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, body = response.status, response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace") if exc.fp else ""
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise DeliveryError(f"HTTP {exc.code}: {detail}"[:500], permanent=permanent) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]) from exc
        if not 200 <= status < 300:  # pragma: no cover - urllib raises HTTPError for these
            raise DeliveryError(f"HTTP {status}")
        try:
            answer = json.loads(body.decode("utf-8", "replace") or "{}")
        except ValueError:
            return  # a 2xx without JSON: accepted
        if isinstance(answer, dict) and "code" in answer and str(answer["code"]).strip().lower() not in OK_CODES:
            text = answer.get("message") or answer.get("msg") or ""
            raise DeliveryError(f"gateway code {answer['code']}: {text}"[:500])


_NAMED: dict[str, dict[str, str]] = {
    "sms": {"log": "renda.notifications.backends.LogBackend",
            "gateway": "renda.notifications.backends.SmsGatewayBackend"},
    "email": {"log": "renda.notifications.backends.LogBackend",
              "django": "renda.notifications.backends.DjangoEmailBackend"},
}


def backend_for(channel: str) -> Backend:
    """The back end the settings choose for ``channel`` (a fresh instance: settings may change)."""
    name = settings.RENDA_SMS_BACKEND if channel == "sms" else settings.RENDA_EMAIL_BACKEND
    path = _NAMED[channel].get(name, name)
    backend: Backend = import_string(path)()
    return backend


def sms_template(verb: str) -> str:
    """The gateway template of a verb (``RENDA_SMS_TEMPLATES``; ``*`` for every other verb)."""
    table = settings.RENDA_SMS_TEMPLATES
    return str(table.get(verb) or table.get("*") or "")
