"""Pure rules of the Deployment controller: rolling-update arithmetic and the pod-template hash.

Everything here works on wire-format dicts (never mutated) and returns plain values; the
controller that drives ReplicaSets calls these. Ported from
kubernetes/kubernetes: pkg/controller/deployment/util/deployment_util.go and
k8s.io/apimachinery/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent).
"""
from __future__ import annotations

import json
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
    """controller.ComputeHash: the pod-template-hash label value.

    Upstream: FNV-32a over hashutil.DeepHashObject(template) (go-spew's printout of the Go
    PodTemplateSpec struct), then, if collisionCount is set, its 4 little-endian bytes; the
    uint32 sum is printed in decimal (up to 10 digits) and passed through SafeEncodeString, so
    the label is 1-10 characters of SAFE_ALPHANUMS (real clusters show e.g. "7c5ddbdf54").

    Difference (documented): the spew printout of the Go struct (field order, zero-valued fields,
    pointer dereferences) cannot be reproduced from a wire dict, so we hash a canonical JSON of
    the template (sorted keys, compact separators) instead. Hash *values* therefore differ from a
    real cluster's; the alphabet, length, determinism, and collision-count behaviour are the same.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    if collision_count is not None:
        for b in (collision_count & 0xFFFFFFFF).to_bytes(4, "little"):
            h ^= b
            h = (h * 0x01000193) & 0xFFFFFFFF
    return safe_encode_string(str(h))
