"""The simulated clock: ordering, cancellation, and the rendering of simulated times."""
import pytest

from labsim.clock import SimClock, parse_duration, parse_rfc3339, rfc1123z, rfc3339, rfc3339_micro


def test_events_run_in_time_then_scheduling_order():
    clock, seen = SimClock(), []
    clock.call_later(5, seen.append, "b")
    clock.call_later(1, seen.append, "a")
    clock.call_later(5, seen.append, "c")
    clock.run_until(4)
    assert seen == ["a"] and clock.now == 4
    clock.run_until(10)
    assert seen == ["a", "b", "c"] and clock.now == 10


def test_events_scheduled_while_running_are_run_if_due():
    clock, seen = SimClock(), []

    def first():
        seen.append(("first", clock.now))
        clock.call_later(2, lambda: seen.append(("second", clock.now)))

    clock.call_later(1, first)
    clock.advance(3)
    assert seen == [("first", 1.0), ("second", 3.0)]


def test_cancelled_timer_never_runs():
    clock, seen = SimClock(), []
    t = clock.call_later(1, seen.append, "x")
    t.cancel()
    clock.advance(5)
    assert seen == []


def test_state_at_t_does_not_depend_on_how_the_clock_is_driven():
    def drive(steps):
        clock, seen = SimClock(), []
        for d in (0.5, 1.5, 1.5, 7):
            clock.call_later(d, lambda d=d: seen.append((d, clock.now)))
        for s in steps:
            clock.advance(s)
        return seen, clock.now

    assert drive([10]) == drive([1, 1, 1, 7]) == drive([0.25] * 40)


def test_time_rendering():
    assert rfc3339(0) == "2026-11-24T09:00:00Z"
    assert rfc3339(40.9) == "2026-11-24T09:00:40Z"
    assert rfc3339_micro(1.5) == "2026-11-24T09:00:01.500000Z"
    assert rfc1123z(3661) == "Tue, 24 Nov 2026 10:01:01 +0000"
    assert parse_rfc3339("2026-11-24T09:02:00Z") == 120


@pytest.mark.parametrize("text,seconds", [("40", 40), ("40s", 40), ("2m", 120), ("1.5h", 5400),
                                          ("1m30s", 90), ("500ms", 0.5), (7, 7)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "5x", "1m30"])
def test_parse_duration_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_duration(text)
