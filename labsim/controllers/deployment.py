"""The Deployment controller (kubernetes/kubernetes v1.32: pkg/controller/deployment/
deployment_controller.go, sync.go, rolling.go, recreate.go, progress.go, rollback.go).

A Deployment never touches pods: it creates, scales and deletes ReplicaSets, and the ReplicaSet
controller turns their sizes into pods. One sync (``syncDeployment``) does, in upstream's order:

1. a Deployment selecting everything only gets the ``SelectingAll`` warning;
2. claim the namespace's ReplicaSets (adopt matching orphans, release owned ones that stopped
   matching: ``controller_ref.claim_replica_sets``);
3. a Deployment being deleted only gets its status synced;
4. the Progressing condition says ``DeploymentPaused`` / ``DeploymentResumed`` when ``spec.paused``
   flips; a paused Deployment is only scaled (``sync``), never rolled out;
5. the deprecated rollbackTo annotation (``deprecated.deployment.rollback.to``) rolls the template back;
6. a changed ``spec.replicas`` (an active RS whose desired-replicas annotation differs) is a scaling
   event: sizes change proportionally (``scale``), no rollout step;
7. otherwise one step of the strategy: RollingUpdate (scale the new RS up within maxSurge, else old
   RSes down within maxUnavailable) or Recreate (old RSes to 0, wait for their pods to be gone, new
   RS to full size);
8. the status (counts, Available/Progressing/ReplicaFailure conditions), with a requeue at the
   progress deadline.

Upstream's writes are reproduced with their staleness: the Deployment read at the start keeps its
resourceVersion for the whole sync, so a second status write in one sync fails with a Conflict and
the key is retried (5 ms back-off) exactly as kube-controller-manager's "the object has been
modified" retries; the ReplicaSets of the sync are the ones listed at its start.

Cost: a sync reads the namespace's ReplicaSets once and never the pods, except for Recreate
Deployments (which must see whether old pods still run).
"""
from __future__ import annotations

from labsim import errors
from labsim.api import labels as labelsel
from labsim.api.meta import deep_copy
from labsim.clock import parse_rfc3339, rfc3339
from labsim.controllers import deployment_util as du
from labsim.controllers.base import Controller
from labsim.controllers.controller_ref import claim_replica_sets, controller_ref_for, get_controller_of

#: rollback.go event reasons (deploymentutil.RollbackRevisionNotFound, ...)
ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound"
ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged"
ROLLBACK_DONE = "DeploymentRollback"


def _md(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _replicas(obj: dict | None) -> int:
    if obj is None:
        return 0
    r = _spec(obj).get("replicas")
    return 1 if r is None else int(r)


def _uid(obj: dict | None) -> str | None:
    return _md(obj).get("uid") if obj is not None else None


def _key(obj: dict) -> str:
    md = obj["metadata"]
    return f"{md.get('namespace', '')}/{md['name']}"


class DeploymentController(Controller):
    name = "deployment-controller"

    def __init__(self, cluster):
        super().__init__(cluster)
        reg = self.api.registry
        self.deployments_rt = reg.for_kind("apps", "Deployment")
        self.replicasets_rt = reg.for_kind("apps", "ReplicaSet")
        self.pods_rt = reg.for_kind("", "Pod")
        self.recorder = cluster.recorder("deployment-controller")
        #: the key whose status is being written right now (see _on_deployment)
        self._writing_status: str | None = None
        self._skipped_own_write = False
        #: the sync ended in a rollout step (rolling/recreate): syncRolloutStatus ran
        self._rollout_path = False

    def start(self) -> None:
        self.watch("Deployment", self._on_deployment, group="apps")
        self.watch("ReplicaSet", self._on_replica_set, group="apps")
        self.watch("Pod", self._on_pod)
        for d in self.store.list(self.deployments_rt):
            self.queue.add(_key(d))

    # -- event handlers (deployment_controller.go) ---------------------------------------------------
    def _on_deployment(self, ev) -> None:
        # addDeployment / updateDeployment / deleteDeployment: always enqueue
        key = _key(ev.object)
        if ev.type == "MODIFIED" and key == self._writing_status:
            # Our own status write: upstream's informer enqueues it too, and that sync finds
            # nothing to do. It is skipped here (cost), and made up for in _finish_sync.
            self._skipped_own_write = True
            return
        self.queue.add(key)

    def _resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        """resolveControllerRef: the Deployment a controller ref names, if its uid still matches."""
        if ref.get("kind") != "Deployment":
            return None
        d = self.store.get(self.deployments_rt, namespace, ref.get("name", ""))
        if d is None or _uid(d) != ref.get("uid"):
            return None
        return d

    def _deployments_for_replica_set(self, rs: dict) -> list[dict]:
        """util.GetDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches the RS."""
        rs_labels = _md(rs).get("labels") or {}
        if not rs_labels:
            return []
        out = []
        for d in self.store.list(self.deployments_rt, _md(rs).get("namespace")):
            try:
                selector = labelsel.selector_from_label_selector(_spec(d).get("selector"))
            except labelsel.LabelSelectorError:
                continue
            # a nil or empty selector matches nothing here, not everything
            if selector.empty() or not selector.matches(rs_labels):
                continue
            out.append(d)
        return out

    def _on_replica_set(self, ev) -> None:
        rs, old = ev.object, ev.old
        ns = _md(rs).get("namespace", "")
        if ev.type == "DELETED":
            # deleteReplicaSet: only the controller cares
            ref = get_controller_of(rs)
            if ref is not None:
                d = self._resolve_controller_ref(ns, ref)
                if d is not None:
                    self.queue.add(_key(d))
            return
        if ev.type == "ADDED" or old is None:
            # addReplicaSet
            if _md(rs).get("deletionTimestamp"):
                ref = get_controller_of(rs)
                if ref is not None and (d := self._resolve_controller_ref(ns, ref)) is not None:
                    self.queue.add(_key(d))
                return
            ref = get_controller_of(rs)
            if ref is not None:
                d = self._resolve_controller_ref(ns, ref)
                if d is not None:
                    self.queue.add(_key(d))
                return
            for d in self._deployments_for_replica_set(rs):
                self.queue.add(_key(d))
            return
        # updateReplicaSet
        if _md(rs).get("resourceVersion") == _md(old).get("resourceVersion"):
            return
        cur_ref, old_ref = get_controller_of(rs), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        if ref_changed and old_ref is not None:
            d = self._resolve_controller_ref(ns, old_ref)
            if d is not None:
                self.queue.add(_key(d))
        if cur_ref is not None:
            d = self._resolve_controller_ref(ns, cur_ref)
            if d is not None:
                self.queue.add(_key(d))
            return
        if (_md(rs).get("labels") or {}) != (_md(old).get("labels") or {}) or ref_changed:
            for d in self._deployments_for_replica_set(rs):
                self.queue.add(_key(d))

    def _on_pod(self, ev) -> None:
        """deletePod: a Recreate Deployment is synced once all pods of its ReplicaSets are gone."""
        if ev.type != "DELETED":
            return
        pod = ev.object
        d = self._deployment_for_pod(pod)
        if d is None or (_spec(d).get("strategy") or {}).get("type") != "Recreate":
            return
        rs_uids = {_uid(rs) for rs in self._list_owned_replica_sets(d)}
        if not rs_uids:
            self.queue.add(_key(d))
            return
        try:
            selector = labelsel.selector_from_label_selector(_spec(d).get("selector"))
        except labelsel.LabelSelectorError:
            return
        for p in self.store.list(self.pods_rt, _md(d).get("namespace")):
            ref = get_controller_of(p)
            if ref is not None and ref.get("uid") in rs_uids and selector.matches(_md(p).get("labels") or {}):
                return  # pods remain: not yet
        self.queue.add(_key(d))

    def _deployment_for_pod(self, pod: dict) -> dict | None:
        """getDeploymentForPod: pod -> its controlling ReplicaSet -> that RS's Deployment."""
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        ns = _md(pod).get("namespace", "")
        rs = self.store.get(self.replicasets_rt, ns, ref.get("name", ""))
        if rs is None or _uid(rs) != ref.get("uid"):
            return None
        rs_ref = get_controller_of(rs)
        if rs_ref is None:
            return None
        return self._resolve_controller_ref(ns, rs_ref)

    def _list_owned_replica_sets(self, d: dict) -> list[dict]:
        """util.ListReplicaSets: RSes matching the selector and controlled by ``d``."""
        try:
            selector = labelsel.selector_from_label_selector(_spec(d).get("selector"))
        except labelsel.LabelSelectorError:
            return []
        uid = _uid(d)
        return [rs for rs in self.store.list(self.replicasets_rt, _md(d).get("namespace"))
                if selector.matches(_md(rs).get("labels") or {})
                and (get_controller_of(rs) or {}).get("uid") == uid]

    # -- writes ----------------------------------------------------------------------------------------
    def _now(self) -> str:
        return rfc3339(self.clock.now)

    def _update_status(self, d: dict) -> dict:
        """UpdateStatus(d): ``d`` keeps the resourceVersion it was read with (a second write in the
        same sync conflicts, as upstream's)."""
        self._writing_status = _key(d)
        try:
            return self.api.update(d, subresource="status")
        finally:
            self._writing_status = None

    def _update_rs(self, rs: dict) -> dict:
        return self.api.update(rs)

    # -- syncDeployment ------------------------------------------------------------------------------
    def sync(self, key: str):
        self._skipped_own_write = False
        self._rollout_path = False
        try:
            result = self._sync_deployment(key)
        except BaseException:
            if self._skipped_own_write:
                # upstream's worker would run the key again at once for the skipped watch event
                self.queue.add(key)
            raise
        if self._skipped_own_write:
            self._finish_sync(key)
        return result

    def _finish_sync(self, key: str) -> None:
        """Stand in for the sync upstream runs for our own last status write. It sees the RSes
        and the Deployment as this sync left them (any other change has its own watch event), so
        it computes the same status and writes nothing; what differs is that its rollout step
        judges completion by the status just written: a complete rollout then cleans up old
        RSes (run that sync for real), an incomplete one schedules the progress-deadline check
        (requeueStuckDeployment)."""
        if not self._rollout_path:
            return
        namespace, name = key.split("/", 1)
        d = self.store.get(self.deployments_rt, namespace, name)
        if d is None:
            return
        if du.deployment_complete(d, d.get("status")):
            self.queue.add(key)
            return
        self._requeue_stuck_deployment(d, d.get("status") or {})

    def _sync_deployment(self, key: str):
        namespace, name = key.split("/", 1)
        deployment = self.store.get(self.deployments_rt, namespace, name)
        if deployment is None:
            return None
        d = _copy_deployment(deployment)
        selector = _spec(d).get("selector")
        if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions"):
            # reflect.DeepEqual(d.Spec.Selector, &metav1.LabelSelector{})
            self.recorder.event(d, "Warning", "SelectingAll",
                                "This deployment is selecting all pods. A non-empty selector is required.")
            status = d.setdefault("status", {})
            if int(status.get("observedGeneration") or 0) < int(_md(d).get("generation") or 0):
                status["observedGeneration"] = int(_md(d).get("generation") or 0)
                try:
                    self._update_status(d)
                except errors.StatusError:
                    pass
            return None

        rs_list = self._get_replica_sets_for_deployment(d)
        if _md(d).get("deletionTimestamp"):
            return self._sync_status_only(d, rs_list)
        self._check_paused_conditions(d)
        if _spec(d).get("paused"):
            return self._sync(d, rs_list)
        if self._get_rollback_to(d) is not None:
            return self._rollback(d, rs_list)
        if self._is_scaling_event(d, rs_list):
            return self._sync(d, rs_list)
        stype = (_spec(d).get("strategy") or {}).get("type")
        self._rollout_path = True
        if stype == "Recreate":
            return self._rollout_recreate(d, rs_list, self._get_pod_map_for_deployment(d, rs_list))
        if stype == "RollingUpdate":
            return self._rollout_rolling(d, rs_list)
        raise errors.StatusError("InternalError", 500, f"unexpected deployment strategy type: {stype}")

    def _get_replica_sets_for_deployment(self, d: dict) -> list[dict]:
        """getReplicaSetsForDeployment: every RS of the namespace, claimed (adoption/release).
        The list is sorted by creation (upstream's FindNewReplicaSet sorts it in place first)."""
        rs_list = self.store.list(self.replicasets_rt, _md(d).get("namespace"))
        try:
            selector = labelsel.selector_from_label_selector(_spec(d).get("selector"))
        except labelsel.LabelSelectorError as e:
            raise errors.StatusError("InternalError", 500, f"deployment {_md(d).get('namespace')}/"
                                     f"{_md(d).get('name')} has invalid label selector: {e}") from None
        claimed = claim_replica_sets(self.api, d, selector, rs_list)
        du.sort_by_creation_timestamp(claimed)
        return claimed

    def _get_pod_map_for_deployment(self, d: dict, rs_list: list[dict]) -> dict[str, list[dict]]:
        """getPodMapForDeployment: the Deployment's pods (by selector) grouped by controlling RS uid;
        inactive pods included (Recreate must see them)."""
        try:
            selector = labelsel.selector_from_label_selector(_spec(d).get("selector"))
        except labelsel.LabelSelectorError:
            return {}
        pod_map: dict[str, list[dict]] = {_uid(rs): [] for rs in rs_list}
        for pod in self.store.list(self.pods_rt, _md(d).get("namespace")):
            ref = get_controller_of(pod)
            if ref is None or ref.get("uid") not in pod_map:
                continue
            if selector.matches(_md(pod).get("labels") or {}):
                pod_map[ref["uid"]].append(pod)
        return pod_map

    # -- sync.go -------------------------------------------------------------------------------------
    def _sync_status_only(self, d: dict, rs_list: list[dict]):
        new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, False)
        return self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _sync(self, d: dict, rs_list: list[dict]):
        """sync: scaling events and paused Deployments."""
        new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self._scale(d, new_rs, old_rss)
        # clean up the history of a paused Deployment when no rollback is in flight
        if _spec(d).get("paused") and self._get_rollback_to(d) is None:
            self._cleanup_deployment(old_rss, d)
        return self._sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def _check_paused_conditions(self, d: dict) -> None:
        """checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed."""
        if not du.has_progress_deadline(d):
            return
        status = d.setdefault("status", {})
        cond = du.get_deployment_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
            return  # a reported lack of progress is not overwritten
        paused_exists = cond is not None and cond.get("reason") == du.PAUSED_DEPLOY_REASON
        paused = bool(_spec(d).get("paused"))
        if paused and not paused_exists:
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "Unknown", du.PAUSED_DEPLOY_REASON, "Deployment is paused", self._now()))
        elif not paused and paused_exists:
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "Unknown", du.RESUMED_DEPLOY_REASON, "Deployment is resumed", self._now()))
        else:
            return
        self._update_status(d)

    def _get_all_replica_sets_and_sync_revision(self, d: dict, rs_list: list[dict], create: bool):
        """getAllReplicaSetsAndSyncRevision: (new RS or None, all old RSes)."""
        _, all_old = du.find_old_replica_sets(d, rs_list)
        new_rs = self._get_new_replica_set(d, rs_list, all_old, create)
        return new_rs, all_old

    def _get_new_replica_set(self, d: dict, rs_list: list[dict], old_rss: list[dict], create: bool) -> dict | None:
        """getNewReplicaSet: find (and re-annotate) or create the RS of the current template."""
        existing = du.find_new_replica_set(d, rs_list)
        new_revision = str(du.max_revision(old_rss) + 1)
        status = d.setdefault("status", {})
        if existing is not None:
            rs_copy = _copy_replica_set_annotations(existing)
            annotations_updated = du.set_new_replica_set_annotations(d, rs_copy, new_revision, True)
            d_mrs = int(_spec(d).get("minReadySeconds") or 0)
            if annotations_updated or int(_spec(rs_copy).get("minReadySeconds") or 0) != d_mrs:
                rs_copy = deep_copy(rs_copy)
                rs_copy["spec"]["minReadySeconds"] = d_mrs
                return self._update_rs(rs_copy)
            needs_update = du.set_deployment_revision(
                d, (_md(rs_copy).get("annotations") or {}).get(du.REVISION_ANNOTATION, ""))
            if du.has_progress_deadline(d) and du.get_deployment_condition(status, "Progressing") is None:
                du.set_deployment_condition(status, du.new_deployment_condition(
                    "Progressing", "True", du.FOUND_NEW_RS_REASON,
                    f'Found new replica set "{_md(rs_copy)["name"]}"', self._now()))
                needs_update = True
            if needs_update:
                self._update_status(d)
            return rs_copy
        if not create:
            return None

        # a new ReplicaSet: <deployment>-<hash>, the hash label on its labels, selector and template
        template = deep_copy(_spec(d).get("template") or {})
        collision_count = status.get("collisionCount")
        pod_template_hash = du.compute_hash(template, collision_count)
        tmd = template.setdefault("metadata", {})
        tmd["labels"] = du.clone_and_add_label(tmd.get("labels"), du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
                                               pod_template_hash)
        new_selector = du.clone_selector_and_add_label(_spec(d).get("selector"), du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY,
                                                       pod_template_hash)
        rs_name = f"{_md(d)['name']}-{pod_template_hash}"
        new_rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": _md(d).get("namespace"),
                         "labels": dict(tmd["labels"]), "ownerReferences": [controller_ref_for(d)]},
            "spec": {"replicas": 0, "minReadySeconds": int(_spec(d).get("minReadySeconds") or 0),
                     "selector": new_selector, "template": template},
        }
        new_replicas = du.new_rs_new_replicas(d, old_rss + [new_rs], new_rs)
        new_rs["spec"]["replicas"] = new_replicas
        du.set_new_replica_set_annotations(d, new_rs, new_revision, False)
        already_exists = False
        try:
            created = self.api.create(new_rs)
        except errors.StatusError as e:
            if e.reason == "AlreadyExists":
                already_exists = True
                rs = self.store.get(self.replicasets_rt, _md(d).get("namespace"), rs_name)
                if rs is None:
                    raise
                ref = get_controller_of(rs)
                if ref is not None and ref.get("uid") == _uid(d) and \
                        du.equal_ignore_hash(_spec(d).get("template"), _spec(rs).get("template")):
                    created = rs
                else:
                    # a hash collision: bump collisionCount and try again with another name
                    status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
                    try:
                        self._update_status(d)
                    except errors.StatusError:
                        pass
                    raise
            elif e.reason == "Forbidden" and "because it is being terminated" in e.message:
                raise  # NamespaceTerminatingCause: every create fails; nothing to report
            else:
                msg = f'Failed to create new replica set "{rs_name}": {e.message}'
                if du.has_progress_deadline(d):
                    du.set_deployment_condition(status, du.new_deployment_condition(
                        "Progressing", "False", du.FAILED_RS_CREATE_REASON, msg, self._now()))
                    try:
                        self._update_status(d)
                    except errors.StatusError:
                        pass
                self.recorder.event(d, "Warning", du.FAILED_RS_CREATE_REASON, msg)
                raise
        if not already_exists and new_replicas > 0:
            self.recorder.event(d, "Normal", "ScalingReplicaSet",
                                f"Scaled up replica set {_md(created)['name']} from 0 to {new_replicas}")
        needs_update = du.set_deployment_revision(d, new_revision)
        if not already_exists and du.has_progress_deadline(d):
            du.set_deployment_condition(status, du.new_deployment_condition(
                "Progressing", "True", du.NEW_REPLICA_SET_REASON,
                f'Created new replica set "{_md(created)["name"]}"', self._now()))
            needs_update = True
        if needs_update:
            self._update_status(d)
        return created

    def _scale(self, d: dict, new_rs: dict | None, old_rss: list[dict]) -> None:
        """scale: a changed spec.replicas spread over the active RSes (proportional scaling)."""
        active_or_latest = du.find_active_or_latest(new_rs, old_rss)
        if active_or_latest is not None:
            if _replicas(active_or_latest) == _replicas(d):
                return
            self._scale_replica_set_and_record_event(active_or_latest, _replicas(d), d)
            return
        # a saturated new RS: old ones go to zero (adoption during a saturated rollout)
        if du.is_saturated(d, new_rs):
            for old in du.filter_active_replica_sets(old_rss):
                self._scale_replica_set_and_record_event(old, 0, d)
            return
        if not du.is_rolling_update(d):
            return
        all_rss = du.filter_active_replica_sets(old_rss + [new_rs])
        all_rss_replicas = du.get_replica_count_for_replica_sets(all_rss)
        allowed_size = _replicas(d) + du.max_surge(d) if _replicas(d) > 0 else 0
        to_add = allowed_size - all_rss_replicas
        # the largest RS first; equal sizes: newer first when scaling up, older first when down
        if to_add > 0:
            du.sort_by_size_newer(all_rss)
        elif to_add < 0:
            du.sort_by_size_older(all_rss)
        added = 0
        name_to_size: dict[str, int] = {}
        for rs in all_rss:
            if to_add != 0:
                proportion = du.get_proportion(rs, d, to_add, added)
                name_to_size[_md(rs)["name"]] = _replicas(rs) + proportion
                added += proportion
            else:
                name_to_size[_md(rs)["name"]] = _replicas(rs)
        for i, rs in enumerate(all_rss):
            name = _md(rs)["name"]
            if i == 0 and to_add != 0:
                # leftovers to the largest RS
                name_to_size[name] = max(0, name_to_size[name] + to_add - added)
            self._scale_replica_set(rs, name_to_size[name], d)

    def _scale_replica_set_and_record_event(self, rs: dict, new_scale: int, d: dict):
        if _replicas(rs) == new_scale:
            return False, rs
        return self._scale_replica_set(rs, new_scale, d)

    def _scale_replica_set(self, rs: dict, new_scale: int, d: dict):
        """scaleReplicaSet: set the size and the desired/max-replicas annotations; the
        ScalingReplicaSet event (v1.32 wording ``Scaled up replica set x from 1 to 2``) only
        when the size changed."""
        old_scale = _replicas(rs)
        size_needs_update = old_scale != new_scale
        desired, max_replicas = _replicas(d), _replicas(d) + du.max_surge(d)
        if not size_needs_update and not du.replicas_annotations_need_update(rs, desired, max_replicas):
            return False, rs
        rs_copy = _copy_replica_set_annotations(rs)
        rs_copy["spec"] = {**(rs.get("spec") or {}), "replicas": new_scale}
        du.set_replicas_annotations(rs_copy, desired, max_replicas)
        updated = self._update_rs(rs_copy)
        if size_needs_update:
            op = "up" if old_scale < new_scale else "down"
            self.recorder.event(d, "Normal", "ScalingReplicaSet",
                                f"Scaled {op} replica set {_md(updated)['name']} from {old_scale} to {new_scale}")
            return True, updated
        return False, updated

    def _cleanup_deployment(self, old_rss: list[dict], d: dict) -> None:
        """cleanupDeployment: delete the oldest old RSes beyond revisionHistoryLimit (only empty,
        observed, not-deleting ones)."""
        if not du.has_revision_history_limit(d):
            return
        cleanable = [rs for rs in old_rss if rs is not None and not _md(rs).get("deletionTimestamp")]
        diff = len(cleanable) - int(_spec(d)["revisionHistoryLimit"])
        if diff <= 0:
            return
        du.sort_by_revision(cleanable)
        for rs in cleanable[:diff]:
            st = rs.get("status") or {}
            if int(st.get("replicas") or 0) != 0 or _replicas(rs) != 0 \
                    or int(_md(rs).get("generation") or 0) > int(st.get("observedGeneration") or 0) \
                    or _md(rs).get("deletionTimestamp"):
                continue
            try:
                self.api.delete(self.replicasets_rt, _md(rs).get("namespace"), _md(rs)["name"])
            except errors.StatusError as e:
                if e.reason != "NotFound":
                    raise

    def _calculate_status(self, all_rss: list, new_rs: dict | None, d: dict) -> dict:
        """calculateStatus: counts from the RSes; Available from availableReplicas against
        replicas - maxUnavailable; other conditions carried over."""
        rss = [rs for rs in all_rss if rs is not None]
        available = du.get_available_replica_count_for_replica_sets(rss)
        total = du.get_replica_count_for_replica_sets(rss)
        old_status = d.get("status") or {}
        fields = (
            ("observedGeneration", int(_md(d).get("generation") or 0)),
            ("replicas", du.get_actual_replica_count_for_replica_sets(rss)),
            ("updatedReplicas", du.get_actual_replica_count_for_replica_sets([new_rs])),
            ("readyReplicas", du.get_ready_replica_count_for_replica_sets(rss)),
            ("availableReplicas", available),
            ("unavailableReplicas", max(0, total - available)),
        )
        # zero values are omitted on the wire (omitempty), as the stored status has them
        status: dict = {k: v for k, v in fields if v}
        status["conditions"] = list(old_status.get("conditions") or [])
        if old_status.get("collisionCount") is not None:
            status["collisionCount"] = old_status["collisionCount"]
        if available >= _replicas(d) - du.max_unavailable(d):
            cond = du.new_deployment_condition("Available", "True", du.MINIMUM_REPLICAS_AVAILABLE,
                                               "Deployment has minimum availability.", self._now())
        else:
            cond = du.new_deployment_condition("Available", "False", du.MINIMUM_REPLICAS_UNAVAILABLE,
                                               "Deployment does not have minimum availability.", self._now())
        du.set_deployment_condition(status, cond)
        return status

    def _sync_deployment_status(self, all_rss: list, new_rs: dict | None, d: dict):
        """syncDeploymentStatus: write the calculated status if it differs."""
        new_status = self._calculate_status(all_rss, new_rs, d)
        if _status_equal(d.get("status"), new_status):
            return None
        d["status"] = new_status
        self._update_status(d)
        return None

    def _is_scaling_event(self, d: dict, rs_list: list[dict]) -> bool:
        """isScalingEvent: an active RS whose desired-replicas annotation differs from spec.replicas."""
        new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, False)
        for rs in du.filter_active_replica_sets(old_rss + [new_rs]):
            desired = du.get_desired_replicas_annotation(rs)
            if desired is None:
                continue
            if desired != _replicas(d):
                return True
        return False

    # -- rolling.go ----------------------------------------------------------------------------------
    def _rollout_rolling(self, d: dict, rs_list: list[dict]):
        new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, True)
        all_rss = old_rss + [new_rs]
        if self._reconcile_new_replica_set(all_rss, new_rs, d):
            return self._sync_rollout_status(all_rss, new_rs, d)
        if self._reconcile_old_replica_sets(all_rss, du.filter_active_replica_sets(old_rss), new_rs, d):
            return self._sync_rollout_status(all_rss, new_rs, d)
        if du.deployment_complete(d, d.get("status")):
            self._cleanup_deployment(old_rss, d)
        return self._sync_rollout_status(all_rss, new_rs, d)

    def _reconcile_new_replica_set(self, all_rss: list, new_rs: dict, d: dict) -> bool:
        if _replicas(new_rs) == _replicas(d):
            return False
        if _replicas(new_rs) > _replicas(d):
            scaled, _ = self._scale_replica_set(new_rs, _replicas(d), d)
            return scaled
        new_count = du.new_rs_new_replicas(d, all_rss, new_rs)
        scaled, _ = self._scale_replica_set(new_rs, new_count, d)
        return scaled

    def _reconcile_old_replica_sets(self, all_rss: list, old_rss: list, new_rs: dict, d: dict) -> bool:
        old_pods = du.get_replica_count_for_replica_sets(old_rss)
        if old_pods == 0:
            return False  # nothing left to scale down
        all_pods = du.get_replica_count_for_replica_sets(all_rss)
        max_unavailable = du.max_unavailable(d)
        # maxScaledDown = allPodsCount - minAvailable - newReplicaSetPodsUnavailable: unavailable
        # pods of the new RS must not let old RSes shrink further (rolling.go's worked cases)
        min_available = _replicas(d) - max_unavailable
        new_unavailable = _replicas(new_rs) - int((new_rs.get("status") or {}).get("availableReplicas") or 0)
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        # unhealthy replicas of old RSes go first (kubernetes#16737)
        try:
            old_rss, cleanup_count = self._cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        except errors.StatusError:
            return False  # upstream drops the error here and reports no scaling
        all_rss = old_rss + [new_rs]
        try:
            scaled_down = self._scale_down_old_replica_sets_for_rolling_update(all_rss, old_rss, d)
        except errors.StatusError:
            return False
        return cleanup_count + scaled_down > 0

    def _cleanup_unhealthy_replicas(self, old_rss: list, d: dict, max_cleanup: int):
        du.sort_by_creation_timestamp(old_rss)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            if _replicas(rs) == 0:
                continue
            available = int((rs.get("status") or {}).get("availableReplicas") or 0)
            if _replicas(rs) == available:
                continue  # no unhealthy replicas
            count = min(max_cleanup - total, _replicas(rs) - available)
            new_count = _replicas(rs) - count
            if new_count > _replicas(rs):
                raise errors.StatusError("InternalError", 500,
                                         f"when cleaning up unhealthy replicas, got invalid request to scale "
                                         f"down {_md(rs).get('namespace')}/{_md(rs)['name']} {_replicas(rs)} -> {new_count}")
            _, updated = self._scale_replica_set(rs, new_count, d)
            total += count
            old_rss[i] = updated
        return old_rss, total

    def _scale_down_old_replica_sets_for_rolling_update(self, all_rss: list, old_rss: list, d: dict) -> int:
        min_available = _replicas(d) - du.max_unavailable(d)
        available = du.get_available_replica_count_for_replica_sets(all_rss)
        if available <= min_available:
            return 0
        du.sort_by_creation_timestamp(old_rss)
        total = 0
        to_scale_down = available - min_available
        for rs in old_rss:
            if total >= to_scale_down:
                break
            if _replicas(rs) == 0:
                continue
            count = min(_replicas(rs), to_scale_down - total)
            self._scale_replica_set(rs, _replicas(rs) - count, d)
            total += count
        return total

    # -- recreate.go ---------------------------------------------------------------------------------
    def _rollout_recreate(self, d: dict, rs_list: list[dict], pod_map: dict[str, list[dict]]):
        # no new RS before the old ones are down: avoid scaling up before scaling down
        new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, False)
        all_rss = old_rss + [new_rs]
        active_old = du.filter_active_replica_sets(old_rss)
        scaled_down = False
        for i, rs in enumerate(active_old):
            if _replicas(rs) == 0:
                continue
            scaled, updated = self._scale_replica_set_and_record_event(rs, 0, d)
            if scaled:
                active_old[i] = updated
                scaled_down = True
        if scaled_down:
            return self._sync_rollout_status(all_rss, new_rs, d)
        if _old_pods_running(new_rs, old_rss, pod_map):
            return self._sync_rollout_status(all_rss, new_rs, d)
        if new_rs is None:
            new_rs, old_rss = self._get_all_replica_sets_and_sync_revision(d, rs_list, True)
            all_rss = old_rss + [new_rs]
        self._scale_replica_set_and_record_event(new_rs, _replicas(d), d)
        if du.deployment_complete(d, d.get("status")):
            self._cleanup_deployment(old_rss, d)
        return self._sync_rollout_status(all_rss, new_rs, d)

    # -- rollback.go (the deprecated rollbackTo, carried as an annotation) ----------------------------
    @staticmethod
    def _get_rollback_to(d: dict) -> int | None:
        value = (_md(d).get("annotations") or {}).get(du.DEPRECATED_ROLLBACK_TO_ANNOTATION)
        if not value:
            return None
        try:
            return du._parse_int64(value)
        except ValueError:
            return None  # an invalid value is ignored

    def _rollback(self, d: dict, rs_list: list[dict]):
        new_rs, all_old = self._get_all_replica_sets_and_sync_revision(d, rs_list, True)
        all_rss = all_old + [new_rs]
        to_revision = self._get_rollback_to(d)
        if to_revision == 0:
            to_revision = du.last_revision(all_rss)
            if to_revision == 0:
                self.recorder.event(d, "Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find last revision.")
                return self._update_deployment_and_clear_rollback_to(d)
        for rs in all_rss:
            try:
                v = du.revision(rs)
            except ValueError:
                continue
            if v == to_revision:
                performed = self._rollback_to_template(d, rs)
                if performed:
                    self.recorder.event(d, "Normal", ROLLBACK_DONE,
                                        f'Rolled back deployment "{_md(d)["name"]}" to revision {to_revision}')
                return None
        self.recorder.event(d, "Warning", ROLLBACK_REVISION_NOT_FOUND, "Unable to find the revision to rollback to.")
        return self._update_deployment_and_clear_rollback_to(d)

    def _rollback_to_template(self, d: dict, rs: dict) -> bool:
        performed = False
        if not du.equal_ignore_hash(_spec(d).get("template"), _spec(rs).get("template")):
            # SetFromReplicaSetTemplate: the RS's template minus the hash label
            template = deep_copy(_spec(rs).get("template") or {})
            tmd = template.get("metadata") or {}
            labels = dict(tmd.get("labels") or {})
            labels.pop(du.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, None)
            if labels or "labels" in tmd:
                tmd["labels"] = labels
            d["spec"]["template"] = template
            du.set_deployment_annotations_to(d, rs)
            performed = True
        else:
            self.recorder.event(d, "Warning", ROLLBACK_TEMPLATE_UNCHANGED,
                                f'The rollback revision contains the same template as current deployment '
                                f'"{_md(d)["name"]}"')
        self._update_deployment_and_clear_rollback_to(d)
        return performed

    def _update_deployment_and_clear_rollback_to(self, d: dict):
        annotations = _md(d).get("annotations") or {}
        annotations.pop(du.DEPRECATED_ROLLBACK_TO_ANNOTATION, None)
        self.api.update(d)
        return None

    # -- progress.go ---------------------------------------------------------------------------------
    def _sync_rollout_status(self, all_rss: list, new_rs: dict | None, d: dict):
        """syncRolloutStatus: the status plus the Progressing condition (progress, completion,
        deadline) and ReplicaFailure from the RSes; requeue at the deadline when nothing changed."""
        new_status = self._calculate_status(all_rss, new_rs, d)
        if not du.has_progress_deadline(d):
            du.remove_deployment_condition(new_status, "Progressing")
        current = du.get_deployment_condition(d.get("status"), "Progressing")
        is_complete = (int(new_status.get("replicas") or 0) == int(new_status.get("updatedReplicas") or 0)
                       and current is not None and current.get("reason") == du.NEW_RS_AVAILABLE_REASON)
        if du.has_progress_deadline(d) and not is_complete:
            rs_name = _md(new_rs)["name"] if new_rs is not None else None
            if du.deployment_complete(d, new_status):
                msg = (f'ReplicaSet "{rs_name}" has successfully progressed.' if rs_name is not None
                       else f'Deployment "{_md(d)["name"]}" has successfully progressed.')
                du.set_deployment_condition(new_status, du.new_deployment_condition(
                    "Progressing", "True", du.NEW_RS_AVAILABLE_REASON, msg, self._now()))
            elif du.deployment_progressing(d, new_status):
                msg = (f'ReplicaSet "{rs_name}" is progressing.' if rs_name is not None
                       else f'Deployment "{_md(d)["name"]}" is progressing.')
                cond = du.new_deployment_condition("Progressing", "True", du.REPLICA_SET_UPDATED_REASON, msg,
                                                   self._now())
                # progress refreshes lastUpdateTime even with the same reason; a True condition
                # keeps its lastTransitionTime
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    du.remove_deployment_condition(new_status, "Progressing")
                du.set_deployment_condition(new_status, cond)
            elif du.deployment_timed_out(d, new_status, self.clock.now):
                msg = (f'ReplicaSet "{rs_name}" has timed out progressing.' if rs_name is not None
                       else f'Deployment "{_md(d)["name"]}" has timed out progressing.')
                du.set_deployment_condition(new_status, du.new_deployment_condition(
                    "Progressing", "False", du.TIMED_OUT_REASON, msg, self._now()))
        failures = _replica_failures(all_rss, new_rs)
        if failures:
            du.set_deployment_condition(new_status, failures[0])
        else:
            du.remove_deployment_condition(new_status, "ReplicaFailure")
        if _status_equal(d.get("status"), new_status):
            self._requeue_stuck_deployment(d, new_status)
            return None
        d["status"] = new_status
        self._update_status(d)
        return None

    def _requeue_stuck_deployment(self, d: dict, new_status: dict) -> None:
        """requeueStuckDeployment: check again when the progress deadline passes."""
        current = du.get_deployment_condition(d.get("status"), "Progressing")
        if not du.has_progress_deadline(d) or current is None:
            return
        if du.deployment_complete(d, new_status) or current.get("reason") == du.TIMED_OUT_REASON:
            return
        try:
            last = parse_rfc3339(current.get("lastUpdateTime") or "")
        except ValueError:
            last = float("-inf")
        after = last + int(_spec(d)["progressDeadlineSeconds"]) - self.clock.now
        if after < 1:
            self.queue.add_rate_limited(_key(d))
            return
        # one more second against rounding of the condition time (kubernetes#39785)
        self.queue.add(_key(d), after + 1)


def _copy_deployment(deployment: dict) -> dict:
    """upstream's ``deployment.DeepCopy()``, limited to what a sync changes: the annotations
    (revision, rollbackTo), the status dict and its conditions list (condition dicts are replaced,
    never edited) and the spec's top level (a rollback assigns a new template)."""
    md = dict(deployment.get("metadata") or {})
    if md.get("annotations") is not None:
        md["annotations"] = dict(md["annotations"])
    d = {**deployment, "metadata": md, "spec": dict(deployment.get("spec") or {})}
    if deployment.get("status") is not None:
        status = dict(deployment["status"])
        if status.get("conditions") is not None:
            status["conditions"] = list(status["conditions"])
        d["status"] = status
    return d


def _copy_replica_set_annotations(rs: dict) -> dict:
    """A copy of ``rs`` whose metadata/annotations may be changed (all else shared, read-only)."""
    md = dict(rs.get("metadata") or {})
    md["annotations"] = dict(md.get("annotations") or {})
    return {**rs, "metadata": md}


def _status_equal(a: dict | None, b: dict | None) -> bool:
    """reflect.DeepEqual of two DeploymentStatus values as stored (no conditions == empty list)."""
    def norm(s):
        s = dict(s or {})
        if not s.get("conditions"):
            s.pop("conditions", None)
        return {k: v for k, v in s.items() if v not in (0, None)}
    return norm(a) == norm(b)


def _replica_failures(all_rss: list, new_rs: dict | None) -> list[dict]:
    """getReplicaFailures: ReplicaFailure conditions of the new RS, else of any RS."""
    conds = []
    if new_rs is not None:
        for c in (new_rs.get("status") or {}).get("conditions") or []:
            if c.get("type") == "ReplicaFailure":
                conds.append(du.replica_set_to_deployment_condition(c))
    if conds:
        return conds
    for rs in all_rss:
        if rs is None:
            continue
        for c in (rs.get("status") or {}).get("conditions") or []:
            if c.get("type") == "ReplicaFailure":
                conds.append(du.replica_set_to_deployment_condition(c))
    return conds


def _old_pods_running(new_rs: dict | None, old_rss: list, pod_map: dict[str, list[dict]]) -> bool:
    """oldPodsRunning: an old RS reports replicas, or a pod of an old RS is not terminal."""
    if du.get_actual_replica_count_for_replica_sets(old_rss) > 0:
        return True
    new_uid = _uid(new_rs)
    for rs_uid, pods in pod_map.items():
        if new_rs is not None and rs_uid == new_uid:
            continue
        for pod in pods:
            if (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
                continue
            return True
    return False
