"""Event recording as client-go does it: de-duplication counts, aggregation, spam filter, series."""
from labsim import Cluster
from labsim.api.events import SeriesEventRecorder


def pod(c):
    # a scheduler that does not exist: the pod stays unbound, so only the events written here exist
    return c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db"},
                         "spec": {"schedulerName": "no-such-scheduler",
                                  "containers": [{"name": "db", "image": "mongo"}]}})


def events(c, ns="default"):
    return c.api.list(c.registry.for_kind("", "Event"), ns)


def test_identical_events_are_counted_on_one_event_object():
    c = Cluster()
    p = pod(c)
    rec = c.recorder("kubelet", "k3d-kubelabs-server-0")
    first = rec.event(p, "Normal", "Pulling", 'Pulling image "mongo"', "spec.containers{db}")
    c.advance(20)
    rec.event(p, "Normal", "Pulling", 'Pulling image "mongo"', "spec.containers{db}")
    c.advance(23)
    last = rec.event(p, "Normal", "Pulling", 'Pulling image "mongo"', "spec.containers{db}")
    evs = events(c)
    assert len(evs) == 1
    assert last["metadata"]["name"] == first["metadata"]["name"]
    assert last["count"] == 3
    assert last["firstTimestamp"] == "2026-11-24T09:00:30Z"
    assert last["lastTimestamp"] == "2026-11-24T09:01:13Z"
    assert last["source"] == {"component": "kubelet", "host": "k3d-kubelabs-server-0"}
    assert last["involvedObject"]["fieldPath"] == "spec.containers{db}"
    assert last["involvedObject"]["uid"] == p["metadata"]["uid"]


def test_event_names_are_object_name_and_hex_unix_nanoseconds():
    c = Cluster()
    ev = c.recorder("kubelet").event(pod(c), "Normal", "Pulled", "x")
    # 2026-11-24T09:00:30Z in Unix nanoseconds, in hex
    assert ev["metadata"]["name"] == "db." + format((1795510800 + 30) * 10**9, "x")


def test_from_the_tenth_distinct_message_events_are_combined():
    c = Cluster()
    p = pod(c)
    rec = c.recorder("kubelet")
    for i in range(12):
        rec.event(p, "Warning", "Unhealthy", f"Liveness probe failed: attempt {i}")
        c.advance(1)
    assert len(events(c)) == 10
    combined = [e for e in events(c) if e["message"].startswith("(combined from similar events): ")]
    assert len(combined) == 1 and combined[0]["count"] == 3
    assert combined[0]["message"] == "(combined from similar events): Liveness probe failed: attempt 11"


def test_aggregation_window_resets_after_ten_quiet_minutes():
    c = Cluster()
    p = pod(c)
    rec = c.recorder("kubelet")
    for i in range(9):
        rec.event(p, "Warning", "Unhealthy", f"failure {i}")
    c.advance(601)
    rec.event(p, "Warning", "Unhealthy", "failure 9")
    assert not any(e["message"].startswith("(combined") for e in events(c))


def test_spam_filter_allows_a_burst_of_25_then_one_per_five_minutes():
    c = Cluster()
    p = pod(c)
    rec = c.recorder("kubelet")
    written = [rec.event(p, "Warning", "BackOff", "Back-off restarting failed container db") for _ in range(30)]
    assert sum(w is not None for w in written) == 25
    assert events(c)[0]["count"] == 25
    c.advance(300)
    assert rec.event(p, "Warning", "BackOff", "Back-off restarting failed container db") is not None
    assert rec.event(p, "Warning", "BackOff", "Back-off restarting failed container db") is None


def test_series_events_of_the_new_api():
    c = Cluster()
    p = pod(c)
    evs = lambda: [e for e in events(c) if e["reason"] == "FailedScheduling"]
    rec = SeriesEventRecorder(c.api, c.clock, "default-scheduler", "default-scheduler-k3d-kubelabs-server-0")
    first = rec.eventf(p, None, "Warning", "FailedScheduling", "Scheduling", "0/1 nodes are available")
    assert first["eventTime"] == "2026-11-24T09:00:30.000000Z" and "series" not in first
    c.advance(10)
    second = rec.eventf(p, None, "Warning", "FailedScheduling", "Scheduling", "0/1 nodes are available")
    assert second["metadata"]["name"] == first["metadata"]["name"]
    assert second["series"] == {"count": 2, "lastObservedTime": "2026-11-24T09:00:40.000000Z"}
    # later repeats are counted in the recorder's cache, not written at once
    c.advance(60)
    assert rec.eventf(p, None, "Warning", "FailedScheduling", "Scheduling", "0/1 nodes are available") is None
    assert evs()[0]["series"]["count"] == 2
    # the 6-minute finish ticker (at 390 s, 750 s, ...) writes a series idle for 6 minutes a last time
    c.advance(750 - c.now)
    assert len(evs()) == 1
    assert evs()[0]["series"] == {"count": 3, "lastObservedTime": "2026-11-24T09:01:40.000000Z"}
    third = rec.eventf(p, None, "Warning", "FailedScheduling", "Scheduling", "0/1 nodes are available")
    assert third["metadata"]["name"] != first["metadata"]["name"] and "series" not in third


def test_long_series_are_refreshed_every_thirty_minutes():
    c = Cluster()
    p = pod(c)
    rec = SeriesEventRecorder(c.api, c.clock, "default-scheduler", "default-scheduler-x")
    for _ in range(40):  # one failure a minute keeps the series alive
        rec.eventf(p, None, "Warning", "FailedScheduling", "Scheduling", "0/1 nodes are available")
        c.advance(60)
    ev = [e for e in events(c) if e["reason"] == "FailedScheduling"][0]
    assert ev["series"]["count"] == 30  # written by the refresh at 30 s + 1800 s: events at 30, 90, ..., 1770 s


def test_events_expire_an_hour_after_their_last_write():
    c = Cluster()
    p = pod(c)
    rec = c.recorder("kubelet")
    rec.event(p, "Normal", "Pulling", 'Pulling image "mongo"')
    c.advance(3000)
    rec.event(p, "Normal", "Pulling", 'Pulling image "mongo"')  # count 2: the lease is renewed
    c.advance(3000)
    assert len(events(c)) == 1 and events(c)[0]["count"] == 2
    c.advance(601)
    assert events(c) == []
