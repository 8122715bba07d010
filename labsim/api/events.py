"""Event recording, as components write Events into the API.

Two recorders exist in a v1.32 cluster, and both are modelled:

* :class:`EventRecorder` (``k8s.io/client-go/tools/record``, core/v1 Events): used by the kubelet and
  most of kube-controller-manager. Its correlator (``events_cache.go``) does three things before a
  write: a spam filter (token bucket per source+object: burst 25, one token per 5 minutes), an
  aggregator (more than 10 events with the same source, object, type and reason but different
  messages within 10 minutes become one ``(combined from similar events): <msg>`` event) and a
  logger that de-duplicates identical events by bumping ``count`` and ``lastTimestamp`` of the
  existing Event (what ``kubectl describe`` shows as ``(x3 over 40s)``).
* :class:`SeriesEventRecorder` (``k8s.io/client-go/tools/events``, events.k8s.io/v1): used by the
  scheduler. The first occurrence is a singleton Event with ``eventTime``; an isomorphic event
  within 6 minutes turns it into a series (``series.count``, ``series.lastObservedTime``).

Event names are ``<object name>.<hex of the event time in Unix nanoseconds>``, as client-go makes
them; the time is simulated, so names are deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass

from labsim.clock import EPOCH, rfc3339, rfc3339_micro

_EPOCH_UNIX_NS = int(EPOCH.timestamp()) * 1_000_000_000

#: client-go tools/record defaults (events_cache.go)
SPAM_BURST = 25
SPAM_REFILL_SECONDS = 300.0
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL_SECONDS = 600.0


def event_name(object_name: str, t: float, taken: set[str] | None = None) -> str:
    ns = _EPOCH_UNIX_NS + int(round(t * 1_000_000_000))
    name = f"{object_name}.{ns:x}"
    while taken is not None and name in taken:
        ns += 1
        name = f"{object_name}.{ns:x}"
    return name


def object_reference(obj: dict, field_path: str = "") -> dict:
    """``ref.GetReference``: the involvedObject of an Event."""
    md = obj.get("metadata") or {}
    ref = {
        "apiVersion": obj.get("apiVersion", ""),
        "kind": obj.get("kind", ""),
        "name": md.get("name", ""),
        "resourceVersion": md.get("resourceVersion", ""),
        "uid": md.get("uid", ""),
    }
    if md.get("namespace"):
        ref["namespace"] = md["namespace"]
    if field_path:
        ref["fieldPath"] = field_path
    return ref


@dataclass
class _Bucket:
    tokens: float
    last: float


class EventRecorder:
    """A legacy (core/v1) event recorder for one component (``kubelet``, ``deployment-controller``)."""

    def __init__(self, api, clock, component: str, host: str = ""):
        self.api = api
        self.clock = clock
        self.component = component
        self.host = host
        self._spam: dict[tuple, _Bucket] = {}
        self._aggregate: dict[tuple, tuple[set[str], float]] = {}
        self._last: dict[tuple, tuple[str, str]] = {}  # dedup key -> (namespace, event name)

    def event(self, obj: dict, type_: str, reason: str, message: str, field_path: str = "") -> dict | None:
        """Record an event about ``obj`` (``recorder.Event``). Returns the Event written, or None
        when the spam filter dropped it or the namespace is gone."""
        from labsim import errors

        now = self.clock.now
        ref = object_reference(obj, field_path)
        namespace = ref.get("namespace") or "default"
        obj_key = (self.component, self.host, ref["kind"], namespace, ref["name"], ref["uid"], ref["apiVersion"])
        # spam filter (getSpamKey: source + involved object, not the field path): a token bucket
        b = self._spam.get(obj_key)
        if b is None:
            b = self._spam[obj_key] = _Bucket(SPAM_BURST, now)
        b.tokens = min(SPAM_BURST, b.tokens + (now - b.last) / SPAM_REFILL_SECONDS)
        b.last = now
        if b.tokens < 1:
            return None
        b.tokens -= 1
        # aggregator (EventAggregatorByReasonFunc): distinct messages with the same source, object,
        # type and reason; the window slides with each similar event; from the 10th distinct message
        # on they are written as one "(combined from similar events)" event.
        agg_key = obj_key + (type_, reason, self.component, self.host)
        msgs, last = self._aggregate.get(agg_key, (set(), None))
        if last is None or now - last > AGGREGATE_INTERVAL_SECONDS:
            msgs = set()
        msgs.add(message)
        self._aggregate[agg_key] = (msgs, now)
        if len(msgs) >= AGGREGATE_MAX_EVENTS:
            msgs.discard(next(iter(sorted(msgs - {message}))) if len(msgs) > 1 else message)
            message = "(combined from similar events): " + message
            dedup_key = ("aggregate",) + agg_key
        else:
            # getEventKey: source, object incl. field path, type, reason, message
            dedup_key = obj_key + (ref.get("fieldPath", ""), type_, reason, message)
        ev_rt = self.api.registry.for_kind("", "Event")
        prev = self._last.get(dedup_key)
        if prev is not None:
            existing = self.api.try_get(ev_rt, prev[0], prev[1])
            if existing is not None:
                new = dict(existing)
                new["count"] = int(existing.get("count") or 1) + 1
                new["lastTimestamp"] = rfc3339(now)
                new["message"] = message
                new["metadata"] = dict(existing["metadata"])
                try:
                    return self.api.update(new)
                except errors.StatusError:
                    return None
        name = event_name(ref["name"], now)
        while self.api.try_get(ev_rt, namespace, name) is not None:
            now_ns = int(name.rsplit(".", 1)[1], 16) + 1
            name = f"{ref['name']}.{now_ns:x}"
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "source": {"component": self.component, **({"host": self.host} if self.host else {})},
            "firstTimestamp": rfc3339(now),
            "lastTimestamp": rfc3339(now),
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        try:
            written = self.api.create(ev)
        except errors.StatusError:
            return None
        self._last[dedup_key] = (namespace, name)
        return written

    def eventf(self, obj: dict, type_: str, reason: str, fmt: str, *args) -> dict | None:
        return self.event(obj, type_, reason, fmt % args if args else fmt)


class SeriesEventRecorder:
    """An events.k8s.io/v1 recorder (``k8s.io/client-go/tools/events``), as the scheduler uses.

    kubernetes/client-go: tools/events/event_broadcaster.go. An event is cached by its isomorphic
    key (regarding object, related object, type, reason, action, note, reporting controller and
    instance). The first occurrence is written as a singleton. The first repeat turns it into a
    series and writes ``series: {count: 2, lastObservedTime}``; later repeats only count in the
    cache. Every 30 minutes (``refreshTime``) the cached series are written again with their
    counts; every 6 minutes (``finishTime``) series not observed for 6 minutes are written a last
    time and dropped from the cache (singletons older than 6 minutes are dropped), so the next
    occurrence starts a new Event.
    """

    REFRESH_SECONDS = 30 * 60
    FINISH_SECONDS = 6 * 60

    def __init__(self, api, clock, controller: str, instance: str):
        self.api = api
        self.clock = clock
        self.controller = controller
        self.instance = instance
        #: isomorphic key -> {"ns", "name", "event_time", "series": None | {"count", "last"}}
        self._cache: dict[tuple, dict] = {}
        self._tickers_started = False

    def eventf(self, obj: dict, related: dict | None, type_: str, reason: str, action: str, note: str) -> dict | None:
        now = self.clock.now
        ref = object_reference(obj)
        namespace = ref.get("namespace") or "default"
        rel = object_reference(related) if related is not None else None
        key = (ref["kind"], namespace, ref["name"], ref["uid"], ref["apiVersion"],
               tuple(sorted((rel or {}).items())), type_, reason, action, note, self.controller, self.instance)
        self._start_tickers()
        cached = self._cache.get(key)
        if cached is not None:
            if cached["series"] is not None:
                cached["series"]["count"] += 1
                cached["series"]["last"] = now
                return None
            cached["series"] = {"count": 2, "last": now}
            return self._write_series(cached)
        ev_rt = self.api.registry.for_kind("", "Event")
        name = event_name(ref["name"], now)
        while self.api.try_get(ev_rt, namespace, name) is not None:
            now_ns = int(name.rsplit(".", 1)[1], 16) + 1
            name = f"{ref['name']}.{now_ns:x}"
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": ref,
            "reason": reason,
            "message": note,
            "source": {},
            "firstTimestamp": None,
            "lastTimestamp": None,
            "type": type_,
            "eventTime": rfc3339_micro(now),
            "action": action,
            "reportingComponent": self.controller,
            "reportingInstance": self.instance,
        }
        if rel is not None:
            ev["related"] = rel
        from labsim import errors

        try:
            written = self.api.create(ev)
        except errors.StatusError:
            return None
        self._cache[key] = {"ns": namespace, "name": name, "event_time": now, "series": None}
        return written

    def _write_series(self, cached: dict) -> dict | None:
        from labsim import errors

        ev_rt = self.api.registry.for_kind("", "Event")
        existing = self.api.try_get(ev_rt, cached["ns"], cached["name"])
        if existing is None:
            return None
        new = dict(existing)
        new["series"] = {"count": cached["series"]["count"],
                         "lastObservedTime": rfc3339_micro(cached["series"]["last"])}
        new["metadata"] = dict(existing["metadata"])
        try:
            return self.api.update(new)
        except errors.StatusError:
            return None

    def _start_tickers(self) -> None:
        if not self._tickers_started:
            self._tickers_started = True
            self.clock.call_later(self.FINISH_SECONDS, self._finish_series)
            self.clock.call_later(self.REFRESH_SECONDS, self._refresh_series)

    def _finish_series(self) -> None:
        now = self.clock.now
        for key, cached in list(self._cache.items()):
            series = cached["series"]
            if series is not None:
                if series["last"] < now - self.FINISH_SECONDS:
                    self._write_series(cached)
                    del self._cache[key]
            elif cached["event_time"] < now - self.FINISH_SECONDS:
                del self._cache[key]
        self._reschedule(self.FINISH_SECONDS, self._finish_series)

    def _refresh_series(self) -> None:
        for cached in list(self._cache.values()):
            if cached["series"] is not None:
                self._write_series(cached)
        self._reschedule(self.REFRESH_SECONDS, self._refresh_series)

    def _reschedule(self, period: float, fn) -> None:
        # tickers keep running only while something is cached (an idle recorder costs nothing)
        if self._cache:
            self.clock.call_later(period, fn)
        else:
            self._tickers_started = False
