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
from labsim.controllers.replicaset_util import calculate_status, get_pods_to_delete, is_pod_active, is_pod_ready

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
        #: controller uid -> pod key -> latest pod (pods with a controller ref, whatever its kind)
        self._by_controller: dict[str, dict[str, dict]] = {}
        #: namespace -> pod key -> latest pod (pods without a controller ref)
        self._orphans: dict[str, dict[str, dict]] = {}
        #: key -> timer of a pending AddAfter (client-go's delaying queue: earliest wins)
        self._waiting: dict[str, object] = {}
        #: rs uid -> parsed selector (apps/v1 selectors are immutable)
        self._selectors: dict[str, object] = {}

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
        if old is not None:
            ref = get_controller_of(old)
            bucket = self._by_controller.get(ref["uid"]) if ref else self._orphans.get(_md(old).get("namespace"))
            if bucket is not None:
                bucket.pop(_pod_key(old), None)
                if not bucket:
                    if ref:
                        self._by_controller.pop(ref["uid"], None)
                    else:
                        self._orphans.pop(_md(old).get("namespace"), None)
        if pod is not None:
            ref = get_controller_of(pod)
            if ref:
                self._by_controller.setdefault(ref["uid"], {})[_pod_key(pod)] = pod
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
            self._selectors.pop(_md(ev.object).get("uid"), None)
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
        uid = _md(rs).get("uid")
        owned = self._by_controller.get(uid) or {}
        orphans = self._orphans.get(namespace) or {}
        # ClaimPods: owned pods that still match are claimed without any action; the others
        # (releases, adoptions) go through the ref manager in name order
        claimed: list[dict] = []
        to_claim: list[dict] = []
        for pod in owned.values():
            if not is_pod_active(pod):
                continue
            if selector.matches(_md(pod).get("labels") or {}):
                claimed.append(pod)
            else:
                to_claim.append(pod)
        for pod in orphans.values():
            if is_pod_active(pod) and selector.matches(_md(pod).get("labels") or {}):
                to_claim.append(pod)
        if to_claim:
            to_claim.sort(key=_name_key)
            claimed.extend(claim_pods(self.api, rs, selector, to_claim))
        manage_err: Exception | None = None
        if not _md(rs).get("deletionTimestamp"):
            manage_err = self.manage_replicas(claimed, rs)
        self._update_status(rs, claimed, manage_err, key)
        if manage_err is not None:
            raise Requeue(None)  # returning the error: requeued with back-off
        return None

    def manage_replicas(self, filtered_pods: list[dict], rs: dict) -> Exception | None:
        """manageReplicas: create or delete pods to reach spec.replicas; returns the error."""
        spec = rs.get("spec") or {}
        replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        namespace = _md(rs).get("namespace")
        diff = len(filtered_pods) - replicas
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
            pods = sorted(filtered_pods, key=_name_key)
            now = self.clock.now
            related = self._get_indirectly_related_pods(rs)
            victims = get_pods_to_delete(pods, related, diff, now)
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

    def _get_indirectly_related_pods(self, rs: dict) -> list[dict]:
        """getIndirectlyRelatedPods: the pods matching the selectors of the ReplicaSets that share
        this one's controller (each pod once)."""
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
    def calculate_status(self, rs: dict, filtered_pods: list[dict], manage_err: Exception | None) -> dict:
        """calculateStatus: the counts plus the ReplicaFailure condition."""
        status = calculate_status(rs, filtered_pods, self.clock.now)
        conditions = list((rs.get("status") or {}).get("conditions") or [])
        failure = next((c for c in conditions if c.get("type") == REPLICA_FAILURE), None)
        if manage_err is not None and failure is None:
            spec = rs.get("spec") or {}
            replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
            diff = len(filtered_pods) - replicas
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

    def _update_status(self, rs: dict, filtered_pods: list[dict], manage_err: Exception | None, key: str) -> None:
        new_status = self.calculate_status(rs, filtered_pods, manage_err)
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
