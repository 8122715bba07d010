"""The object store: persisted objects, resourceVersions, watches and history.

This is the simulator's etcd plus the watch cache. It knows nothing about validation: every
write comes through :class:`labsim.api.server.APIServer`, which decodes, defaults, validates and
then calls :meth:`ObjectStore.put` / :meth:`ObjectStore.remove`.

Stored objects are never mutated in place: each write stores a new dict and readers share it
read-only. That makes reads free (no copy per ``get``), and makes :attr:`ObjectStore.history`
cheap: it keeps references to the versions, which serve watches that resume from a
resourceVersion, ``kubectl get -w`` and time travel.

resourceVersion is one global counter, as etcd's revision is; it is stored as a string in
``metadata.resourceVersion`` exactly as the API server returns it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterable

from labsim.api.meta import deep_copy
from labsim.api.registry import ResourceType

ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"


@dataclass(frozen=True)
class WatchEvent:
    """One change, as a watch stream delivers it (``{"type": ..., "object": ...}``)."""

    type: str  # ADDED | MODIFIED | DELETED
    resource: ResourceType
    object: dict
    old: dict | None
    resource_version: int
    time: float


WatchHandler = Callable[[WatchEvent], None]


class MutationDetected(AssertionError):
    """A stored object was changed in place by someone other than the store."""


class StoreReads:
    """The read side of a store over ``_objects`` (group_resource -> key -> object) and ``_sorted``
    (each resource's keys in etcd order, rebuilt when None): the live :class:`ObjectStore` and the
    past's snapshot store (:mod:`labsim.timetravel`) read the same way."""

    _objects: dict[str, dict[str, dict]]
    _sorted: dict[str, list[str] | None]

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> dict | None:
        key = f"{namespace}/{name}" if rt.namespaced else name
        return self._objects.get(rt.group_resource, {}).get(key)

    def list(self, rt: ResourceType, namespace: str | None = None) -> list[dict]:
        """Objects of a resource, sorted by namespace then name (etcd key order)."""
        bucket = self._objects.get(rt.group_resource)
        if not bucket:
            return []
        keys = self._sorted.get(rt.group_resource)
        if keys is None:
            keys = self._sorted[rt.group_resource] = sorted(bucket)
        if namespace and rt.namespaced:
            prefix = namespace + "/"
            return [bucket[k] for k in keys if k.startswith(prefix)]
        return [bucket[k] for k in keys]

    def count(self, rt: ResourceType) -> int:
        return len(self._objects.get(rt.group_resource, {}))

    def resources_with_objects(self) -> Iterable[str]:
        return self._objects.keys()


class ObjectStore(StoreReads):
    """Objects by resource and key, with watches and history.

    With ``mutation_detector=True`` (default from ``LABSIM_CACHE_MUTATION_DETECTOR=1``, which the
    test suite sets, as ``KUBE_CACHE_MUTATION_DETECTOR`` does for client-go informers) the store
    keeps a private copy of every object it hands out and fails loudly when a shared object was
    modified in place instead of being copied first.
    """

    def __init__(self, clock, mutation_detector: bool | None = None):
        self.clock = clock
        if mutation_detector is None:
            mutation_detector = os.environ.get("LABSIM_CACHE_MUTATION_DETECTOR") == "1"
        self._pristine: dict[tuple[str, str], dict] | None = {} if mutation_detector else None
        #: test mode (with the mutation detector): the API server checks its fast paths against
        #: its full pipeline on every write that takes one
        self.verify_fast_paths = bool(mutation_detector)
        self.resource_version = 0
        self._objects: dict[str, dict[str, dict]] = {}
        self._sorted: dict[str, list[str] | None] = {}
        self._watchers: dict[str | None, list[WatchHandler]] = {}
        #: every change since boot, oldest first (references, not copies)
        self.history: list[WatchEvent] = []


    # -- writes (only APIServer calls these) ---------------------------------------------------
    def next_resource_version(self) -> int:
        self.resource_version += 1
        return self.resource_version

    def put(self, rt: ResourceType, obj: dict, rv: int) -> WatchEvent:
        """Store ``obj`` (already carrying ``metadata.resourceVersion == str(rv)``)."""
        md = obj["metadata"]
        key = f"{md['namespace']}/{md['name']}" if rt.namespaced else md["name"]
        bucket = self._objects.setdefault(rt.group_resource, {})
        old = bucket.get(key)
        if old is None:
            self._sorted[rt.group_resource] = None
        if self._pristine is not None:
            self._check_unmutated(rt, key, old)
            self._pristine[(rt.group_resource, key)] = deep_copy(obj)
        bucket[key] = obj
        ev = WatchEvent(MODIFIED if old is not None else ADDED, rt, obj, old, rv, self.clock.now)
        self._emit(ev)
        return ev

    def remove(self, rt: ResourceType, obj: dict, rv: int) -> WatchEvent:
        """Remove an object; ``obj`` is its final state (with the deletion's resourceVersion)."""
        md = obj["metadata"]
        key = f"{md['namespace']}/{md['name']}" if rt.namespaced else md["name"]
        bucket = self._objects.get(rt.group_resource, {})
        old = bucket.pop(key, None)
        self._sorted[rt.group_resource] = None
        if self._pristine is not None:
            self._check_unmutated(rt, key, old)
            self._pristine.pop((rt.group_resource, key), None)
        ev = WatchEvent(DELETED, rt, obj, old, rv, self.clock.now)
        self._emit(ev)
        return ev

    # -- mutation detector ---------------------------------------------------------------------
    def _check_unmutated(self, rt: ResourceType, key: str, old: dict | None) -> None:
        if old is None or self._pristine is None:
            return
        pristine = self._pristine.get((rt.group_resource, key))
        if pristine is not None and pristine != old:
            raise MutationDetected(f"{rt.group_resource} {key!r} was modified in place outside the store; "
                                   "copy objects (labsim.api.meta.deep_copy) before changing them")

    def check_mutations(self) -> None:
        """Fail if any stored object differs from the copy taken when it was written."""
        if self._pristine is None:
            return
        for (gr, key), pristine in self._pristine.items():
            obj = self._objects.get(gr, {}).get(key)
            if obj is not None and obj != pristine:
                raise MutationDetected(f"{gr} {key!r} was modified in place outside the store")

    # -- watches -----------------------------------------------------------------------------
    def watch(self, handler: WatchHandler, resource: ResourceType | None = None) -> Callable[[], None]:
        """Call ``handler(event)`` after every change (of one resource, or of all); returns a stop function."""
        key = resource.group_resource if resource is not None else None
        self._watchers.setdefault(key, []).append(handler)

        def stop() -> None:
            lst = self._watchers.get(key, [])
            if handler in lst:
                lst.remove(handler)
        return stop

    def _emit(self, ev: WatchEvent) -> None:
        self.history.append(ev)
        for h in tuple(self._watchers.get(ev.resource.group_resource, ())):
            h(ev)
        for h in tuple(self._watchers.get(None, ())):
            h(ev)

    def events_since(self, resource_version: int) -> list[WatchEvent]:
        """Changes after ``resource_version`` (a watch resumed from a list's resourceVersion)."""
        lo, hi = 0, len(self.history)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.history[mid].resource_version <= resource_version:
                lo = mid + 1
            else:
                hi = mid
        return self.history[lo:]

    def state_at(self, resource_version: int) -> dict[str, dict[str, dict]]:
        """Every object as it was at ``resource_version``: the basis of time travel."""
        state: dict[str, dict[str, dict]] = {}
        for ev in self.history:
            if ev.resource_version > resource_version:
                break
            md = ev.object["metadata"]
            key = f"{md['namespace']}/{md['name']}" if ev.resource.namespaced else md["name"]
            bucket = state.setdefault(ev.resource.group_resource, {})
            if ev.type == DELETED:
                bucket.pop(key, None)
            else:
                bucket[key] = ev.object
        return state
