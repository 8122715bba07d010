"""The ReplicaSet controller (kubernetes/kubernetes v1.32: pkg/controller/replicaset/replica_set.go,
replica_set_utils.go).

``sync(ns/name)`` is syncReplicaSet:

1. list the namespace's pods and keep the active ones (not Succeeded/Failed, no deletionTimestamp:
   a pod being deleted is replaced at once, while it still shows ``Terminating``);
2. claim them (:mod:`labsim.controllers.controller_ref`): adopt matching orphans, release owned
   pods whose labels stopped matching;
3. unless the ReplicaSet is being deleted, manageReplicas: ``diff = len(pods) - spec.replicas``;
   too few -> create up to ``burstReplicas`` (500) pods from the template in slow-start batches
   (1, 2, 4, ...), each with ``Normal SuccessfulCreate "Created pod: <name>"`` or
   ``Warning FailedCreate "Error creating: <error>"``; too many -> delete the ``diff`` least
   valuable pods (``replicaset_util.get_pods_to_delete``, ranked against the pods of every
   ReplicaSet with the same controller, i.e. the same Deployment), ``Normal SuccessfulDelete
   "Deleted pod: <name>"``;
4. write the status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
   observedGeneration, the ReplicaFailure condition set on a manageReplicas error and removed on
   success) only when something changed; with ``minReadySeconds`` and all replicas ready but not
   all available, sync again ``minReadySeconds`` later.

Watch handlers are upstream's addPod/updatePod/deletePod and addRS/updateRS/deleteRS: a pod event
enqueues its controller (resolved by name and uid), an orphan's event every ReplicaSet of its
namespace whose selector matches, and a pod that turns Ready under a ReplicaSet with
``minReadySeconds`` enqueues it again ``minReadySeconds + 1`` s later.

Performance: pods are indexed by controller uid (and orphans by namespace) from the watch, so a
sync reads only the ReplicaSet's own pods and the namespace's orphans, not every pod. The index
holds exactly what the full namespace list would give the claim step: pods controlled by someone
else are ignored by ClaimObject anyway.
"""
from __future__ import annotations

from labsim import errors
from labsim.api.labels import LabelSelectorError, selector_from_label_selector
from labsim.api.meta import deep_copy
from labsim.api.store import DELETED
from labsim.clock import rfc3339
from labsim.controllers.base import Controller, Requeue
from labsim.controllers.controller_ref import claim_pods, controller_ref_for, get_controller_of
from labsim.controllers.controller_utils import (BURST_REPLICAS, SLOW_START_INITIAL_BATCH_SIZE, PodControl,
                                                 is_namespace_terminating_error, slow_start_batch)
from labsim.controllers.replicaset_util import (calculate_status, get_pods_to_delete_ranked, is_pod_active,
                                                is_pod_available, is_pod_ready)

#: replica_set.go statusUpdateRetries
STATUS_UPDATE_RETRIES = 1
REPLICA_FAILURE = "ReplicaFailure"


def _md(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _pod_key(pod: dict) -> str:
    md = pod["metadata"]
    return f"{md.get('namespace')}/{md['name']}"


def _name_key(obj: dict) -> str:
    return obj["metadata"]["name"]


class _PodBucket:
    """The pods of one controller uid with the ReplicaSet's counts kept incrementally.

    A sync classifies only the pods that changed since the previous sync (every watch event marks
    its pod ``dirty``) against the ReplicaSet (selector, template labels, minReadySeconds: the
    ``signature``; when it changes every pod is classified again), and re-checks the pods that
    are ready but not yet available, the only fact that changes with time alone. Per pod it keeps
    the contribution ``(claimed, fullyLabeled, ready, available)`` and the sums of them:
    exactly what calculateStatus would count over the claimed pods, without a pass over all pods.
    Active owned pods that no longer match the selector are kept in ``nonmatching`` (to release).
    """

    __slots__ = ("pods", "dirty", "facts", "nonmatching", "waiting", "counts", "signature")

    def __init__(self) -> None:
        self.pods: dict[str, dict] = {}
        self.dirty: dict[str, None] = {}
        self.facts: dict[str, tuple[int, int, int, int]] = {}
        self.nonmatching: dict[str, None] = {}
        self.waiting: dict[str, None] = {}
        self.counts = [0, 0, 0, 0]
        self.signature: tuple | None = None

    def _forget(self, key: str) -> None:
        f = self.facts.pop(key, None)
        if f is not None:
            c = self.counts
            c[0] -= f[0]
            c[1] -= f[1]
            c[2] -= f[2]
            c[3] -= f[3]
        self.nonmatching.pop(key, None)
        self.waiting.pop(key, None)

    def add(self, key: str, pod: dict) -> None:
        self._forget(key)
        self.pods[key] = pod
        self.dirty[key] = None

    def remove(self, key: str) -> None:
        self._forget(key)
        self.pods.pop(key, None)
        self.dirty.pop(key, None)

    def _set(self, key: str, f: tuple[int, int, int, int]) -> None:
        self.facts[key] = f
        c = self.counts
        c[0] += f[0]
        c[1] += f[1]
        c[2] += f[2]
        c[3] += f[3]

    def refresh(self, signature: tuple, selector, template_labels: dict, min_ready: int, now: float) -> None:
        if signature != self.signature:
            self.signature = signature
            for key in list(self.facts):
                self._forget(key)
            self.dirty = dict.fromkeys(self.pods)
        if self.dirty:
            for key in self.dirty:
                pod = self.pods[key]
                if not is_pod_active(pod):
                    self._set(key, (0, 0, 0, 0))
                    continue
                pod_labels = _md(pod).get("labels") or {}
                if not selector.matches(pod_labels):
                    self._set(key, (0, 0, 0, 0))
                    self.nonmatching[key] = None
                    continue
                fully = int(all(pod_labels.get(k) == v for k, v in template_labels.items()))
                ready = is_pod_ready(pod)
                available = ready and is_pod_available(pod, min_ready, now)
                if ready and not available:
                    self.waiting[key] = None
                self._set(key, (1, fully, int(ready), int(available)))
            self.dirty = {}
        if self.waiting:
            for key in list(self.waiting):
                if is_pod_available(self.pods[key], min_ready, now):
                    del self.waiting[key]
                    f = self.facts[key]
                    self.facts[key] = (f[0], f[1], f[2], 1)
                    self.counts[3] += 1

    def claimed(self) -> list[dict]:
        return [self.pods[k] for k, f in self.facts.items() if f[0]]

    def claimed_by_name(self) -> list[dict]:
        """:meth:`claimed` in name order (the keys are "<namespace>/<name>" of one namespace)."""
        pods, facts = self.pods, self.facts
        return [pods[k] for k in sorted(k for k, f in facts.items() if f[0])]


_EQUALITY_OPERATORS = ("in", "=", "==")


def _disjoint(a, b) -> bool:
    """No label set can match both selectors: they require one key to have values from
    disjoint sets (``pod-template-hash=x`` vs ``pod-template-hash=y``)."""
    for ra in a.requirements:
        if ra.operator not in _EQUALITY_OPERATORS:
            continue
        for rb in b.requirements:
            if rb.key == ra.key and rb.operator in _EQUALITY_OPERATORS and not set(ra.values) & set(rb.values):
                return True
    return False


class _SelectorMatches:
    """The pods of one namespace that a selector matches, kept from the watch, with how many of
    them are active on each node: what getIndirectlyRelatedPods' lister call
    (``podLister.Pods(ns).List(selector)``) returns, reduced to what
    getPodsRankedByRelatedPodsOnSameNode reads of each pod (active, node). Kept per selector so
    that a scale-down's ranking costs O(#ReplicaSets + #related pods) dict operations, not a
    selector match of every pod of the namespace per sibling ReplicaSet."""

    __slots__ = ("selector", "pods", "on_node", "owners")

    def __init__(self, selector, pods) -> None:
        self.selector = selector
        #: pod key -> (active, node) of the matching pods
        self.pods: dict[str, tuple[bool, str]] = {}
        #: node -> number of active matching pods on it ("" for unscheduled pods)
        self.on_node: dict[str, int] = {}
        #: uids of the ReplicaSets with this selector
        self.owners: set[str] = set()
        for pod in pods:
            self.update(_pod_key(pod), pod)

    def update(self, key: str, pod: dict | None) -> None:
        """The pod at ``key`` is now ``pod`` (None: deleted)."""
        old = self.pods.pop(key, None)
        if old is not None and old[0]:
            self.on_node[old[1]] -= 1
        if pod is None or not self.selector.matches(_md(pod).get("labels") or {}):
            return
        entry = (is_pod_active(pod), (pod.get("spec") or {}).get("nodeName") or "")
        self.pods[key] = entry
        if entry[0]:
            self.on_node[entry[1]] = self.on_node.get(entry[1], 0) + 1


class ReplicaSetController(Controller):
    name = "replicaset-controller"
    kind = "ReplicaSet"

    def __init__(self, cluster, burst_replicas: int = BURST_REPLICAS):
        super().__init__(cluster)
        self.burst_replicas = burst_replicas
        self.rs_rt = self.api.registry.for_kind("apps", "ReplicaSet")
        self.pod_rt = self.api.registry.for_kind("", "Pod")
        self.pod_control = PodControl(cluster, self.name)
        self.recorder = self.pod_control.recorder
        #: controller uid -> its pods (pods with a controller ref, whatever the controller's kind)
        self._by_controller: dict[str, _PodBucket] = {}
        #: namespace -> pod key -> latest pod (pods without a controller ref)
        self._orphans: dict[str, dict[str, dict]] = {}
        #: key -> timer of a pending AddAfter (client-go's delaying queue: earliest wins)
        self._waiting: dict[str, object] = {}
        #: rs uid -> parsed selector (apps/v1 selectors are immutable)
        self._selectors: dict[str, object] = {}
        #: namespace -> selector -> the pods it matches (built on a scale-down's first need of it)
        self._matches: dict[str, dict[object, _SelectorMatches]] = {}

    # -- start / watch handlers ------------------------------------------------------------------
    def start(self) -> None:
        for pod in self.store.list(self.pod_rt):
            self._index(None, pod)
        self.watch("Pod", self._on_pod)
        self.watch("ReplicaSet", self._on_rs, group="apps")
        for rs in self.store.list(self.rs_rt):
            self.queue.add(self._key(rs))

    @staticmethod
    def _key(obj: dict) -> str:
        md = obj["metadata"]
        return f"{md.get('namespace')}/{md['name']}"

    def add_after(self, key: str, after: float) -> None:
        """workqueue AddAfter: a waiting key is added to the queue when its time comes; a second
        AddAfter of a waiting key keeps the earlier time."""
        when = self.clock.now + after
        timer = self._waiting.get(key)
        if timer is not None:
            if timer.when <= when:
                return
            timer.cancel()
        self._waiting[key] = self.clock.call_at(when, self._fire_waiting, key)

    def _fire_waiting(self, key: str) -> None:
        self._waiting.pop(key, None)
        self.queue.add(key)

    def _index(self, old: dict | None, pod: dict | None) -> None:
        if self._matches:
            md = _md(pod if pod is not None else old)
            ns_matches = self._matches.get(md.get("namespace"))
            if ns_matches:
                # the store's current version (what a list would return now), whatever the order
                # in which nested writes deliver their events
                cur = self.store.get(self.pod_rt, md.get("namespace"), md["name"])
                key = f"{md.get('namespace')}/{md['name']}"
                for m in ns_matches.values():
                    m.update(key, cur)
        if old is not None:
            ref = get_controller_of(old)
            key = _pod_key(old)
            if ref:
                bucket = self._by_controller.get(ref["uid"])
                if bucket is not None:
                    bucket.remove(key)
                    if not bucket.pods:
                        del self._by_controller[ref["uid"]]
            else:
                orphans = self._orphans.get(_md(old).get("namespace"))
                if orphans is not None:
                    orphans.pop(key, None)
                    if not orphans:
                        del self._orphans[_md(old).get("namespace")]
        if pod is not None:
            ref = get_controller_of(pod)
            if ref:
                bucket = self._by_controller.get(ref["uid"])
                if bucket is None:
                    bucket = self._by_controller[ref["uid"]] = _PodBucket()
                bucket.add(_pod_key(pod), pod)
            else:
                self._orphans.setdefault(_md(pod).get("namespace"), {})[_pod_key(pod)] = pod

    def _on_pod(self, ev) -> None:
        pod = ev.object
        if ev.type == DELETED:
            self._index(ev.old or pod, None)
            self._delete_pod(pod)
            return
        self._index(ev.old, pod)
        if ev.old is None:
            self._add_pod(pod)
        else:
            self._update_pod(ev.old, pod)

    def _add_pod(self, pod: dict) -> None:
        if _md(pod).get("deletionTimestamp"):
            self._delete_pod(pod)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            rs = self._resolve_controller_ref(_md(pod).get("namespace"), ref)
            if rs is not None:
                self.queue.add(self._key(rs))
            return
        for rs in self._get_pod_replica_sets(pod):
            self.queue.add(self._key(rs))

    def _update_pod(self, old: dict, cur: dict) -> None:
        omd, cmd = _md(old), _md(cur)
        if omd.get("resourceVersion") == cmd.get("resourceVersion"):
            return
        label_changed = (omd.get("labels") or {}) != (cmd.get("labels") or {})
        if cmd.get("deletionTimestamp"):
            # a graceful deletion: replace the pod now, not when the kubelet removes it
            self._delete_pod(cur)
            if label_changed:
                self._delete_pod(old)
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        if ref_changed and old_ref is not None:
            rs = self._resolve_controller_ref(omd.get("namespace"), old_ref)
            if rs is not None:
                self.queue.add(self._key(rs))
        if cur_ref is not None:
            rs = self._resolve_controller_ref(cmd.get("namespace"), cur_ref)
            if rs is None:
                return
            self.queue.add(self._key(rs))
            min_ready = int((rs.get("spec") or {}).get("minReadySeconds") or 0)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(cur):
                # "Add a second to avoid milliseconds skew in AddAfter" (kubernetes#39785)
                self.add_after(self._key(rs), min_ready + 1)
            return
        if label_changed or ref_changed:
            for rs in self._get_pod_replica_sets(cur):
                self.queue.add(self._key(rs))

    def _delete_pod(self, pod: dict) -> None:
        ref = get_controller_of(pod)
        if ref is None:
            return  # an orphan's deletion interests nobody
        rs = self._resolve_controller_ref(_md(pod).get("namespace"), ref)
        if rs is not None:
            self.queue.add(self._key(rs))

    def _on_rs(self, ev) -> None:
        if ev.type == DELETED:
            uid = _md(ev.object).get("uid")
            sel = self._selectors.pop(uid, None)
            ns_matches = self._matches.get(_md(ev.object).get("namespace"))
            if sel is not None and ns_matches:
                m = ns_matches.get(sel)
                if m is not None:
                    m.owners.discard(uid)
                    if not m.owners:
                        del ns_matches[sel]
        self.queue.add(self._key(ev.object))

    def _resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        """resolveControllerRef: the ReplicaSet the ref names, if its uid still matches."""
        if ref.get("kind") != self.kind:
            return None
        rs = self.store.get(self.rs_rt, namespace, ref.get("name", ""))
        if rs is None or _md(rs).get("uid") != ref.get("uid"):
            return None
        return rs

    def _selector(self, rs: dict):
        uid = _md(rs).get("uid")
        sel = self._selectors.get(uid)
        if sel is None:
            sel = selector_from_label_selector((rs.get("spec") or {}).get("selector"))
            self._selectors[uid] = sel
        return sel

    def _get_pod_replica_sets(self, pod: dict) -> list[dict]:
        """GetPodReplicaSets: the namespace's ReplicaSets whose (non-empty) selector matches."""
        pod_labels = _md(pod).get("labels")
        if not pod_labels:
            return []
        out = []
        for rs in self.store.list(self.rs_rt, _md(pod).get("namespace")):
            try:
                sel = self._selector(rs)
            except LabelSelectorError:
                continue
            if sel.empty() or not sel.matches(pod_labels):
                continue
            out.append(rs)
        return out

    # -- sync ------------------------------------------------------------------------------------
    def sync(self, key: str):
        namespace, name = key.split("/", 1)
        rs = self.store.get(self.rs_rt, namespace, name)
        if rs is None:
            return None
        try:
            selector = self._selector(rs)
        except LabelSelectorError:
            return None  # "error converting pod selector to selector": nothing to do until fixed
        spec = rs.get("spec") or {}
        uid = _md(rs).get("uid")
        bucket = self._by_controller.get(uid)
        orphans = self._orphans.get(namespace) or {}
        now = self.clock.now
        # ClaimPods over the active pods. Owned pods that still match are claimed without any
        # action; settled ones (see _PodBucket) are only counted. Releases and adoptions go
        # through the ref manager, in name order.
        to_claim: list[dict] = []
        counts = [0, 0, 0, 0]
        if bucket is not None:
            template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            min_ready = int(spec.get("minReadySeconds") or 0)
            bucket.refresh((tuple(sorted(template_labels.items())), min_ready), selector, template_labels,
                           min_ready, now)
            counts = list(bucket.counts)
            to_claim.extend(bucket.pods[k] for k in bucket.nonmatching)
        for pod in orphans.values():
            if is_pod_active(pod) and selector.matches(_md(pod).get("labels") or {}):
                to_claim.append(pod)
        adopted: list[dict] = []
        if to_claim:
            to_claim.sort(key=_name_key)
            adopted = claim_pods(self.api, rs, selector, to_claim)
        def filtered_pods() -> list[dict]:
            """The claimed pods, in name order."""
            if bucket is None:
                return sorted(adopted, key=_name_key)
            if not adopted:
                return bucket.claimed_by_name()
            return sorted(bucket.claimed() + adopted, key=_name_key)

        manage_err: Exception | None = None
        if not _md(rs).get("deletionTimestamp"):
            manage_err = self.manage_replicas(counts[0] + len(adopted), filtered_pods, rs)
        self._update_status(rs, adopted, counts, manage_err, key)
        if manage_err is not None:
            raise Requeue(None)  # returning the error: requeued with back-off
        return None

    def manage_replicas(self, n_filtered: int, filtered_pods, rs: dict) -> Exception | None:
        """manageReplicas: create or delete pods to reach spec.replicas; returns the error.
        ``filtered_pods()`` gives the claimed active pods (only needed to choose victims)."""
        spec = rs.get("spec") or {}
        replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        namespace = _md(rs).get("namespace")
        diff = n_filtered - replicas
        if diff < 0:
            diff = min(-diff, self.burst_replicas)
            template = spec.get("template") or {}
            ref = controller_ref_for(rs)

            def create() -> None:
                try:
                    self.pod_control.create_pods(namespace, template, rs, ref)
                except errors.StatusError as e:
                    if is_namespace_terminating_error(e):
                        return  # every create would fail; the namespace controller cleans up
                    raise
            _, err = slow_start_batch(diff, SLOW_START_INITIAL_BATCH_SIZE, create)
            return err
        if diff > 0:
            diff = min(diff, self.burst_replicas)
            # the lister's order is arbitrary upstream; name order keeps ties deterministic
            pods = filtered_pods()
            victims = get_pods_to_delete_ranked(pods, self._related_pods_on_nodes(rs), diff, self.clock.now)
            first_err: Exception | None = None
            for pod in victims:
                try:
                    self.pod_control.delete_pod(namespace, pod["metadata"]["name"], rs)
                except errors.StatusError as e:
                    if e.reason != "NotFound" and first_err is None:
                        first_err = e
            return first_err
        return None

    def _get_replica_sets_with_same_controller(self, rs: dict) -> list[dict]:
        ref = get_controller_of(rs)
        if ref is None:
            return [rs]
        return [other for other in self.store.list(self.rs_rt, _md(rs).get("namespace"))
                if (get_controller_of(other) or {}).get("uid") == ref.get("uid")]

    def _related_pods_on_nodes(self, rs: dict) -> dict[str, int]:
        """getIndirectlyRelatedPods reduced to what the ranking reads: per node, the number of
        active pods matching the selector of any ReplicaSet that shares this one's controller
        (each pod once, as upstream's ``seen`` map by pod UID).

        kubernetes/kubernetes v1.32 pkg/controller/replicaset/replica_set.go
        getIndirectlyRelatedPods lists the namespace's pods per sibling selector and
        getPodsRankedByRelatedPodsOnSameNode counts the active ones per node; the order of the
        related pods plays no part. The matches of each selector are kept from the watch
        (:class:`_SelectorMatches`)."""
        namespace = _md(rs).get("namespace")
        found: list[_SelectorMatches] = []
        for other in self._get_replica_sets_with_same_controller(rs):
            try:
                sel = self._selector(other)
            except LabelSelectorError:
                continue  # "This object has an invalid selector, it does not match any pods"
            ns_matches = self._matches.setdefault(namespace, {})
            m = ns_matches.get(sel)
            if m is None:
                m = ns_matches[sel] = _SelectorMatches(sel, self.store.list(self.pod_rt, namespace))
            m.owners.add(_md(other).get("uid"))
            if all(m is not f for f in found):
                found.append(m)
        if not found:
            return {}
        if len(found) == 1:
            return found[0].on_node
        if all(_disjoint(found[i].selector, found[j].selector)
               for i in range(len(found)) for j in range(i)):
            # no pod can match two of them (a Deployment's ReplicaSets differ in pod-template-hash)
            on_node = dict(found[0].on_node)
            for m in found[1:]:
                for node, n in m.on_node.items():
                    on_node[node] = on_node.get(node, 0) + n
            return on_node
        # a pod matching several sibling selectors counts once
        on_node = dict(found[0].on_node)
        for i in range(1, len(found)):
            earlier = found[:i]
            for key, (active, node) in found[i].pods.items():
                if active and not any(key in e.pods for e in earlier):
                    on_node[node] = on_node.get(node, 0) + 1
        return on_node

    def _get_indirectly_related_pods(self, rs: dict) -> list[dict]:
        """getIndirectlyRelatedPods: the pods matching the selectors of the ReplicaSets that share
        this one's controller (each pod once). (The sync uses :meth:`_related_pods_on_nodes`.)"""
        namespace = _md(rs).get("namespace")
        related: list[dict] = []
        seen: set[str] = set()
        pods = None
        for other in self._get_replica_sets_with_same_controller(rs):
            try:
                sel = self._selector(other)
            except LabelSelectorError:
                continue
            if pods is None:
                pods = self.store.list(self.pod_rt, namespace)
            for pod in pods:
                uid = _md(pod).get("uid")
                if uid in seen or not sel.matches(_md(pod).get("labels") or {}):
                    continue
                seen.add(uid)
                related.append(pod)
        return related

    # -- status ----------------------------------------------------------------------------------
    def calculate_status(self, rs: dict, filtered_pods: list[dict], manage_err: Exception | None,
                         counts=(0, 0, 0, 0)) -> dict:
        """calculateStatus: the counts plus the ReplicaFailure condition. ``counts`` (claimed,
        fullyLabeled, ready, available) of owned pods already counted are added to those of
        ``filtered_pods``."""
        status = calculate_status(rs, filtered_pods, self.clock.now)
        for f, n in zip(("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"), counts):
            status[f] += n
        n_filtered = status["replicas"]
        conditions = list((rs.get("status") or {}).get("conditions") or [])
        failure = next((c for c in conditions if c.get("type") == REPLICA_FAILURE), None)
        if manage_err is not None and failure is None:
            spec = rs.get("spec") or {}
            replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
            diff = n_filtered - replicas
            reason = "FailedCreate" if diff < 0 else ("FailedDelete" if diff > 0 else "")
            # NewReplicaSetCondition + SetCondition (no condition of the type existed)
            conditions.append({"type": REPLICA_FAILURE, "status": "True",
                               "lastTransitionTime": rfc3339(self.clock.now), "reason": reason,
                               "message": str(manage_err)})
            status["conditions"] = conditions
        elif manage_err is None and failure is not None:
            conditions = [c for c in conditions if c.get("type") != REPLICA_FAILURE]
            if conditions:
                status["conditions"] = conditions
            else:
                status.pop("conditions", None)
        return status

    def _update_status(self, rs: dict, filtered_pods: list[dict], counts, manage_err: Exception | None,
                       key: str) -> None:
        new_status = self.calculate_status(rs, filtered_pods, manage_err, counts)
        updated = self.update_replica_set_status(rs, new_status)
        # "Resync the ReplicaSet after MinReadySeconds as a last line of defense to guard against
        # clock-skew."
        spec = updated.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        st = updated.get("status") or {}
        if manage_err is None and min_ready > 0 and int(st.get("readyReplicas") or 0) == replicas \
                and int(st.get("availableReplicas") or 0) != replicas:
            self.add_after(key, min_ready)

    def update_replica_set_status(self, rs: dict, new_status: dict) -> dict:
        """updateReplicaSetStatus: write only when a count, the observed generation or the
        conditions changed; one retry on a conflict after re-reading the ReplicaSet."""
        old = rs.get("status") or {}
        generation = int(_md(rs).get("generation") or 0)
        if all(int(old.get(f) or 0) == int(new_status.get(f) or 0)
               for f in ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas")) \
                and generation == int(old.get("observedGeneration") or 0) \
                and (old.get("conditions") or []) == (new_status.get("conditions") or []):
            return rs
        ordered = {"replicas": new_status.get("replicas", 0),
                   "fullyLabeledReplicas": new_status.get("fullyLabeledReplicas", 0),
                   "observedGeneration": generation,
                   "readyReplicas": new_status.get("readyReplicas", 0),
                   "availableReplicas": new_status.get("availableReplicas", 0)}
        if new_status.get("conditions"):
            ordered["conditions"] = new_status["conditions"]
        cur = rs
        for i in range(STATUS_UPDATE_RETRIES + 1):
            obj = dict(cur)
            obj["metadata"] = dict(cur["metadata"])
            obj["status"] = deep_copy(ordered)
            try:
                return self.api.update_status(obj)
            except errors.StatusError:
                if i >= STATUS_UPDATE_RETRIES:
                    raise
                cur = self.api.get(self.rs_rt, _md(rs).get("namespace"), _md(rs)["name"])
        return cur  # pragma: no cover - the loop returns or raises
