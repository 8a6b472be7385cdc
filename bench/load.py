"""A small HTTP load generator (threads + http.client): closed-loop throughput with N clients,
and open-loop latency at a fixed rate. Records status codes, latencies and error bodies."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Body = Callable[[int], tuple[str, str, bytes, dict[str, str]]]  # n -> (method, path, body, headers)


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    lock = threading.Lock()

    def add(self, latency: float, status: int, error: str = "") -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] += 1
            if error:
                self.errors[error[:120]] += 1

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000

    def summary(self) -> dict[str, Any]:
        return {"requests": len(self.latencies), "ok": self.ok, "seconds": round(self.seconds, 2),
                "throughput": round(self.throughput, 1), "p50_ms": round(self.pct(50), 1),
                "p95_ms": round(self.pct(95), 1), "p99_ms": round(self.pct(99), 1),
                "statuses": dict(self.statuses), "errors": dict(self.errors),
                "database_is_locked": sum(n for e, n in self.errors.items() if "database is locked" in e)}


def _one(host: str, port: int, make: Body, n: int, out: Outcome, conn: list[http.client.HTTPConnection]) -> None:
    method, path, body, headers = make(n)
    t = time.perf_counter()
    try:
        if not conn:
            conn.append(http.client.HTTPConnection(host, port, timeout=60))
        c = conn[0]
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        latency = time.perf_counter() - t
        error = ""
        if r.status >= 400:
            error = f"{r.status} {data[:300].decode('utf-8', 'replace')}"
        out.add(latency, r.status, error)
    except Exception as exc:
        conn.clear()
        out.add(time.perf_counter() - t, 0, f"{type(exc).__name__}: {exc}")


def closed_loop(host: str, port: int, make: Body, *, clients: int, seconds: float) -> Outcome:
    """``clients`` threads, each sending its next request as soon as the last one answered."""
    out = Outcome()
    counter = iter(range(10**9))
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        conn: list[http.client.HTTPConnection] = []
        while time.perf_counter() < stop:
            with lock:
                n = next(counter)
            _one(host, port, make, n, out, conn)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.seconds = time.perf_counter() - t0
    return out


def open_loop(host: str, port: int, make: Body, *, rate: float, seconds: float, max_clients: int = 64) -> Outcome:
    """Requests started at a fixed ``rate`` per second (a pool of threads sends them), so a slow
    answer does not slow the arrivals: latency as users see it at that rate."""
    out = Outcome()
    total = int(rate * seconds)
    t0 = time.perf_counter()
    slots = threading.Semaphore(max_clients)
    pool: list[list[http.client.HTTPConnection]] = []
    pool_lock = threading.Lock()

    def send(n: int) -> None:
        with pool_lock:
            conn = pool.pop() if pool else []
        try:
            _one(host, port, make, n, out, conn)
        finally:
            with pool_lock:
                pool.append(conn)
            slots.release()

    threads = []
    for n in range(total):
        due = t0 + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        slots.acquire()
        th = threading.Thread(target=send, args=(n,))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    out.seconds = time.perf_counter() - t0
    return out


def json_post(path: str, payload: Callable[[int], dict[str, Any]], headers: dict[str, str]) -> Body:
    def make(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return "POST", path, json.dumps(payload(n), ensure_ascii=False).encode(), {
            "Content-Type": "application/json", **headers}

    return make
