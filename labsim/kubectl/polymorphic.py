"""kubectl's polymorphic helpers for the rollout verbs (``kubernetes/kubectl: pkg/polymorphichelpers``,
``pkg/util/deployment``, v1.32).

What a verb does depends on the kind of object it meets, as upstream's ``*For(kind)`` functions
decide:

* :func:`status_viewer_for` (``rollout_status.go``): the one-line rollout state of a Deployment,
  DaemonSet or StatefulSet and whether the rollout is done;
* :func:`history_viewer_for` (``history.go``): the ``REVISION  CHANGE-CAUSE`` table and one
  revision's pod template (Deployment: its ReplicaSets; StatefulSet/DaemonSet: its
  ControllerRevisions);
* :func:`rollbacker_for` (``rollback.go``): ``rollout undo``;
* :func:`object_pauser`, :func:`object_resumer`, :func:`object_restarter`
  (``objectpauser.go``, ``objectresumer.go``, ``objectrestarter.go``): the changed object, or the
  error kubectl reports for that object.

Objects are wire-format dicts read from the API server; helpers never change what they are given.
The ReplicaSets of a Deployment are found as kubectl's ``deploymentutil.GetAllReplicaSets`` does:
owned (controller reference) ReplicaSets matching the Deployment's selector, in creation order; the
new one is the first whose template equals the Deployment's, ignoring ``pod-template-hash``.
"""
from __future__ import annotations

from typing import Any, Callable

from labsim.api import labels as labelsel
from labsim.api.meta import deep_copy
from labsim.api.registry import REGISTRY, ResourceType
from labsim.clock import parse_rfc3339
from labsim.errors import KubectlError

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"
RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
POD_TEMPLATE_HASH = "pod-template-hash"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"

REPLICA_SET = REGISTRY.for_kind("apps", "ReplicaSet")
CONTROLLER_REVISION = REGISTRY.for_kind("apps", "ControllerRevision")

#: rollback.go annotationsToSkip: kept from the Deployment, never copied from the ReplicaSet
ANNOTATIONS_TO_SKIP = (LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
                       DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO)


def group_kind_string(rt: ResourceType) -> str:
    """``schema.GroupKind.String()``: ``Pod``, ``ReplicaSet.apps``."""
    return f"{rt.kind}.{rt.group}" if rt.group else rt.kind


def _group_kind_element(rt: ResourceType) -> str:
    """``%v`` of ``apps.GroupKindElement`` (a struct without a String method): ``{apps Service}``."""
    return "{" + f"{rt.group} {rt.kind}" + "}"


def _visitable(rt: ResourceType) -> bool:
    """``apps.GroupKindElement.Accept`` knows these kinds (pkg/apps/kind_visitor.go)."""
    return (rt.group, rt.kind) in {("apps", "DaemonSet"), ("apps", "Deployment"), ("batch", "Job"), ("", "Pod"),
                                   ("apps", "ReplicaSet"), ("", "ReplicationController"), ("apps", "StatefulSet"),
                                   ("batch", "CronJob")}


# -- pkg/util/deployment ---------------------------------------------------------------------------

def revision(obj: dict) -> int:
    """``deploymentutil.Revision``: the revision annotation, 0 when absent."""
    v = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION)
    if v is None:
        return 0
    try:
        if not v or v.strip() != v or not v.lstrip("+-").isdigit():
            raise ValueError
        return int(v)
    except ValueError:
        raise ValueError(f'strconv.ParseInt: parsing "{v}": invalid syntax') from None


def _time(obj: dict) -> float:
    ts = (obj.get("metadata") or {}).get("creationTimestamp")
    return parse_rfc3339(ts) if ts else 0.0


def is_controlled_by(obj: dict, owner: dict) -> bool:
    """``metav1.IsControlledBy``: the controller reference carries the owner's uid."""
    uid = (owner.get("metadata") or {}).get("uid")
    return any(r.get("controller") and r.get("uid") == uid
               for r in (obj.get("metadata") or {}).get("ownerReferences") or [])


def list_replica_sets(api, deployment: dict) -> list[dict]:
    """``listReplicaSets``: the Deployment's selector, then its controller reference."""
    md = deployment.get("metadata") or {}
    try:
        selector = labelsel.selector_from_label_selector((deployment.get("spec") or {}).get("selector"))
    except labelsel.LabelSelectorError:
        return []
    return [rs for rs in api.list(REPLICA_SET, md.get("namespace"))
            if selector.matches((rs.get("metadata") or {}).get("labels") or {}) and is_controlled_by(rs, deployment)]


def _drop_empty(v: Any) -> Any:
    # apimachinery's semantic DeepEqual treats nil and empty maps/slices as equal
    if isinstance(v, dict):
        return {k: _drop_empty(x) for k, x in v.items() if x not in (None, {}, [])}
    if isinstance(v, list):
        return [_drop_empty(x) for x in v]
    return v


def _without_hash(template: dict | None) -> dict:
    t = deep_copy(template or {})
    labels = dict(((t.get("metadata") or {}).get("labels")) or {})
    if POD_TEMPLATE_HASH in labels:
        labels.pop(POD_TEMPLATE_HASH)
        t["metadata"] = {**t["metadata"], "labels": labels}
    return _drop_empty(t)


def equal_ignore_hash(t1: dict | None, t2: dict | None) -> bool:
    """``equalIgnoreHash``: the templates are equal once ``pod-template-hash`` is removed."""
    return _without_hash(t1) == _without_hash(t2)


def by_creation(rss: list[dict]) -> list[dict]:
    """``replicaSetsByCreationTimestamp``: creation time, then name."""
    return sorted(rss, key=lambda rs: (_time(rs), (rs.get("metadata") or {}).get("name", "")))


def get_all_replica_sets(api, deployment: dict) -> tuple[list[dict], list[dict], dict | None]:
    """``GetAllReplicaSets``: (old ReplicaSets with replicas, all old ReplicaSets, the new one)."""
    rss = by_creation(list_replica_sets(api, deployment))
    template = (deployment.get("spec") or {}).get("template")
    new = next((rs for rs in rss if equal_ignore_hash((rs.get("spec") or {}).get("template"), template)), None)
    all_old = [rs for rs in rss if rs is not new]
    required = [rs for rs in all_old if ((rs.get("spec") or {}).get("replicas") if (rs.get("spec") or {}).get(
        "replicas") is not None else 1) != 0]
    return required, all_old, new


def deployment_condition(deployment: dict, cond_type: str) -> dict | None:
    for c in (deployment.get("status") or {}).get("conditions") or []:
        if c.get("type") == cond_type:
            return c
    return None


# -- StatusViewer (rollout_status.go) -------------------------------------------------------------

StatusFn = Callable[[dict, int], "tuple[str, bool]"]


def _int(v: Any) -> int:
    return int(v or 0)


def deployment_status(d: dict, rev: int) -> tuple[str, bool]:
    """``DeploymentStatusViewer.Status``: (message with its newline, done); errors raise."""
    md, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    name = md.get("name", "")
    if rev > 0:
        try:
            running = revision(d)
        except ValueError as e:
            raise KubectlError(f'cannot get the revision of deployment "{name}": {e}') from None
        if rev != running:
            raise KubectlError(f"desired revision ({rev}) is different from the running revision ({running})")
    if _int(md.get("generation")) <= _int(status.get("observedGeneration")):
        cond = deployment_condition(d, "Progressing")
        if cond is not None and cond.get("reason") == TIMED_OUT_REASON:
            raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
        replicas = spec.get("replicas")
        updated = _int(status.get("updatedReplicas"))
        if replicas is not None and updated < replicas:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                    f"have been updated...\n", False)
        total = _int(status.get("replicas"))
        if total > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are pending '
                    f"termination...\n", False)
        available = _int(status.get("availableReplicas"))
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated replicas '
                    f"are available...\n", False)
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False


def daemonset_status(ds: dict, rev: int) -> tuple[str, bool]:
    """``DaemonSetStatusViewer.Status`` (the revision is ignored upstream)."""
    md, spec, status = ds.get("metadata") or {}, ds.get("spec") or {}, ds.get("status") or {}
    name = md.get("name", "")
    if ((spec.get("updateStrategy") or {}).get("type")) != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    if _int(md.get("generation")) <= _int(status.get("observedGeneration")):
        desired = _int(status.get("desiredNumberScheduled"))
        updated = _int(status.get("updatedNumberScheduled"))
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have '
                    f"been updated...\n", False)
        available = _int(status.get("numberAvailable"))
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods are '
                    f"available...\n", False)
        return f'daemon set "{name}" successfully rolled out\n', True
    return "Waiting for daemon set spec update to be observed...\n", False


def statefulset_status(sts: dict, rev: int) -> tuple[str, bool]:
    """``StatefulSetStatusViewer.Status``."""
    md, spec, status = sts.get("metadata") or {}, sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    observed = _int(status.get("observedGeneration"))
    if observed == 0 or _int(md.get("generation")) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas")
    if replicas is not None and _int(status.get("readyReplicas")) < replicas:
        return f"Waiting for {replicas - _int(status.get('readyReplicas'))} pods to be ready...\n", False
    updated = _int(status.get("updatedReplicas"))
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if replicas is not None and partition is not None and updated < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods "
                    f"have been updated...\n", False)
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision", "") != status.get("currentRevision", ""):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision', '')}...\n", False)
    return (f"statefulset rolling update complete {_int(status.get('currentReplicas'))} pods at revision "
            f"{status.get('currentRevision', '')}...\n", True)


def status_viewer_for(rt: ResourceType) -> StatusFn:
    """``StatusViewerFor``."""
    viewers = {("apps", "Deployment"): deployment_status, ("apps", "DaemonSet"): daemonset_status,
               ("apps", "StatefulSet"): statefulset_status}
    fn = viewers.get((rt.group, rt.kind))
    if fn is None:
        raise KubectlError(f"no status viewer has been implemented for {group_kind_string(rt)}")
    return fn


# -- pod templates as printTemplate writes them ---------------------------------------------------

class RawPrefixWriter:
    """``describe.NewPrefixWriter(buf)`` over a plain buffer: the describe lines with their raw tabs
    (history.go ``printTemplate`` does not align them)."""

    def __init__(self) -> None:
        self._out: list[str] = []

    def write(self, level: int, fmt: str, *args: Any) -> None:
        from labsim.kubectl.printers.describe.layout import escape_terminal

        self._out.append(escape_terminal(("  " * level) + (fmt % args if args else fmt)))

    def write_line(self, *parts: Any) -> None:
        from labsim.kubectl.printers.describe.layout import escape_terminal

        self._out.append(escape_terminal(" ".join(str(p) for p in parts) + "\n"))

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return "".join(self._out)


def print_template(template: dict | None) -> str:
    """``printTemplate``: ``DescribePodTemplate`` with raw tabs."""
    from labsim.kubectl.printers.describe.pod import describe_pod_template

    w = RawPrefixWriter()
    describe_pod_template(template, w)
    return w.text()


def _history_table(rows: list[tuple[int, str]]) -> str:
    """``tabbedString``: a tabwriter with padding 2 (not describe's settings)."""
    from labsim.kubectl.printers.tabwriter import TabWriter

    tw = TabWriter(minwidth=0, tabwidth=8, padding=2)
    tw.write("REVISION\tCHANGE-CAUSE\n")
    for rev, cause in rows:
        tw.write(f"{rev}\t{cause or '<none>'}\n")
    return tw.flush()


# -- HistoryViewer (history.go) --------------------------------------------------------------------

class DeploymentHistoryViewer:
    def __init__(self, api):
        self.api = api

    def _replica_sets(self, namespace: str, name: str) -> list[dict]:
        rt = REGISTRY.for_kind("apps", "Deployment")
        d = self.api.try_get(rt, namespace, name)
        if d is None:
            raise KubectlError(f'failed to retrieve deployment {name}: deployments.apps "{name}" not found')
        _, old, new = get_all_replica_sets(self.api, d)
        return old + ([new] if new is not None else [])

    def _by_revision(self, namespace: str, name: str) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for rs in self._replica_sets(namespace, name):
            try:
                v = revision(rs)
            except ValueError:
                continue  # klog.Warningf at -v=0 is not shown
            out[v] = rs
        return out

    def view_history(self, namespace: str, name: str, rev: int) -> str:
        templates: dict[int, dict] = {}
        for v, rs in self._by_revision(namespace, name).items():
            template = deep_copy((rs.get("spec") or {}).get("template") or {})
            cause = ((rs.get("metadata") or {}).get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION, "")
            if cause:
                md = template.setdefault("metadata", {})
                md["annotations"] = {**(md.get("annotations") or {}), CHANGE_CAUSE_ANNOTATION: cause}
            templates[v] = template
        if not templates:
            return "No rollout history found."
        if rev > 0:
            if rev not in templates:
                raise KubectlError("unable to find the specified revision")
            return print_template(templates[rev])
        rows = [(v, ((templates[v].get("metadata") or {}).get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION, ""))
                for v in sorted(templates)]
        return _history_table(rows)

    def get_history(self, namespace: str, name: str) -> dict[int, dict]:
        return self._by_revision(namespace, name)


def _controlled_history(api, owner: dict) -> list[dict]:
    """``controlledHistory``: ControllerRevisions matching the selector and controlled by the owner."""
    md = owner.get("metadata") or {}
    try:
        selector = labelsel.selector_from_label_selector((owner.get("spec") or {}).get("selector"))
    except labelsel.LabelSelectorError as e:
        raise KubectlError(f"failed to create selector for {owner.get('kind')} {md.get('name')}: {e}") from None
    return [cr for cr in api.list(CONTROLLER_REVISION, md.get("namespace"))
            if selector.matches((cr.get("metadata") or {}).get("labels") or {}) and is_controlled_by(cr, owner)]


def _apply_history(owner: dict, history: dict) -> dict:
    """``applyDaemonSetHistory`` / ``applyRevision``: the owner strategic-merge-patched with the
    revision's data."""
    from labsim.api.strategic import patch_meta_for, strategic_merge_patch

    rt = REGISTRY.for_api_version(owner.get("apiVersion", ""), owner.get("kind", ""))
    return strategic_merge_patch(deep_copy(owner), deep_copy(history.get("data") or {}), patch_meta_for(rt))


class ControllerRevisionHistoryViewer:
    """``DaemonSetHistoryViewer`` / ``StatefulSetHistoryViewer`` (``printHistory``)."""

    def __init__(self, api, rt: ResourceType):
        self.api = api
        self.rt = rt

    def _owner_and_history(self, namespace: str, name: str) -> tuple[dict, list[dict]]:
        owner = self.api.try_get(self.rt, namespace, name)
        if owner is None:
            label = "DaemonSet" if self.rt.kind == "DaemonSet" else "Statefulset"
            raise KubectlError(f'failed to retrieve {label} {name}: {self.rt.plural}.apps "{name}" not found')
        return owner, _controlled_history(self.api, owner)

    def view_history(self, namespace: str, name: str, rev: int) -> str:
        owner, history = self._owner_and_history(namespace, name)
        by_rev = {int(h.get("revision") or 0): h for h in history}
        if not by_rev:
            return "No rollout history found."
        if rev > 0:
            h = by_rev.get(rev)
            if h is None:
                raise KubectlError("unable to find the specified revision")
            return print_template((_apply_history(owner, h).get("spec") or {}).get("template"))
        rows = [(v, ((by_rev[v].get("metadata") or {}).get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION, ""))
                for v in sorted(by_rev)]
        return _history_table(rows)

    def get_history(self, namespace: str, name: str) -> dict[int, dict]:
        owner, history = self._owner_and_history(namespace, name)
        return {int(h.get("revision") or 0): _apply_history(owner, h) for h in history}


def history_viewer_for(api, rt: ResourceType):
    """``HistoryViewerFor``."""
    if not _visitable(rt):
        raise KubectlError(f'error retrieving history for "{group_kind_string(rt)}", no visitor method exists for '
                           f"{_group_kind_element(rt)}")
    if (rt.group, rt.kind) == ("apps", "Deployment"):
        return DeploymentHistoryViewer(api)
    if (rt.group, rt.kind) in (("apps", "StatefulSet"), ("apps", "DaemonSet")):
        return ControllerRevisionHistoryViewer(api, rt)
    raise KubectlError(f'no history viewer has been implemented for "{group_kind_string(rt)}"')


# -- Rollbacker (rollback.go) ------------------------------------------------------------------------

def revision_not_found(rev: int) -> KubectlError:
    return KubectlError(f"unable to find specified revision {rev} in history")


ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"


class DeploymentRollbacker:
    def __init__(self, api):
        self.api = api

    def _revision_rs(self, d: dict, to_revision: int) -> dict:
        """``deploymentRevision``: the ReplicaSet of ``to_revision``, or the previous revision's."""
        _, old, new = get_all_replica_sets(self.api, d)
        latest_rev, previous_rev = -1, -1
        latest = previous = None
        for rs in old + ([new] if new is not None else []):
            try:
                v = revision(rs)
            except ValueError:
                continue
            if to_revision == 0:
                if latest_rev < v:
                    previous_rev, previous = latest_rev, latest
                    latest_rev, latest = v, rs
                elif previous_rev < v:
                    previous_rev, previous = v, rs
            elif to_revision == v:
                return rs
        if to_revision > 0:
            raise revision_not_found(to_revision)
        if previous is None:
            raise KubectlError(f'no rollout history found for deployment "{(d.get("metadata") or {}).get("name", "")}"')
        return previous

    def rollback(self, obj: dict, to_revision: int, dry_run: str) -> str:
        """Returns the operation kubectl prints (``rolled back``, ``skipped rollback (...)`` or, for
        a client dry run, the template of the revision)."""
        if to_revision < 0:
            raise revision_not_found(to_revision)
        md = obj.get("metadata") or {}
        rt = REGISTRY.for_kind("apps", "Deployment")
        d = self.api.try_get(rt, md.get("namespace"), md.get("name", ""))
        if d is None:
            raise KubectlError(f'failed to retrieve Deployment {md.get("name", "")}: deployments.apps '
                               f'"{md.get("name", "")}" not found')
        rs = self._revision_rs(d, to_revision)
        rs_template = (rs.get("spec") or {}).get("template") or {}
        if dry_run == "client":
            return print_template(rs_template)
        if (d.get("spec") or {}).get("paused"):
            raise KubectlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                               "and try again")
        if equal_ignore_hash(rs_template, (d.get("spec") or {}).get("template")):
            return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
        template = deep_copy(rs_template)
        labels = dict(((template.get("metadata") or {}).get("labels")) or {})
        labels.pop(POD_TEMPLATE_HASH, None)
        template.setdefault("metadata", {})["labels"] = labels
        if not labels:
            template["metadata"].pop("labels")
        d_annotations = (d.get("metadata") or {}).get("annotations") or {}
        annotations = {k: d_annotations[k] for k in ANNOTATIONS_TO_SKIP if k in d_annotations}
        for k, v in ((rs.get("metadata") or {}).get("annotations") or {}).items():
            if k not in ANNOTATIONS_TO_SKIP:
                annotations[k] = v
        patch = [{"op": "replace", "path": "/spec/template", "value": template},
                 {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
        from labsim.errors import StatusError

        try:
            self.api.patch(rt, d["metadata"].get("namespace"), d["metadata"]["name"], patch, "json",
                           dry_run=dry_run == "server")
        except StatusError as e:
            raise KubectlError(f"failed restoring revision {to_revision}: {e.message}") from None
        return ROLLBACK_SUCCESS


class ControllerRevisionRollbacker:
    """``DaemonSetRollbacker`` / ``StatefulSetRollbacker``: the revision's data is a strategic merge
    patch of the template (``$patch: replace``)."""

    def __init__(self, api, rt: ResourceType):
        self.api = api
        self.rt = rt

    def rollback(self, obj: dict, to_revision: int, dry_run: str) -> str:
        if to_revision < 0:
            raise revision_not_found(to_revision)
        md = obj.get("metadata") or {}
        viewer = ControllerRevisionHistoryViewer(self.api, self.rt)
        owner, history = viewer._owner_and_history(md.get("namespace"), md.get("name", ""))
        if to_revision == 0 and len(history) <= 1:
            raise KubectlError("no last revision to roll back to")
        ordered = sorted(history, key=lambda h: int(h.get("revision") or 0))
        if to_revision == 0:
            target = ordered[-2]
        else:
            target = next((h for h in ordered if int(h.get("revision") or 0) == to_revision), None)
            if target is None:
                raise revision_not_found(to_revision)
        if dry_run == "client":
            applied = _apply_history(owner, target)
            return "will roll back to " + print_template((applied.get("spec") or {}).get("template"))
        current = {"spec": {"template": {**deep_copy((owner.get("spec") or {}).get("template") or {}),
                                         "$patch": "replace"}}}
        if _drop_empty(current) == _drop_empty(target.get("data") or {}):
            return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
        from labsim.errors import StatusError

        try:
            self.api.patch(self.rt, owner["metadata"].get("namespace"), owner["metadata"]["name"],
                           deep_copy(target.get("data") or {}), "strategic", dry_run=dry_run == "server")
        except StatusError as e:
            raise KubectlError(f"failed restoring revision {to_revision}: {e.message}") from None
        return ROLLBACK_SUCCESS


def rollbacker_for(api, rt: ResourceType):
    """``RollbackerFor``."""
    if not _visitable(rt):
        raise KubectlError(f'error retrieving rollbacker for "{group_kind_string(rt)}", no visitor method exists '
                           f"for {_group_kind_element(rt)}")
    if (rt.group, rt.kind) == ("apps", "Deployment"):
        return DeploymentRollbacker(api)
    if (rt.group, rt.kind) in (("apps", "StatefulSet"), ("apps", "DaemonSet")):
        return ControllerRevisionRollbacker(api, rt)
    raise KubectlError(f'no rollbacker has been implemented for "{group_kind_string(rt)}"')


# -- ObjectPauser / ObjectResumer / ObjectRestarter -------------------------------------------------

class MutateError(Exception):
    """The error a PatchFn returns for one object (kubectl prefixes the resource and name)."""


def object_pauser(rt: ResourceType, obj: dict) -> dict:
    """``defaultObjectPauser``."""
    if (rt.group, rt.kind) != ("apps", "Deployment"):
        raise MutateError("pausing is not supported")
    if (obj.get("spec") or {}).get("paused"):
        raise MutateError("is already paused")
    out = deep_copy(obj)
    out["spec"]["paused"] = True
    return out


def object_resumer(rt: ResourceType, obj: dict) -> dict:
    """``defaultObjectResumer``."""
    if (rt.group, rt.kind) != ("apps", "Deployment"):
        raise MutateError("resuming is not supported")
    if not (obj.get("spec") or {}).get("paused"):
        raise MutateError("is not paused")
    out = deep_copy(obj)
    out["spec"].pop("paused", None)  # false is omitted (omitempty)
    return out


def object_restarter(rt: ResourceType, obj: dict, now_rfc3339: str) -> dict:
    """``defaultObjectRestarter``: the template annotation ``kubectl.kubernetes.io/restartedAt``
    (upstream: ``time.Now().Format(time.RFC3339)``, the client's local time; here the simulated
    clock in UTC)."""
    if (rt.group, rt.kind) not in (("apps", "Deployment"), ("apps", "DaemonSet"), ("apps", "StatefulSet")):
        raise MutateError("restarting is not supported")
    if rt.kind == "Deployment" and (obj.get("spec") or {}).get("paused"):
        raise MutateError("can't restart paused deployment (run rollout resume first)")
    out = deep_copy(obj)
    template = out.setdefault("spec", {}).setdefault("template", {})
    md = template.setdefault("metadata", {})
    md["annotations"] = {**(md.get("annotations") or {}), RESTARTED_AT_ANNOTATION: now_rfc3339}
    return out


# -- UpdatePodSpecForObject (updatepodspec.go) -----------------------------------------------------

def pod_spec_of(obj: dict) -> dict:
    """The pod spec ``set image`` / ``set resources`` change (a reference into ``obj``)."""
    kind = obj.get("kind", "")
    group = (obj.get("apiVersion") or "").rpartition("/")[0]
    if (group, kind) == ("", "Pod"):
        return obj.setdefault("spec", {})
    if (group, kind) in {("", "ReplicationController"), ("apps", "Deployment"), ("apps", "DaemonSet"),
                         ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("batch", "Job")}:
        return obj.setdefault("spec", {}).setdefault("template", {}).setdefault("spec", {})
    if (group, kind) == ("batch", "CronJob"):
        return (obj.setdefault("spec", {}).setdefault("jobTemplate", {}).setdefault("spec", {})
                .setdefault("template", {}).setdefault("spec", {}))
    raise MutateError(f"the object is not a pod or does not have a pod template: *{_go_type(obj)}")


def _go_type(obj: dict) -> str:
    """``%T`` of the typed object minus the star: the Go package name is the version (``v1.Service``)."""
    version = (obj.get("apiVersion") or "").rpartition("/")[2]
    return f"{version}.{obj.get('kind', '')}"
