"""client-go flowcontrol.Backoff as the kubelet uses it, and Go duration formatting."""
import pytest

from labsim.clock import SimClock
from labsim.kubelet.backoff import Backoff, go_duration, truncate_ms


def test_sequence_for_a_container_that_fails_at_once():
    """doBackOff with finishedAt == now: restarts after 0, 10, 20, 40, 80, 160, 300, 300 s."""
    clock = SimClock(0)
    b = Backoff(clock)
    waits = []
    t_finished = 0.0
    for _ in range(8):
        # the container just died at t_finished; the kubelet restarts as soon as it may
        t = t_finished
        while b.entries.get("k") and b.is_in_backoff_since("k", t_finished) and clock.now < t_finished + 1000:
            clock.run_until(clock.now + 1)
        b.next("k", t_finished)
        waits.append(clock.now - t_finished)
        t_finished = clock.now
    assert waits == [0, 10, 20, 40, 80, 160, 300, 300]


def test_reset_after_ten_minutes():
    clock = SimClock(0)
    b = Backoff(clock)
    for _ in range(5):
        b.next("k", clock.now)
    assert b.get("k") == 160
    clock.run_until(601)  # ran 601 s after the last update, then failed
    assert not b.is_in_backoff_since("k", 601)
    b.next("k", 601)
    assert b.get("k") == 10
    clock.run_until(1000)
    b.next("k", 1000)
    assert b.get("k") == 20


def test_cap_and_since_update():
    clock = SimClock(0)
    b = Backoff(clock)
    for _ in range(10):
        b.next("k", clock.now)
    assert b.get("k") == 300
    assert b.is_in_backoff_since_update("k", 299.9)
    assert not b.is_in_backoff_since_update("k", 300)
    assert b.get("other") == 0
    assert not b.is_in_backoff_since("other", 0)


@pytest.mark.parametrize("seconds,text", [
    (0, "0s"), (10, "10s"), (80, "1m20s"), (300, "5m0s"), (3.21, "3.21s"), (0.812, "812ms"), (62.3, "1m2.3s"),
    (3600, "1h0m0s"), (0.054, "54ms"), (1.5, "1.5s"), (0.0000015, "1.5µs"),
])
def test_go_duration(seconds, text):
    assert go_duration(seconds) == text


def test_truncate_ms():
    assert go_duration(truncate_ms(3.2109)) == "3.21s"
