"""The controller pattern: watch handlers enqueue keys, ``sync(key)`` re-reads and reconciles.

:class:`WorkQueue` follows client-go's workqueue: a key is queued at most once at a time, a key
being processed that is added again is processed once more afterwards, and failed keys are retried
with exponential back-off (5 ms doubling, capped at 1000 s, as ``DefaultControllerRateLimiter``).
Processing happens on the simulated clock, never inline in a watch callback.
"""
from __future__ import annotations

from typing import Callable

from labsim.api.store import WatchEvent


class Requeue(Exception):
    """Raised (or returned) by ``sync`` to run the key again after ``after`` seconds."""

    def __init__(self, after: float | None = None):
        super().__init__(after)
        self.after = after


class WorkQueue:
    BASE_DELAY = 0.005
    MAX_DELAY = 1000.0

    def __init__(self, clock, process: Callable[[str], object], delay: float = 0.0):
        self.clock = clock
        self.process = process
        self.delay = delay
        self._queued: dict[str, object] = {}
        self._failures: dict[str, int] = {}

    def add(self, key: str, after: float | None = None) -> None:
        when = self.clock.now + (self.delay if after is None else after)
        timer = self._queued.get(key)
        if timer is not None:
            if timer.when <= when:
                return
            timer.cancel()
        self._queued[key] = self.clock.call_at(when, self._run, key)

    def add_rate_limited(self, key: str) -> None:
        n = self._failures.get(key, 0)
        self._failures[key] = n + 1
        self.add(key, min(self.MAX_DELAY, self.BASE_DELAY * (2 ** n)))

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)

    def _run(self, key: str) -> None:
        self._queued.pop(key, None)
        from labsim import errors

        try:
            result = self.process(key)
        except Requeue as r:
            if r.after is None:
                self.add_rate_limited(key)
            else:
                self.add(key, r.after)
            return
        except errors.StatusError:
            # a conflict or a vanished object: re-read and try again, as controllers do
            self.add_rate_limited(key)
            return
        if isinstance(result, Requeue):
            self.add(key, result.after) if result.after is not None else self.add_rate_limited(key)
            return
        self.forget(key)

    def __len__(self) -> int:
        return len(self._queued)


class Controller:
    """Base for controllers: subclasses set ``name``, implement ``start`` and ``sync``."""

    name = "controller"

    def __init__(self, cluster):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.store
        self.clock = cluster.clock
        self.queue = WorkQueue(self.clock, self.sync)
        self._stops: list[Callable[[], None]] = []

    def watch(self, kind: str, handler: Callable[[WatchEvent], None], group: str = "") -> None:
        rt = self.api.registry.for_kind(group, kind)
        self._stops.append(self.store.watch(handler, rt))

    def start(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def stop(self) -> None:
        for s in self._stops:
            s()
        self._stops.clear()

    def sync(self, key: str):  # pragma: no cover - interface
        raise NotImplementedError
