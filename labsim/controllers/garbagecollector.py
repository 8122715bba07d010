"""The garbage collector (kubernetes/kubernetes v1.32: pkg/controller/garbagecollector/
garbagecollector.go, graph_builder.go, operations.go, patch.go).
Doc: https://kubernetes.io/docs/concepts/architecture/garbage-collection/

The graph builder watches every resource and keeps, per owner uid, the objects whose
``ownerReferences`` name it (the dependents), updated incrementally from watch events, so no
event ever re-scans the store. Two work queues, keyed by uid, do the work:

* **attemptToDelete** (attemptToDeleteItem): an object whose owners are all gone (an owner is
  *dangling* when no object of that kind and name exists in the dependent's namespace or it has
  another uid) is deleted, with the propagation its own finalizers ask for (``orphan``,
  ``foregroundDeletion``) or else in the background; an object with a live owner ("solid") keeps
  living, minus the references to dangling owners and to owners waiting for a foreground deletion;
  an object whose only live owners are being deleted in the foreground is deleted itself, in the
  foreground when it has dependents of its own. An owner with the ``foregroundDeletion``
  finalizer (processDeletingDependentsItem) loses the finalizer, and so disappears, once no
  dependent with ``blockOwnerDeletion: true`` is left; until then its blocking dependents are
  (re)queued.
* **attemptToOrphan** (attemptToOrphanWorker): an owner deleted with ``propagationPolicy: Orphan``
  (finalizer ``orphan``): every dependent loses its ownerReference to it, then the finalizer
  is removed.

Triggers (processGraphChanges / processTransitions): a dependent appears whose owner does not
exist (a "virtual" owner, verified and found absent) -> its dependents are queued; an object is
deleted -> its dependents are queued, and so is any owner of it that waits for its dependents;
an object gets a deletionTimestamp with ``orphan`` -> attemptToOrphan; with ``foregroundDeletion``
-> it and its dependents are queued; a dependent drops (or unblocks) its reference to an owner that
waits for its dependents -> the owner is queued.

Deletions carry a uid precondition, like upstream's deleteObject. Everything happens at the
simulated instant of the triggering change, as controllers react without delay here.
"""
from __future__ import annotations

from labsim import errors
from labsim.api.store import DELETED
from labsim.controllers.base import Controller, WorkQueue
from labsim.controllers.controller_ref import delete_owner_ref_patch

FINALIZER_ORPHAN = "orphan"  # metav1.FinalizerOrphanDependents
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"  # metav1.FinalizerDeleteDependents


def _md(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _being_deleted(obj: dict | None) -> bool:
    return bool(obj is not None and _md(obj).get("deletionTimestamp"))


def _has_finalizer(obj: dict | None, finalizer: str) -> bool:
    return obj is not None and finalizer in (_md(obj).get("finalizers") or ())


def _deleting_dependents(obj: dict | None) -> bool:
    return _being_deleted(obj) and _has_finalizer(obj, FINALIZER_DELETE_DEPENDENTS)


def _orphaning(obj: dict | None) -> bool:
    return _being_deleted(obj) and _has_finalizer(obj, FINALIZER_ORPHAN)


class _Node:
    """An object with ownerReferences: its identity and its current references."""

    __slots__ = ("rt", "namespace", "name", "uid", "owners")

    def __init__(self, rt, namespace: str | None, name: str, uid: str, owners: list[dict]):
        self.rt = rt
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.owners = owners


class GarbageCollector(Controller):
    name = "garbage-collector-controller"

    def __init__(self, cluster):
        super().__init__(cluster)
        self.registry = self.api.registry
        #: dependent uid -> node (objects that have ownerReferences)
        self._nodes: dict[str, _Node] = {}
        #: owner uid -> dependent uids (insertion-ordered: deterministic)
        self._dependents: dict[str, dict[str, None]] = {}
        #: uid -> (rt, namespace, name) of queued items that are not dependents themselves
        self._identities: dict[str, tuple] = {}
        self.queue = WorkQueue(self.clock, self._attempt_to_delete_item)  # attemptToDelete
        self.orphan_queue = WorkQueue(self.clock, self._attempt_to_orphan)  # attemptToOrphan

    # -- graph builder -------------------------------------------------------------------------
    def start(self) -> None:
        for rt in self.registry.resources:
            for obj in self.store.list(rt):
                self._observe(rt, None, obj)
        self._stops.append(self.store.watch(self._on_event, None))

    def dependents_of(self, owner_uid: str) -> list[str]:
        """The uids of the objects that reference ``owner_uid`` (for tests and tools)."""
        return list(self._dependents.get(owner_uid, ()))

    def _on_event(self, ev) -> None:
        obj = ev.object
        md = obj.get("metadata") or {}
        if ev.type == DELETED:
            self._on_delete(ev.resource, obj)
            return
        if not md.get("ownerReferences") and md.get("uid") not in self._nodes \
                and not md.get("deletionTimestamp"):
            return  # the common case (events, leases, status writes of unowned objects)
        self._observe(ev.resource, ev.old, obj)

    def _enqueue(self, uid: str, rt=None, namespace=None, name=None) -> None:
        if uid not in self._nodes and rt is not None:
            self._identities[uid] = (rt, namespace, name)
        self.queue.add(uid)

    def _observe(self, rt, old: dict | None, obj: dict) -> None:
        md = obj["metadata"]
        uid = md.get("uid")
        refs = list(md.get("ownerReferences") or [])
        node = self._nodes.get(uid)
        if node is None:
            if refs:
                node = self._nodes[uid] = _Node(rt, md.get("namespace") if rt.namespaced else None,
                                                md["name"], uid, refs)
                self._identities.pop(uid, None)
                absent = False
                for ref in refs:
                    self._dependents.setdefault(ref.get("uid"), {})[uid] = None
                    if not absent and self._is_dangling(ref, node)[0]:
                        absent = True
                if absent:
                    # addDependentToOwners: a virtual owner is verified absent -> its dependents go
                    self._enqueue(uid)
        elif refs != node.owners:
            self._update_references(node, refs)
        self._process_transitions(rt, old, obj)

    def _update_references(self, node: _Node, refs: list[dict]) -> None:
        """referencesDiffs + addUnblockedOwnersToDeleteQueue."""
        old_by_uid = {r.get("uid"): r for r in node.owners}
        new_by_uid = {r.get("uid"): r for r in refs}
        unblocked: list[dict] = []
        for ouid, ref in old_by_uid.items():
            new = new_by_uid.get(ouid)
            if new is None:
                deps = self._dependents.get(ouid)
                if deps is not None:
                    deps.pop(node.uid, None)
                    if not deps:
                        del self._dependents[ouid]
                if ref.get("blockOwnerDeletion"):
                    unblocked.append(ref)
            elif ref.get("blockOwnerDeletion") and not new.get("blockOwnerDeletion"):
                unblocked.append(new)
        for ouid in new_by_uid:
            if ouid not in old_by_uid:
                self._dependents.setdefault(ouid, {})[node.uid] = None
        node.owners = refs
        if not refs:
            del self._nodes[node.uid]
        for ref in unblocked:
            owner, ort = self._get_owner(ref, node)
            if owner is not None and _md(owner).get("uid") == ref.get("uid") and _deleting_dependents(owner):
                self._enqueue(ref["uid"], ort, _md(owner).get("namespace"), _md(owner)["name"])

    def _process_transitions(self, rt, old: dict | None, obj: dict) -> None:
        md = obj["metadata"]
        if _orphaning(obj) and not _orphaning(old):
            uid = md.get("uid")
            self._identities.setdefault(uid, (rt, md.get("namespace") if rt.namespaced else None, md["name"]))
            self.orphan_queue.add(uid)
            return
        if _deleting_dependents(obj) and not _deleting_dependents(old):
            uid = md.get("uid")
            for dep in list(self._dependents.get(uid, ())):
                self._enqueue(dep)
            self._enqueue(uid, rt, md.get("namespace") if rt.namespaced else None, md["name"])

    def _on_delete(self, rt, obj: dict) -> None:
        md = obj["metadata"]
        uid = md.get("uid")
        node = self._nodes.pop(uid, None)
        self._identities.pop(uid, None)
        if node is not None:
            for ref in node.owners:
                deps = self._dependents.get(ref.get("uid"))
                if deps is not None:
                    deps.pop(uid, None)
                    if not deps:
                        del self._dependents[ref.get("uid")]
            # let an owner that waits for its dependents check whether it may go now
            for ref in node.owners:
                owner, ort = self._get_owner(ref, node)
                if owner is not None and _md(owner).get("uid") == ref.get("uid") and _deleting_dependents(owner):
                    self._enqueue(ref["uid"], ort, _md(owner).get("namespace"), _md(owner)["name"])
        for dep in list(self._dependents.get(uid, ())):
            self._enqueue(dep)

    # -- owners ----------------------------------------------------------------------------------
    def _get_owner(self, ref: dict, node: _Node):
        """The object a reference names in the dependent's namespace (None if absent or the
        reference cannot be resolved) and its resource type."""
        ort = self.registry.for_api_version(ref.get("apiVersion", ""), ref.get("kind", ""))
        if ort is None:
            return None, None
        if ort.namespaced:
            if not node.namespace:
                return None, ort  # a cluster-scoped dependent cannot have a namespaced owner
            return self.store.get(ort, node.namespace, ref.get("name", "")), ort
        return self.store.get(ort, None, ref.get("name", "")), ort

    def _is_dangling(self, ref: dict, node: _Node) -> tuple[bool, dict | None]:
        """isDangling: the owner is absent or has another uid. A reference to a kind the server
        does not serve is left alone (upstream keeps retrying the REST mapping)."""
        owner, ort = self._get_owner(ref, node)
        if ort is None:
            return False, None
        if owner is None or _md(owner).get("uid") != ref.get("uid"):
            return True, None
        return False, owner

    def _identity(self, uid: str):
        node = self._nodes.get(uid)
        if node is not None:
            return node.rt, node.namespace, node.name
        return self._identities.get(uid)

    def _latest(self, uid: str) -> dict | None:
        ident = self._identity(uid)
        if ident is None:
            return None
        rt, ns, name = ident
        obj = self.store.get(rt, ns, name)
        if obj is None or _md(obj).get("uid") != uid:
            return None
        return obj

    # -- attemptToDelete ----------------------------------------------------------------------------
    def _attempt_to_delete_item(self, uid: str):
        latest = self._latest(uid)
        if latest is None:
            # the object is gone: a virtual delete event lets its dependents be collected
            self._identities.pop(uid, None)
            for dep in list(self._dependents.get(uid, ())):
                if dep in self._nodes:
                    self.queue.add(dep)
            return None
        if _being_deleted(latest) and not _deleting_dependents(latest):
            return None  # one-way trip to deletion: the dependents are handled when it is gone
        if _deleting_dependents(latest):
            return self._process_deleting_dependents_item(uid)
        node = self._nodes.get(uid)
        refs = _md(latest).get("ownerReferences") or []
        if node is None or not refs:
            return None
        solid, dangling, waiting = [], [], []
        for ref in refs:
            is_dangling, owner = self._is_dangling(ref, node)
            if is_dangling:
                dangling.append(ref)
            elif owner is not None and _deleting_dependents(owner):
                waiting.append(ref)
            else:
                solid.append(ref)
        if solid:
            if not dangling and not waiting:
                return None
            # waiting owners must go from the references too, or they would wait forever
            patch = delete_owner_ref_patch(uid, [r["uid"] for r in dangling + waiting])
            self._patch(node, patch)
            return None
        if waiting and self._dependents.get(uid):
            for dep in list(self._dependents.get(uid, ())):
                if _deleting_dependents(self._latest(dep)):
                    # circle detection (with false positives, as upstream): unblock our owners
                    self._unblock_owner_references(node, latest)
                    break
            return self._delete(node, "Foreground")
        if _has_finalizer(latest, FINALIZER_ORPHAN):
            policy = "Orphan"
        elif _has_finalizer(latest, FINALIZER_DELETE_DEPENDENTS):
            policy = "Foreground"
        else:
            policy = "Background"
        return self._delete(node, policy)

    def _process_deleting_dependents_item(self, uid: str):
        blocking = []
        for dep in list(self._dependents.get(uid, ())):
            dnode = self._nodes.get(dep)
            if dnode is None:
                continue
            if any(r.get("uid") == uid and r.get("blockOwnerDeletion") for r in dnode.owners):
                blocking.append(dep)
        if not blocking:
            return self._remove_finalizer(uid, FINALIZER_DELETE_DEPENDENTS)
        for dep in blocking:
            if not _deleting_dependents(self._latest(dep)):
                self.queue.add(dep)
        return None

    def _unblock_owner_references(self, node: _Node, latest: dict) -> None:
        """unblockOwnerReferencesStrategicMergePatch: blockOwnerDeletion false on every blocking ref."""
        refs = [{"uid": r["uid"], "blockOwnerDeletion": False}
                for r in _md(latest).get("ownerReferences") or [] if r.get("blockOwnerDeletion")]
        if refs:
            self._patch(node, {"metadata": {"ownerReferences": refs, "uid": node.uid}})

    def _delete(self, node: _Node, policy: str):
        try:
            self.api.delete(node.rt, node.namespace, node.name, propagation=policy,
                            preconditions={"uid": node.uid})
        except errors.StatusError as e:
            if e.reason == "NotFound":
                return None
            if e.reason == "Conflict":
                return None  # a new object of the same name: not ours to collect
            raise
        return None

    def _patch(self, node: _Node, patch: dict) -> None:
        try:
            self.api.patch(node.rt, node.namespace, node.name, patch, "strategic")
        except errors.StatusError as e:
            if e.reason != "NotFound":
                raise

    def _remove_finalizer(self, uid: str, finalizer: str):
        """removeFinalizer: a merge patch of the remaining finalizers at the read resourceVersion;
        an object being deleted whose last finalizer goes is removed by the API server."""
        latest = self._latest(uid)
        if latest is None:
            return None
        md = _md(latest)
        finalizers = list(md.get("finalizers") or [])
        if finalizer not in finalizers:
            return None
        remaining = [f for f in finalizers if f != finalizer]
        rt, ns, name = self._identity(uid)
        self.api.patch(rt, ns, name, {"metadata": {"resourceVersion": md.get("resourceVersion"),
                                                   "finalizers": remaining or None}}, "merge")
        return None

    # -- attemptToOrphan ------------------------------------------------------------------------
    def _attempt_to_orphan(self, uid: str):
        """attemptToOrphanWorker: remove the owner from every dependent's ownerReferences, then
        the ``orphan`` finalizer."""
        for dep in list(self._dependents.get(uid, ())):
            dnode = self._nodes.get(dep)
            if dnode is None:
                continue
            self._patch(dnode, delete_owner_ref_patch(dep, [uid]))
        return self._remove_finalizer(uid, FINALIZER_ORPHAN)
