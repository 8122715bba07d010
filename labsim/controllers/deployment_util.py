"""Pure rules of the Deployment controller: rolling-update arithmetic and the pod-template hash.

Everything here works on wire-format dicts (never mutated) and returns plain values; the
controller that drives ReplicaSets calls these. Ported from
kubernetes/kubernetes: pkg/controller/deployment/util/deployment_util.go and
k8s.io/apimachinery/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent).
"""
from __future__ import annotations

import math
import re

# Go strconv.Atoi: optional sign, ASCII decimal digits
_ATOI = re.compile(r"[+-]?[0-9]+\Z")

# kubernetes/kubernetes: pkg/controller/deployment/util/deployment_util.go
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash"


class IntOrStringError(ValueError):
    """An IntOrString that cannot be scaled, with upstream's error text."""


def get_scaled_value_from_int_or_percent(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent.

    An int is returned as is; "N%" is N*total/100, rounded up or down:
    "25%" of 10 -> 3 when rounding up (surge), 2 when rounding down (unavailable).
    Upstream computes in float64 (math.Ceil/math.Floor of value*total/100); so do we.
    """
    # k8s.io/apimachinery/pkg/util/intstr/intstr.go
    if value is None:
        raise IntOrStringError("nil value for IntOrString")
    if isinstance(value, bool):
        raise IntOrStringError("invalid type: neither int nor percentage")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if not value.endswith("%"):
            raise IntOrStringError('invalid type: string is not a percentage')
        digits = value[:-1]
        if not _ATOI.match(digits):
            raise IntOrStringError(f'invalid value for IntOrString: invalid value "{value}"')
        pct = int(digits)
        scaled = float(pct) * float(total) / 100
        return int(math.ceil(scaled)) if round_up else int(math.floor(scaled))
    raise IntOrStringError("invalid type: neither int nor percentage")


def resolve_fenceposts(max_surge, max_unavailable, desired: int) -> tuple[int, int]:
    """deploymentutil.ResolveFenceposts: resolve maxSurge (rounded up) and maxUnavailable
    (rounded down) together.

    2 desired, maxUnavailable 1%, maxSurge 0% -> (0, 0) resolves to (0, 1): validation forbids
    both being zero, but rounding down can still produce it, so one pod may be unavailable
    ("on the theory that surge might not work due to quota").
    10 desired, 25% / 25% -> (3, 2).
    A missing value (None) counts as 0 (intstrutil.ValueOrDefault(x, FromInt(0))).
    """
    surge = get_scaled_value_from_int_or_percent(0 if max_surge is None else max_surge, desired, True)
    unavailable = get_scaled_value_from_int_or_percent(
        0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _replicas(obj: dict | None) -> int:
    # *(x.Spec.Replicas): defaulted to 1 by the API server; absent only in hand-made objects.
    if obj is None:
        return 0
    r = (obj.get("spec") or {}).get("replicas")
    return 1 if r is None else int(r)


def _strategy(deployment: dict) -> dict:
    return (deployment.get("spec") or {}).get("strategy") or {}


def _is_rolling(deployment: dict) -> bool:
    return _strategy(deployment).get("type", "RollingUpdate") == "RollingUpdate"


def _rolling(deployment: dict) -> tuple:
    ru = _strategy(deployment).get("rollingUpdate") or {}
    return ru.get("maxSurge", "25%"), ru.get("maxUnavailable", "25%")


def max_unavailable(deployment: dict) -> int:
    """deploymentutil.MaxUnavailable: 0 unless RollingUpdate with replicas > 0; capped at replicas.

    replicas 10, maxUnavailable "25%" -> 2;  replicas 1, maxUnavailable 5 -> 1 (cap).
    An unresolvable value gives 0 (upstream drops the error: validation already rejected it).
    """
    replicas = _replicas(deployment)
    if not _is_rolling(deployment) or replicas == 0:
        return 0
    try:
        _, unavailable = resolve_fenceposts(*_rolling(deployment), replicas)
    except IntOrStringError:
        return 0
    return min(unavailable, replicas)


def max_surge(deployment: dict) -> int:
    """deploymentutil.MaxSurge: 0 unless RollingUpdate. replicas 10, maxSurge "25%" -> 3."""
    if not _is_rolling(deployment):
        return 0
    try:
        surge, _ = resolve_fenceposts(*_rolling(deployment), _replicas(deployment))
    except IntOrStringError:
        return 0
    return surge


def get_replica_count_for_replica_sets(replica_sets) -> int:
    """deploymentutil.GetReplicaCountForReplicaSets: sum of spec.replicas (None entries skipped)."""
    return sum(_replicas(rs) for rs in replica_sets if rs is not None)


def get_actual_replica_count_for_replica_sets(replica_sets) -> int:
    """Sum of status.replicas."""
    return sum(int((rs.get("status") or {}).get("replicas") or 0) for rs in replica_sets if rs is not None)


def get_available_replica_count_for_replica_sets(replica_sets) -> int:
    """Sum of status.availableReplicas."""
    return sum(int((rs.get("status") or {}).get("availableReplicas") or 0)
               for rs in replica_sets if rs is not None)


def new_rs_new_replicas(deployment: dict, all_rss, new_rs: dict) -> int:
    """deploymentutil.NewRSNewReplicas: how many replicas the new ReplicaSet may have now.

    RollingUpdate: total pods may reach replicas + maxSurge. Deployment 10 replicas, surge 25%
    (-> 3), old RS 10 + new RS 0: current 10 < 13, scale up by min(13-10, 10-0) = 3 -> 3.
    If current >= max total, the new RS keeps its size. Recreate: straight to spec.replicas.
    """
    stype = _strategy(deployment).get("type", "RollingUpdate")
    replicas = _replicas(deployment)
    if stype == "RollingUpdate":
        surge_value, _ = _rolling(deployment)
        surge = get_scaled_value_from_int_or_percent(surge_value, replicas, True)
        current = get_replica_count_for_replica_sets(all_rss)
        max_total = replicas + surge
        if current >= max_total:
            return _replicas(new_rs)
        scale_up = min(max_total - current, replicas - _replicas(new_rs))
        return _replicas(new_rs) + scale_up
    if stype == "Recreate":
        return replicas
    raise ValueError(f"deployment type {stype} isn't supported")


def _annotation_int(rs: dict, key: str):
    value = ((rs.get("metadata") or {}).get("annotations") or {}).get(key)
    if value is None:
        return None
    try:
        # strconv.Atoi / ParseInt(…, 10, 32)
        n = int(value, 10)
    except ValueError:
        return None
    if not -(1 << 31) <= n < (1 << 31):
        return None
    return n


def is_saturated(deployment: dict, rs: dict | None) -> bool:
    """deploymentutil.IsSaturated: the RS has deployment.spec.replicas in spec, in its
    desired-replicas annotation, and available."""
    if rs is None:
        return False
    desired = _annotation_int(rs, DESIRED_REPLICAS_ANNOTATION)
    if desired is None:
        return False
    replicas = _replicas(deployment)
    available = int((rs.get("status") or {}).get("availableReplicas") or 0)
    return _replicas(rs) == replicas and desired == replicas and available == replicas


def _round_to_int32(a: float) -> int:
    # k8s.io/utils/integer.RoundToInt32: round half away from zero, by truncation
    return int(a - 0.5) if a < 0 else int(a + 0.5)


def get_replica_set_fraction(rs: dict, deployment: dict) -> int:
    """deploymentutil.getReplicaSetFraction: the change of size for rs in a proportional scale.

    Deployment scaled 10 -> 15 (surge 3 -> 18 allowed), rs with 5 replicas annotated max 13:
    round(5*18/13) - 5 = round(6.92) - 5 = 2.
    """
    if _replicas(deployment) == 0:
        return -_replicas(rs)
    deployment_replicas = _replicas(deployment) + max_surge(deployment)
    annotated = _annotation_int(rs, MAX_REPLICAS_ANNOTATION)
    if annotated is None:
        annotated = int((deployment.get("status") or {}).get("replicas") or 0)
    if annotated == 0:
        # Upstream divides by zero in float64 (+Inf); Go's conversion of +Inf to int32 is
        # implementation-defined. Such an RS is not scaled.
        return 0
    return _round_to_int32(_replicas(rs) * deployment_replicas / annotated) - _replicas(rs)


def get_proportion(rs: dict | None, deployment: dict, to_add: int, added: int) -> int:
    """deploymentutil.GetProportion: the share of `to_add` replicas for rs, bounded by what is
    still left to add (to_add - added)."""
    if rs is None or _replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, deployment)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


# k8s.io/apimachinery/pkg/util/rand/rand.go: vowels and confusable characters removed
SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString: each byte b becomes SAFE_ALPHANUMS[b % 27].
    "123" -> bytes 49,50,51 -> indices 22,23,24 -> "567"."""
    return "".join(SAFE_ALPHANUMS[b % len(SAFE_ALPHANUMS)] for b in s.encode())


def fnv32a(data: bytes) -> int:
    """hash/fnv New32a."""
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: the pod-template-hash label value, as a v1.32 cluster computes it.

    kubernetes/kubernetes: pkg/controller/controller_utils.go ComputeHash: FNV-32a over
    hashutil.DeepHashObject(*template) -- go-spew's ``%#v`` printout of the Go v1.PodTemplateSpec
    (labsim/controllers/gospew.py) -- then, if collisionCount is set, an 8-byte buffer holding it
    as a little-endian uint32 in its first 4 bytes (``make([]byte, 8)`` + PutUint32: all 8 bytes
    are written); the uint32 sum in decimal through SafeEncodeString. ``kubectl create deployment
    nginx --image=nginx`` gives "5869d7778c", as real v1.32 clusters show.

    The template is a wire dict as stored (defaulted), never mutated. Its spew text is a few KB
    and pure-Python FNV costs ~0.2 us a byte, so the FNV state after the template is cached: by
    identity for the store's shared dicts, by canonical JSON for equal copies.
    """
    from labsim.controllers.gospew import template_fnv
    h = template_fnv(template)
    if collision_count is not None:
        for b in (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4):
            h ^= b
            h = (h * 0x01000193) & 0xFFFFFFFF
    return safe_encode_string(str(h))


# -- ReplicaSet bookkeeping of the Deployment controller ---------------------------------------------
# kubernetes/kubernetes v1.32: pkg/controller/deployment/util/deployment_util.go,
# pkg/controller/controller_utils.go (ReplicaSetsByCreationTimestamp, ReplicaSetsBySizeOlder/Newer,
# FilterActiveReplicaSets), pkg/util/labels/labels.go (CloneAndAddLabel, CloneSelectorAndAddLabel).

#: the RS annotation listing the revisions an RS had before it became the new RS again (rollbacks)
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
#: v1.LastAppliedConfigAnnotation: kubectl apply's record, never copied to ReplicaSets
LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
#: apps.DeprecatedRollbackTo: the extensions/v1beta1 rollbackTo, carried as an annotation
DEPRECATED_ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
#: sync.go maxRevHistoryLengthInChars: the revision-history annotation keeps at most ~2000 characters
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
#: math.MaxInt32: progressDeadlineSeconds / revisionHistoryLimit meaning "none"
MAX_INT32 = (1 << 31) - 1

# Condition reasons (deployment_util.go)
REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated"
FAILED_RS_CREATE_REASON = "ReplicaSetCreateError"
NEW_REPLICA_SET_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"

_ANNOTATIONS_TO_SKIP = frozenset({
    LAST_APPLIED_CONFIG_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO_ANNOTATION,
})

# strconv.ParseInt(s, 10, 64): optional sign and ASCII digits only
_PARSE_INT = re.compile(r"[+-]?[0-9]+\Z")


def skip_copy_annotation(key: str) -> bool:
    """skipCopyAnnotation: annotations that are never copied between a Deployment and its RSes."""
    return key in _ANNOTATIONS_TO_SKIP


def _parse_int64(value: str) -> int:
    if not isinstance(value, str) or not _PARSE_INT.match(value):
        raise ValueError(f'strconv.ParseInt: parsing "{value}": invalid syntax')
    n = int(value)
    if not -(1 << 63) <= n < (1 << 63):
        raise ValueError(f'strconv.ParseInt: parsing "{value}": value out of range')
    return n


def revision(obj: dict) -> int:
    """deploymentutil.Revision: the revision annotation as an int; 0 when absent.
    Raises ValueError for an unparsable value (callers skip such ReplicaSets)."""
    value = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    return _parse_int64(value)


def max_revision(replica_sets) -> int:
    """deploymentutil.MaxRevision: the highest parsable revision (0 if none)."""
    best = 0
    for rs in replica_sets:
        try:
            v = revision(rs)
        except ValueError:
            continue
        if v > best:
            best = v
    return best


def last_revision(replica_sets) -> int:
    """deploymentutil.LastRevision: the second-highest revision (the one before the current)."""
    best = second = 0
    for rs in replica_sets:
        try:
            v = revision(rs)
        except ValueError:
            continue
        if v >= best:
            second, best = best, v
        elif v > second:
            second = v
    return second


def copy_deployment_annotations_to_replica_set(deployment: dict, rs: dict) -> bool:
    """copyDeploymentAnnotationsToReplicaSet: copy the Deployment's annotations (except the skipped
    ones) onto ``rs`` (a private copy, changed in place); True if anything changed. Annotations
    removed from the Deployment stay on the RS, as upstream."""
    md = rs.setdefault("metadata", {})
    annotations = md.get("annotations")
    if annotations is None:
        annotations = md["annotations"] = {}
    changed = False
    for k, v in ((deployment.get("metadata") or {}).get("annotations") or {}).items():
        if skip_copy_annotation(k) or annotations.get(k) == v and k in annotations:
            continue
        annotations[k] = v
        changed = True
    return changed


def set_deployment_annotations_to(deployment: dict, rollback_to_rs: dict) -> None:
    """SetDeploymentAnnotationsTo: the Deployment keeps only its skipped annotations and takes the
    RS's others (used when rolling back to ``rollback_to_rs``). Changes ``deployment`` in place."""
    md = deployment.setdefault("metadata", {})
    kept = {k: v for k, v in (md.get("annotations") or {}).items() if skip_copy_annotation(k)}
    for k, v in ((rollback_to_rs.get("metadata") or {}).get("annotations") or {}).items():
        if not skip_copy_annotation(k):
            kept[k] = v
    md["annotations"] = kept


def set_replicas_annotations(rs: dict, desired: int, max_replicas: int) -> bool:
    """SetReplicasAnnotations: desired-replicas and max-replicas on ``rs`` (changed in place)."""
    md = rs.setdefault("metadata", {})
    annotations = md.get("annotations")
    if annotations is None:
        annotations = md["annotations"] = {}
    updated = False
    if annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired):
        annotations[DESIRED_REPLICAS_ANNOTATION] = str(desired)
        updated = True
    if annotations.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas):
        annotations[MAX_REPLICAS_ANNOTATION] = str(max_replicas)
        updated = True
    return updated


def replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    """ReplicasAnnotationsNeedUpdate."""
    annotations = (rs.get("metadata") or {}).get("annotations")
    if annotations is None:
        return True
    return (annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired)
            or annotations.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas))


def get_desired_replicas_annotation(rs: dict):
    """GetDesiredReplicasAnnotation: the int32 value, or None when absent or unparsable."""
    return _annotation_int(rs, DESIRED_REPLICAS_ANNOTATION)


def set_new_replica_set_annotations(deployment: dict, new_rs: dict, new_revision: str, exists: bool,
                                    rev_history_limit_in_chars: int = MAX_REV_HISTORY_LENGTH_IN_CHARS) -> bool:
    """SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to
    ``new_revision`` if it is higher (keeping the old one in revision-history: a rollback to this
    RS), and for an RS about to be created set desired-/max-replicas. ``new_rs`` is changed in
    place; returns whether any annotation changed.

    An RS at revision 2 becoming new again at revision 5 gets ``revision: "5"`` and
    ``revision-history: "2"``; again later at 7: ``revision-history: "2,5"``.
    """
    changed = copy_deployment_annotations_to_replica_set(deployment, new_rs)
    annotations = new_rs["metadata"]["annotations"]
    old_revision = annotations.get(REVISION_ANNOTATION)
    had_revision = old_revision is not None
    try:
        old_int = _parse_int64(old_revision if old_revision is not None else "")
    except ValueError:
        if old_revision:  # not an int: leave the RS alone
            return False
        old_int = 0
    try:
        new_int = _parse_int64(new_revision)
    except ValueError:
        return False
    if old_int < new_int:
        annotations[REVISION_ANNOTATION] = new_revision
        changed = True
    if had_revision and old_int < new_int:
        history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history.split(",")
        if len(old_revisions[0]) == 0:
            annotations[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > rev_history_limit_in_chars and start < len(old_revisions):
                total = total - len(old_revisions[start]) - 1
                start += 1
            if total <= rev_history_limit_in_chars:
                annotations[REVISION_HISTORY_ANNOTATION] = ",".join(old_revisions[start:] + [old_revision])
    if not exists:
        replicas = _replicas(deployment)
        if set_replicas_annotations(new_rs, replicas, replicas + max_surge(deployment)):
            changed = True
    return changed


def set_deployment_revision(deployment: dict, rev: str) -> bool:
    """SetDeploymentRevision: the Deployment's revision annotation (``deployment`` changed in place)."""
    md = deployment.setdefault("metadata", {})
    annotations = md.get("annotations")
    if annotations is None:
        annotations = md["annotations"] = {}
    if annotations.get(REVISION_ANNOTATION) != rev:
        annotations[REVISION_ANNOTATION] = rev
        return True
    return False


# -- ordering and filtering ------------------------------------------------------------------------

def _creation_key(rs: dict) -> tuple:
    # ReplicaSetsByCreationTimestamp: creationTimestamp (whole seconds), then name
    md = rs.get("metadata") or {}
    return (md.get("creationTimestamp") or "", md.get("name") or "")


def sort_by_creation_timestamp(replica_sets: list, reverse: bool = False) -> None:
    """sort.Sort(ReplicaSetsByCreationTimestamp(...)) in place (oldest first)."""
    replica_sets.sort(key=_creation_key, reverse=reverse)


def sort_by_size_older(replica_sets: list) -> None:
    """ReplicaSetsBySizeOlder: larger first; equal sizes oldest first (scaling down)."""
    replica_sets.sort(key=_creation_key)
    replica_sets.sort(key=lambda rs: -_replicas(rs))


def sort_by_size_newer(replica_sets: list) -> None:
    """ReplicaSetsBySizeNewer: larger first; equal sizes newest first (scaling up)."""
    replica_sets.sort(key=_creation_key, reverse=True)
    replica_sets.sort(key=lambda rs: -_replicas(rs))


def sort_by_revision(replica_sets: list) -> None:
    """ReplicaSetsByRevision: ascending revision; an unparsable revision compares by creation.
    (Upstream's Less falls back to creation order for a pair where either fails to parse; with
    parsable revisions everywhere, as the controller writes them, this is a plain sort.)"""
    from functools import cmp_to_key

    def cmp(a, b):
        ka, kb = _creation_key(a), _creation_key(b)
        by_creation = (ka > kb) - (ka < kb)
        try:
            ra, rb = revision(a), revision(b)
        except ValueError:
            return by_creation
        if ra == rb:
            return by_creation
        return -1 if ra < rb else 1

    replica_sets.sort(key=cmp_to_key(cmp))


def filter_active_replica_sets(replica_sets) -> list:
    """controller.FilterActiveReplicaSets: non-nil with spec.replicas > 0."""
    return [rs for rs in replica_sets if rs is not None and _replicas(rs) > 0]


def get_ready_replica_count_for_replica_sets(replica_sets) -> int:
    """Sum of status.readyReplicas."""
    return sum(int((rs.get("status") or {}).get("readyReplicas") or 0) for rs in replica_sets if rs is not None)


def find_active_or_latest(new_rs: dict | None, old_rss: list) -> dict | None:
    """FindActiveOrLatest: the only active RS, or the newest when none is active; None when several
    are active (then scaling is proportional). Sorts ``old_rss`` newest first, in place, as upstream."""
    if new_rs is None and not old_rss:
        return None
    sort_by_creation_timestamp(old_rss, reverse=True)
    active = filter_active_replica_sets(old_rss + [new_rs])
    if not active:
        return new_rs if new_rs is not None else old_rss[0]
    if len(active) == 1:
        return active[0]
    return None


def _without_hash_label(template: dict | None) -> dict:
    t = dict(template or {})
    md = dict(t.get("metadata") or {})
    labels = dict(md.get("labels") or {})
    labels.pop(DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, None)
    # apiequality.Semantic.DeepEqual treats a nil and an empty map alike
    if labels:
        md["labels"] = labels
    else:
        md.pop("labels", None)
    if md:
        t["metadata"] = md
    else:
        t.pop("metadata", None)
    return t


def equal_ignore_hash(template1: dict | None, template2: dict | None) -> bool:
    """EqualIgnoreHash: pod templates equal apart from the pod-template-hash label."""
    return _without_hash_label(template1) == _without_hash_label(template2)


def find_new_replica_set(deployment: dict, rs_list: list) -> dict | None:
    """FindNewReplicaSet: the oldest RS whose template equals the Deployment's (ignoring the hash
    label). Sorts ``rs_list`` by creation in place, as upstream does."""
    sort_by_creation_timestamp(rs_list)
    template = (deployment.get("spec") or {}).get("template")
    for rs in rs_list:
        if equal_ignore_hash((rs.get("spec") or {}).get("template"), template):
            return rs
    return None


def find_old_replica_sets(deployment: dict, rs_list: list) -> tuple[list, list]:
    """FindOldReplicaSets: (old RSes with replicas, all old RSes)."""
    new_rs = find_new_replica_set(deployment, rs_list)
    new_uid = new_rs["metadata"].get("uid") if new_rs is not None else None
    required, all_old = [], []
    for rs in rs_list:
        if new_rs is not None and rs["metadata"].get("uid") == new_uid:
            continue
        all_old.append(rs)
        if _replicas(rs) != 0:
            required.append(rs)
    return required, all_old


def clone_and_add_label(labels: dict | None, key: str, value: str) -> dict:
    """labelsutil.CloneAndAddLabel."""
    out = dict(labels or {})
    if key:
        out[key] = value
    return out


def clone_selector_and_add_label(selector: dict | None, key: str, value: str) -> dict:
    """labelsutil.CloneSelectorAndAddLabel: the selector with ``key=value`` in matchLabels."""
    selector = selector or {}
    if not key:
        return selector
    out: dict = {"matchLabels": {**(selector.get("matchLabels") or {}), key: value}}
    if selector.get("matchExpressions") is not None:
        out["matchExpressions"] = [
            {"key": e.get("key"), "operator": e.get("operator"),
             **({"values": list(e["values"])} if e.get("values") is not None else {})}
            for e in selector["matchExpressions"]]
    return out


def is_rolling_update(deployment: dict) -> bool:
    return _strategy(deployment).get("type") == "RollingUpdate"


# -- status and conditions -------------------------------------------------------------------------

def has_progress_deadline(deployment: dict) -> bool:
    """HasProgressDeadline: progressDeadlineSeconds set and not MaxInt32."""
    pds = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    return pds is not None and pds != MAX_INT32


def has_revision_history_limit(deployment: dict) -> bool:
    """HasRevisionHistoryLimit: revisionHistoryLimit set and not MaxInt32."""
    rhl = (deployment.get("spec") or {}).get("revisionHistoryLimit")
    return rhl is not None and rhl != MAX_INT32


def get_deployment_condition(status: dict | None, cond_type: str) -> dict | None:
    for c in (status or {}).get("conditions") or []:
        if c.get("type") == cond_type:
            return c
    return None


def new_deployment_condition(cond_type: str, status: str, reason: str, message: str, timestamp: str) -> dict:
    """NewDeploymentCondition: both times are now (``timestamp``, RFC 3339)."""
    return {"type": cond_type, "status": status, "lastUpdateTime": timestamp,
            "lastTransitionTime": timestamp, "reason": reason, "message": message}


def set_deployment_condition(status: dict, condition: dict) -> None:
    """SetDeploymentCondition: nothing changes when a condition of the type with the same status and
    reason exists; a same-status condition keeps its lastTransitionTime; the new one goes last."""
    current = get_deployment_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"] \
            and current.get("reason") == condition["reason"]:
        return
    if current is not None and current.get("status") == condition["status"]:
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != condition["type"]] \
        + [condition]


def remove_deployment_condition(status: dict, cond_type: str) -> None:
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != cond_type]


def replica_set_to_deployment_condition(cond: dict) -> dict:
    """ReplicaSetToDeploymentCondition: lastUpdateTime is the RS condition's lastTransitionTime."""
    return {"type": cond.get("type"), "status": cond.get("status"),
            "lastUpdateTime": cond.get("lastTransitionTime"), "lastTransitionTime": cond.get("lastTransitionTime"),
            "reason": cond.get("reason"), "message": cond.get("message")}


def _status_int(status: dict | None, key: str) -> int:
    return int((status or {}).get(key) or 0)


def deployment_complete(deployment: dict, status: dict | None) -> bool:
    """DeploymentComplete: all replicas updated and available, no old ones, generation observed."""
    replicas = _replicas(deployment)
    return (_status_int(status, "updatedReplicas") == replicas
            and _status_int(status, "replicas") == replicas
            and _status_int(status, "availableReplicas") == replicas
            and _status_int(status, "observedGeneration") >= int(deployment["metadata"].get("generation") or 0))


def deployment_progressing(deployment: dict, new_status: dict) -> bool:
    """DeploymentProgressing: more updated/ready/available replicas, or fewer old ones, than the
    Deployment's current status says."""
    old = deployment.get("status") or {}
    old_old = _status_int(old, "replicas") - _status_int(old, "updatedReplicas")
    new_old = _status_int(new_status, "replicas") - _status_int(new_status, "updatedReplicas")
    return (_status_int(new_status, "updatedReplicas") > _status_int(old, "updatedReplicas")
            or new_old < old_old
            or _status_int(new_status, "readyReplicas") > _status_int(old, "readyReplicas")
            or _status_int(new_status, "availableReplicas") > _status_int(old, "availableReplicas"))


def deployment_timed_out(deployment: dict, new_status: dict, now: float) -> bool:
    """DeploymentTimedOut: the Progressing condition's lastUpdateTime + progressDeadlineSeconds is
    strictly before now (a condition already ProgressDeadlineExceeded stays timed out; one saying
    NewReplicaSetAvailable never times out)."""
    from labsim.clock import parse_rfc3339

    if not has_progress_deadline(deployment):
        return False
    cond = get_deployment_condition(new_status, "Progressing")
    if cond is None:
        return False
    if cond.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if cond.get("reason") == TIMED_OUT_REASON:
        return True
    try:
        frm = parse_rfc3339(cond.get("lastUpdateTime") or "")
    except ValueError:
        frm = float("-inf")  # Go's zero time: long ago
    return frm + deployment["spec"]["progressDeadlineSeconds"] < now
