"""Random sequences of scale, pod deletion, label removal (release) and label restoration
(adoption) applied with kubectl to a ReplicaSet (workload-controllers.md §1): after every step of
simulated time, once the controller has reacted,

- every pod the ReplicaSet controls matches its selector, and no live pod that matches it is left
  without a controller (orphans are adopted, strays are released);
- the ReplicaSet never controls more live pods than ``spec.replicas``;
- ``status.replicas`` counts the live pods it controls;

and after the sequence it converges: ``replicas`` live pods, all Ready, status up to date."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labsim import Cluster
from labsim.api.labels import parse as parse_selector

RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web, tier: front}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

op = st.one_of(
    st.tuples(st.just("scale"), st.integers(0, 5)),
    st.tuples(st.just("delete-pod"), st.integers(0, 9)),
    st.tuples(st.just("release"), st.integers(0, 9)),
    st.tuples(st.just("adopt"), st.integers(0, 9)),
    st.tuples(st.just("wait"), st.floats(0.5, 20)),
)


def _live(c):
    return [p for p in c.store.list(c.registry.resolve("pods"), "default")
            if not p["metadata"].get("deletionTimestamp")
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def _controller(pod):
    refs = [o for o in pod["metadata"].get("ownerReferences") or [] if o.get("controller")]
    return refs[0]["uid"] if refs else None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(0, 5), ops=st.lists(op, min_size=1, max_size=12), seed=st.integers(0, 3))
def test_replica_set_invariants(replicas, ops, seed):
    c = Cluster(seed=seed)
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27")
    assert c.kubectl("apply -f -", stdin=RS.format(replicas=replicas)).exit_code == 0
    c.advance(10)
    rs_rt = c.registry.resolve("replicasets")
    selector = parse_selector("app=web")
    for o in ops:
        kind = o[0]
        pods = sorted(p["metadata"]["name"] for p in _live(c))
        if kind == "scale":
            c.kubectl(f"scale rs web --replicas={o[1]}")
        elif kind == "delete-pod" and pods:
            c.kubectl(f"delete pod {pods[o[1] % len(pods)]} --wait=false")
        elif kind == "release" and pods:
            c.kubectl(f"label pod {pods[o[1] % len(pods)]} app-")
        elif kind == "adopt":
            strays = sorted(p["metadata"]["name"] for p in _live(c) if "app" not in p["metadata"].get("labels", {}))
            if strays:
                c.kubectl(f"label pod {strays[o[1] % len(strays)]} app=web")
        c.advance(o[1] if kind == "wait" else 0.5)
        rs = c.store.get(rs_rt, "default", "web")
        uid = rs["metadata"]["uid"]
        owned = []
        for p in _live(c):
            labels = p["metadata"].get("labels") or {}
            if _controller(p) == uid:
                assert selector.matches(labels), p["metadata"]["name"]
                owned.append(p)
            else:
                assert not selector.matches(labels), f'{p["metadata"]["name"]} matches but is not adopted'
        assert len(owned) <= rs["spec"]["replicas"], (len(owned), rs["spec"]["replicas"], o)
        assert (rs.get("status") or {}).get("replicas", 0) == len(owned)
    c.advance(60)
    rs = c.store.get(rs_rt, "default", "web")
    owned = [p for p in _live(c) if _controller(p) == rs["metadata"]["uid"]]
    want = rs["spec"]["replicas"]
    assert len(owned) == want
    assert all(any(cond["type"] == "Ready" and cond["status"] == "True" for cond in p["status"]["conditions"])
               for p in owned)
    status = rs["status"]
    assert (status.get("replicas", 0), status.get("readyReplicas", 0), status.get("availableReplicas", 0)) == \
        (want, want, want)
    assert status["observedGeneration"] == rs["metadata"]["generation"]
