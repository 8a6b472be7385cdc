"""Back ends for the tests: one that always fails, one that fails permanently, one that counts."""

from __future__ import annotations

import threading

from renda.notifications.backends import DeliveryError, Message

SENT: list[Message] = []
_lock = threading.Lock()


class FailingBackend:
    name = "failing"

    def send(self, message: Message) -> None:
        raise DeliveryError("网关不可用 (HTTP 503)")


class RefusingBackend:
    name = "refusing"

    def send(self, message: Message) -> None:
        raise DeliveryError("HTTP 400: 号码不存在", permanent=True)


class BrokenBackend:
    name = "broken"

    def send(self, message: Message) -> None:
        raise RuntimeError("bug")


class CountingBackend:
    name = "counting"

    def send(self, message: Message) -> None:
        with _lock:
            SENT.append(message)
