"""Coroutines on the simulated clock: how the kubelet writes "block for 1 s" without threads.

A real kubelet runs one goroutine per pod worker and blocks in it (sandbox creation, image
pulls, waiting out a grace period). Here such code is a generator run by :class:`Task`: it
``yield``s a number of seconds to sleep, an :class:`Event` to wait for (the value it is set with
is sent back), or another :class:`Task` to join. Everything resumes from clock timers, so the
order of what happens at one instant is the order things were scheduled.
"""
from __future__ import annotations

from typing import Any, Callable, Generator


class Event:
    """A one-shot event; waiters get the value it was set with."""

    __slots__ = ("is_set", "value", "_callbacks")

    def __init__(self) -> None:
        self.is_set = False
        self.value: Any = None
        self._callbacks: list[Callable[[Any], None]] = []

    def set(self, value: Any = True) -> None:
        if self.is_set:
            return
        self.is_set = True
        self.value = value
        cbs, self._callbacks = self._callbacks, []
        for cb in cbs:
            cb(value)

    def add_callback(self, cb: Callable[[Any], None]) -> None:
        if self.is_set:
            cb(self.value)
        else:
            self._callbacks.append(cb)


def wait_with_timeout(clock, event: Event, timeout: float) -> Event:
    """An event set with True when ``event`` fires, or with False after ``timeout`` seconds."""
    out = Event()
    if event.is_set:
        out.set(True)
        return out
    timer = clock.call_later(timeout, out.set, False)

    def fired(_v: Any) -> None:
        timer.cancel()
        out.set(True)
    event.add_callback(fired)
    return out


class Task:
    """Runs a generator on the clock (see the module docstring)."""

    __slots__ = ("clock", "gen", "done", "result", "cancelled", "_done_event")

    def __init__(self, clock, gen: Generator, start: bool = True):
        self.clock = clock
        self.gen = gen
        self.done = False
        self.result: Any = None
        self.cancelled = False
        self._done_event = Event()
        if start:
            self._run(None)

    @property
    def finished(self) -> Event:
        return self._done_event

    def cancel(self) -> None:
        if not self.done:
            self.cancelled = True
            self.done = True
            self.gen.close()
            self._done_event.set(None)

    def _resume(self, value: Any = None) -> None:
        if not self.cancelled and not self.done:
            self._run(value)

    def _run(self, value: Any) -> None:
        while True:
            try:
                y = self.gen.send(value)
            except StopIteration as stop:
                self.done = True
                self.result = stop.value
                self._done_event.set(stop.value)
                return
            if y is None:
                value = None
                continue
            if isinstance(y, (int, float)):
                self.clock.call_later(float(y), self._resume, None)
                return
            if isinstance(y, Task):
                y = y.finished
            if isinstance(y, Event):
                if y.is_set:
                    value = y.value
                    continue
                y.add_callback(self._resume)
                return
            raise TypeError(f"a kubelet task yielded {y!r}")


def all_of(tasks: list[Task]) -> Event:
    """An event set when every task has finished."""
    out = Event()
    pending = [t for t in tasks if not t.done]
    if not pending:
        out.set(True)
        return out
    left = [len(pending)]

    def one(_v: Any) -> None:
        left[0] -= 1
        if left[0] == 0:
            out.set(True)
    for t in pending:
        t.finished.add_callback(one)
    return out
