"""Port of client-go ``util/flowcontrol/backoff.go`` (the kubelet's container and image back-off).

The kubelet keeps two of these per node (``pkg/kubelet/kubelet.go``): ``backOff`` for container
restarts (CrashLoopBackOff) and the image manager's for pulls (ImagePullBackOff), both
``NewBackOff(backOffPeriod=10s, MaxContainerBackOff=300s)`` with no jitter in v1.32.

Times are simulated seconds (floats); durations are seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

#: pkg/kubelet/kubelet.go: ``backOffPeriod`` and ``MaxContainerBackOff`` (v1.32)
BACKOFF_PERIOD = 10.0
MAX_CONTAINER_BACKOFF = 300.0


@dataclass
class _Entry:
    backoff: float
    last_update: float


class Backoff:
    """``flowcontrol.Backoff``: per-key exponential back-off, doubling up to ``max_duration``.

    An entry whose ``lastUpdate`` lies more than ``2 * max_duration`` before the event being
    judged has "expired": the key is treated as new (``hasExpired``: "consider stable if it's ok
    for twice the maxDuration").
    """

    def __init__(self, clock, initial: float = BACKOFF_PERIOD, max_duration: float = MAX_CONTAINER_BACKOFF):
        self.clock = clock
        self.initial = initial
        self.max_duration = max_duration
        self.entries: dict[str, _Entry] = {}

    def get(self, key: str) -> float:
        """``Get``: the current back-off of ``key`` (0 when unknown)."""
        e = self.entries.get(key)
        return e.backoff if e is not None else 0.0

    def _expired(self, event_time: float, last_update: float) -> bool:
        return _ns(event_time - last_update) > _ns(self.max_duration * 2)

    def next(self, key: str, event_time: float) -> None:
        """``Next``: move ``key`` to its next back-off (initial if new or expired, else doubled)."""
        e = self.entries.get(key)
        if e is None or self._expired(event_time, e.last_update):
            e = self.entries[key] = _Entry(self.initial, 0.0)
        else:
            e.backoff = min(e.backoff * 2, self.max_duration)
        e.last_update = self.clock.now

    def is_in_backoff_since(self, key: str, event_time: float) -> bool:
        """``IsInBackOffSince``: true while ``now - event_time`` is shorter than the entry."""
        e = self.entries.get(key)
        if e is None or self._expired(event_time, e.last_update):
            return False
        return _ns(self.clock.now - event_time) < _ns(e.backoff)

    def is_in_backoff_since_update(self, key: str, event_time: float) -> bool:
        """``IsInBackOffSinceUpdate``: true while ``event_time - lastUpdate`` is shorter than the entry."""
        e = self.entries.get(key)
        if e is None or self._expired(event_time, e.last_update):
            return False
        return _ns(event_time - e.last_update) < _ns(e.backoff)

    def window_end(self, key: str) -> float | None:
        """When the window opened by the last ``Next`` closes (``lastUpdate + backoff``)."""
        e = self.entries.get(key)
        return None if e is None else e.last_update + e.backoff

    def gc(self) -> None:
        """``GC``: drop entries not updated for ``2 * max_duration``."""
        now = self.clock.now
        for k in [k for k, e in self.entries.items() if now - e.last_update > self.max_duration * 2]:
            del self.entries[k]

    def delete(self, key: str) -> None:
        self.entries.pop(key, None)


def _ns(seconds: float) -> int:
    """Whole nanoseconds, as Go's time.Duration compares (no float rounding surprises)."""
    return int(round(seconds * 1e9))


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String()``: ``10s``, ``1m20s``, ``5m0s``, ``3.21s``, ``812ms``, ``1h0m0s``.

    ``seconds`` is rounded to whole nanoseconds first, as a Duration is an int64 of nanoseconds.
    """
    ns = int(round(seconds * 1e9))
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        # sub-second: the largest unit among ns, µs, ms that keeps the integer part non-zero
        if u < 1000:
            out = f"{u}ns"
        elif u < 1_000_000:
            out = _frac(u, 1000) + "µs"
        else:
            out = _frac(u, 1_000_000) + "ms"
    else:
        secs_ns = u % 60_000_000_000
        mins = u // 60_000_000_000
        out = _frac(secs_ns, 1_000_000_000) + "s"
        if mins:
            hours, mins = divmod(mins, 60)
            out = f"{mins}m" + out
            if hours:
                out = f"{hours}h" + out
    return ("-" if neg else "") + out


def _frac(v: int, unit: int) -> str:
    whole, rest = divmod(v, unit)
    if not rest:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + f"{rest:0{digits}d}".rstrip("0")


def truncate_ms(seconds: float) -> float:
    """``Duration.Truncate(time.Millisecond)``."""
    ns = int(round(seconds * 1e9))
    return (ns - ns % 1_000_000) / 1e9
