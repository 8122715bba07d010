"""Cases ported from kubernetes/kubernetes: pkg/controller/deployment/util/deployment_util_test.go."""
import re

import pytest
from hypothesis import given, strategies as st

from labsim.controllers.deployment_util import (
    IntOrStringError, compute_hash, fnv32a, get_proportion, get_replica_count_for_replica_sets,
    get_actual_replica_count_for_replica_sets, get_scaled_value_from_int_or_percent, is_saturated,
    max_surge, max_unavailable, new_rs_new_replicas, resolve_fenceposts, safe_encode_string,
    SAFE_ALPHANUMS,
)


# TestResolveFenceposts (upstream passes every value through intstr.FromString)
@pytest.mark.parametrize("surge,unavail,desired,want", [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    ("oops", "39%", 10, None),
    ("55%", "urg", 10, None),
    ("5", "1", 7, None),          # a string that is not a percentage is an error
    (None, "39%", 10, (0, 3)),
    ("39%", None, 10, (4, 0)),
    (None, None, 10, (0, 1)),
])
def test_resolve_fenceposts(surge, unavail, desired, want):
    if want is None:
        with pytest.raises(IntOrStringError):
            resolve_fenceposts(surge, unavail, desired)
    else:
        assert resolve_fenceposts(surge, unavail, desired) == want


def test_resolve_fenceposts_doc_examples():
    assert resolve_fenceposts(1, 1, 2) == (1, 1)
    assert resolve_fenceposts("25%", "25%", 8) == (2, 2)
    assert resolve_fenceposts("25%", "25%", 10) == (3, 2)
    assert resolve_fenceposts("0%", "1%", 2) == (0, 1)
    assert resolve_fenceposts(0, 0, 5) == (0, 1)


def test_scaled_value_errors():
    with pytest.raises(IntOrStringError, match="string is not a percentage"):
        get_scaled_value_from_int_or_percent("5", 10, True)
    with pytest.raises(IntOrStringError, match='invalid value "x%"'):
        get_scaled_value_from_int_or_percent("x%", 10, True)
    assert get_scaled_value_from_int_or_percent("33%", 10, True) == 4
    assert get_scaled_value_from_int_or_percent("33%", 10, False) == 3
    assert get_scaled_value_from_int_or_percent(7, 10, False) == 7


def _deployment(replicas, stype="RollingUpdate", surge=None, unavail=None):
    strategy = {"type": stype}
    if stype == "RollingUpdate":
        ru = {}
        if surge is not None:
            ru["maxSurge"] = surge
        if unavail is not None:
            ru["maxUnavailable"] = unavail
        strategy["rollingUpdate"] = ru
    return {"spec": {"replicas": replicas, "strategy": strategy}}


def _rs(replicas, available=0, annotations=None, status_replicas=0):
    return {"metadata": {"annotations": annotations or {}},
            "spec": {"replicas": replicas},
            "status": {"replicas": status_replicas, "availableReplicas": available}}


# TestNewRSNewReplicas: all RSs = [rs5] (5 replicas), maxUnavailable 1
@pytest.mark.parametrize("stype,dep_replicas,new_rs_replicas,surge,want", [
    ("RollingUpdate", 1, 5, 1, 5),   # can not scale up - to newRSReplicas
    ("RollingUpdate", 6, 2, 10, 6),  # scale up - to depReplicas
    ("Recreate", 3, 1, 1, 3),        # recreate - to depReplicas
])
def test_new_rs_new_replicas(stype, dep_replicas, new_rs_replicas, surge, want):
    d = {"spec": {"replicas": dep_replicas, "strategy": {
        "type": stype, "rollingUpdate": {"maxUnavailable": 1, "maxSurge": surge}}}}
    assert new_rs_new_replicas(d, [_rs(5)], _rs(new_rs_replicas)) == want


def test_new_rs_new_replicas_docstring_example():
    d = _deployment(10, surge="25%", unavail="25%")
    assert new_rs_new_replicas(d, [_rs(10), _rs(0)], _rs(0)) == 3
    assert new_rs_new_replicas(d, [_rs(10), _rs(3)], _rs(3)) == 3  # at 13 = max total: stays


def test_new_rs_new_replicas_unknown_strategy():
    with pytest.raises(ValueError, match="deployment type Blue isn't supported"):
        new_rs_new_replicas({"spec": {"replicas": 1, "strategy": {"type": "Blue"}}}, [], _rs(0))


# TestMaxUnavailable (maxSurge 1)
@pytest.mark.parametrize("replicas,unavail,want", [
    (10, 5, 5), (10, 10, 10), (5, 10, 5), (0, 10, 0),
    (10, "50%", 5), (10, "100%", 10), (5, "100%", 5),
])
def test_max_unavailable(replicas, unavail, want):
    assert max_unavailable(_deployment(replicas, surge=1, unavail=unavail)) == want


def test_max_unavailable_recreate():
    assert max_unavailable({"spec": {"strategy": {"type": "Recreate"}}}) == 0
    assert max_surge({"spec": {"replicas": 3, "strategy": {"type": "Recreate"}}}) == 0


def test_max_surge_defaults_25_percent():
    # apps/v1 defaulting gives 25%/25%; an absent rollingUpdate resolves the same way
    assert max_surge({"spec": {"replicas": 10, "strategy": {"type": "RollingUpdate"}}}) == 3
    assert max_unavailable({"spec": {"replicas": 10, "strategy": {"type": "RollingUpdate"}}}) == 2


# TestGetReplicaCountForReplicaSets
def test_replica_counts():
    rs1, rs2 = _rs(1, status_replicas=2), _rs(2, status_replicas=3)
    assert get_replica_count_for_replica_sets([rs1]) == 1
    assert get_actual_replica_count_for_replica_sets([rs1]) == 2
    assert get_replica_count_for_replica_sets([rs1, rs2]) == 3
    assert get_actual_replica_count_for_replica_sets([rs1, rs2]) == 5
    assert get_replica_count_for_replica_sets([None, rs2]) == 2


def test_is_saturated():
    d = _deployment(3, surge=1, unavail=0)
    ann = {"deployment.kubernetes.io/desired-replicas": "3"}
    assert is_saturated(d, _rs(3, available=3, annotations=ann))
    assert not is_saturated(d, _rs(3, available=2, annotations=ann))
    assert not is_saturated(d, _rs(3, available=3))
    assert not is_saturated(d, _rs(3, available=3, annotations={"deployment.kubernetes.io/desired-replicas": "x"}))
    assert not is_saturated(d, None)


def test_get_proportion():
    # Deployment scaled 10 -> 15 with maxSurge 3 (max total 18); RS annotated at max 13
    d = _deployment(15, surge=3, unavail=0)
    rs = _rs(5, annotations={"deployment.kubernetes.io/max-replicas": "13"})
    assert get_proportion(rs, d, 5, 0) == 2       # round(5*18/13)-5 = 2
    assert get_proportion(rs, d, 5, 4) == 1       # only 1 left to add
    assert get_proportion(rs, d, 5, 5) == 0
    assert get_proportion(_rs(0), d, 5, 0) == 0
    # scaling down: 10 -> 5 (max total 8), RS of 5 annotated at 13: round(40/13)-5 = -2
    d_down = _deployment(5, surge=3, unavail=0)
    assert get_proportion(rs, d_down, -5, 0) == -2
    assert get_proportion(rs, d_down, -5, -4) == -1
    # to zero replicas: the whole RS goes
    assert get_proportion(rs, _deployment(0, surge=3, unavail=0), -10, 0) == -5


def test_safe_encode_string():
    assert safe_encode_string("123") == "567"
    assert safe_encode_string("0") == "4"  # "0" = 48, 48 % 27 = 21 -> "4"


def test_fnv32a_known_vectors():
    # Standard FNV-1a 32-bit test vectors
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968


def test_compute_hash_alphabet_length_and_collision_count():
    t = {"metadata": {"labels": {"app": "web"}},
         "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}
    h = compute_hash(t)
    assert re.fullmatch(f"[{SAFE_ALPHANUMS}]{{1,10}}", h)
    assert compute_hash(t) == h
    assert compute_hash(dict(reversed(list(t.items())))) == h  # key order does not matter
    assert compute_hash(t, 1) != h
    assert compute_hash(t, 1) != compute_hash(t, 2)
    assert compute_hash(t, 0) != h  # a set collisionCount of 0 still feeds 4 bytes
    t2 = {"metadata": {"labels": {"app": "web"}},
          "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
    assert compute_hash(t2) != h


@given(st.integers(0, 100), st.integers(0, 100), st.integers(0, 1000))
def test_resolve_fenceposts_percent_properties(surge_pct, unavail_pct, desired):
    surge, unavail = resolve_fenceposts(f"{surge_pct}%", f"{unavail_pct}%", desired)
    # surge rounds up, unavailable rounds down (exact integer arithmetic as the reference)
    assert surge == -(-surge_pct * desired // 100)
    if surge == 0 and unavail_pct * desired // 100 == 0:
        assert unavail == 1
    else:
        assert unavail == unavail_pct * desired // 100
    assert surge + unavail >= 1
