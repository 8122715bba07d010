"""The simulated clock: a deterministic discrete-event queue.

Nothing in labsim reads wall time. Every delay (image pulls, probe periods, back-off, grace
periods, controller resyncs) is an event scheduled here, ordered by ``(time, sequence)`` so two
events at the same instant always run in the order they were scheduled. ``run_until(t)`` runs every
event due at or before ``t`` and leaves ``now == t``; the state at simulated time ``t`` is therefore
the same however the clock is driven (stepped from a script or live in a notebook).

Times are floats in seconds since the cluster's epoch (:data:`EPOCH`); :func:`rfc3339` and
:func:`rfc1123z` render them as the API server and ``kubectl describe`` do.
"""
from __future__ import annotations

import heapq
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

#: Simulated time 0: the moment the simulated cluster boots.
EPOCH = datetime(2026, 11, 24, 9, 0, 0, tzinfo=timezone.utc)


class Timer:
    """A handle to a scheduled event; ``cancel()`` stops it from running."""

    __slots__ = ("when", "seq", "fn", "args", "cancelled")

    def __init__(self, when: float, seq: int, fn: Callable[..., Any], args: tuple):
        self.when = when
        self.seq = seq
        self.fn = fn
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True



class SimClock:
    """A heap of timers; the only source of time in the simulator."""

    def __init__(self, start: float = 0.0):
        self.now = float(start)
        # entries are (when, seq, timer): tuples compare in C, the seq breaks ties in order
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = 0
        self._observers: list[Callable[[float], None]] = []

    def call_at(self, when: float, fn: Callable[..., Any], *args: Any) -> Timer:
        if when < self.now:
            when = self.now
        self._seq += 1
        t = Timer(when, self._seq, fn, args)
        heapq.heappush(self._heap, (when, self._seq, t))
        return t

    def call_later(self, delay: float, fn: Callable[..., Any], *args: Any) -> Timer:
        return self.call_at(self.now + max(0.0, float(delay)), fn, *args)

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> Timer:
        return self.call_at(self.now, fn, *args)

    def next_time(self) -> float | None:
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def step(self) -> bool:
        """Run the next due event (advancing ``now`` to it). Returns False if none is pending."""
        while self._heap:
            t = heapq.heappop(self._heap)[2]
            if t.cancelled:
                continue
            if t.when > self.now:
                self.now = t.when
                self._notify()
            t.fn(*t.args)
            return True
        return False

    def run_until(self, when: float) -> None:
        """Run every event due at or before ``when``, then set ``now = when``."""
        heap = self._heap
        while heap:
            t = heap[0][2]
            if t.cancelled:
                heapq.heappop(heap)
                continue
            if t.when > when:
                break
            heapq.heappop(heap)
            if t.when > self.now:
                self.now = t.when
                self._notify()
            t.fn(*t.args)
        if when > self.now:
            self.now = when
            self._notify()

    def advance(self, seconds: float) -> None:
        self.run_until(self.now + float(seconds))

    def settle(self, limit: int = 100000) -> None:
        """Run events due now (zero-delay cascades) without moving time."""
        self.run_until(self.now)

    def observe(self, fn: Callable[[float], None]) -> Callable[[], None]:
        """Call ``fn(now)`` whenever simulated time moves; returns an unsubscribe function."""
        self._observers.append(fn)
        return lambda: self._observers.remove(fn) if fn in self._observers else None

    def _notify(self) -> None:
        for fn in list(self._observers):
            fn(self.now)

    # -- rendering ---------------------------------------------------------------------------
    def datetime(self, t: float | None = None) -> datetime:
        return EPOCH + timedelta(seconds=self.now if t is None else t)

    def rfc3339(self, t: float | None = None) -> str:
        return rfc3339(self.now if t is None else t)


_last_rfc3339: list = [None, ""]  # (whole second, text): most writes at an instant share one stamp


def rfc3339(t: float) -> str:
    """``2026-11-24T09:00:40Z``: metav1.Time as serialised (whole seconds, UTC)."""
    second = int(t // 1)
    if _last_rfc3339[0] == second:
        return _last_rfc3339[1]
    text = (EPOCH + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _last_rfc3339[0], _last_rfc3339[1] = second, text
    return text


def rfc3339_micro(t: float) -> str:
    """metav1.MicroTime (``eventTime``, lease ``renewTime``): ``2026-11-24T09:00:40.123456Z``."""
    us = int(round(t * 1_000_000))
    return (EPOCH + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_RFC3339_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_rfc3339(s: str) -> float:
    """Simulated seconds of an RFC 3339 timestamp (inverse of :func:`rfc3339`)."""
    m = _RFC3339_RE.match(s)
    if not m:
        raise ValueError(f"invalid RFC 3339 time {s!r}")
    dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (dt - EPOCH).total_seconds()


def rfc1123z(t: float) -> str:
    """Go's RFC1123Z, as ``kubectl describe`` prints times: ``Tue, 24 Nov 2026 09:00:40 +0000``."""
    return (EPOCH + timedelta(seconds=int(t // 1))).strftime("%a, %d %b %Y %H:%M:%S +0000")


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_GO_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")


def parse_duration(value: str | int | float) -> float:
    """Seconds in ``40``, ``40s``, ``2m``, ``1.5h``, ``1m30s`` (shell ``sleep`` and Go durations)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    m = _DURATION_RE.match(text)
    units = {None: 1.0, "s": 1.0, "ms": 0.001, "m": 60.0, "h": 3600.0, "d": 86400.0}
    if m:
        return float(m.group(1)) * units[m.group(2)]
    parts = _GO_DURATION_RE.findall(text)
    if parts and "".join(a + b for a, b in parts) == text:
        return sum(float(a) * units[b] for a, b in parts)
    raise ValueError(f"invalid duration {value!r}")
