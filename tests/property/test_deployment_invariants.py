"""Random sequences of scale, set image, pause, resume, undo, pod deletion and waiting, applied
with kubectl to a Deployment (workload-controllers.md §2): the controllers never break the
rolling-update promises and always converge.

- live pods (owned by the Deployment's ReplicaSets, not terminating) never exceed
  ``replicas + maxSurge`` of the spec the controller has observed;
- once a rollout starts from a stable state (all replicas available), available pods never fall
  below ``replicas - maxUnavailable`` while only template changes, pause/resume and undo happen
  (scaling and pod deletion are the user's own cuts, so they end that guarantee until stable again);
- after the sequence, resumed and given a good image, the Deployment completes its rollout:
  ``replicas`` pods, all Ready, all from the new ReplicaSet, old ReplicaSets at 0.

Invariants are checked after every step of simulated time (steps of 0.5-5 s), when every reaction
due at that instant has run."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labsim import Cluster
from labsim.controllers.deployment_util import resolve_fenceposts
from labsim.controllers.replicaset_util import is_pod_available

IMAGES = ["nginx:1.27", "nginx:1.28", "nginx:latest", "nginx:no-such-tag"]

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  strategy:
    rollingUpdate: {{maxSurge: {surge}, maxUnavailable: {unavailable}}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: {{path: /, port: 80}}
          periodSeconds: 2
"""

op = st.one_of(
    st.tuples(st.just("scale"), st.integers(0, 6)),
    st.tuples(st.just("image"), st.sampled_from(IMAGES)),
    st.just(("pause",)), st.just(("resume",)), st.just(("undo",)),
    st.tuples(st.just("delete-pod"), st.integers(0, 9)),
    st.tuples(st.just("wait"), st.floats(0.5, 30)),
)
budget = st.one_of(st.integers(0, 3), st.sampled_from(["0%", "25%", "50%", "100%"]))


def _state(c: Cluster):
    deploy = c.store.get(c.registry.resolve("deployments"), "default", "web")
    uid = deploy["metadata"]["uid"]
    rss = [rs for rs in c.store.list(c.registry.resolve("replicasets"), "default")
           if any(o.get("uid") == uid and o.get("controller") for o in rs["metadata"].get("ownerReferences") or [])]
    rs_uids = {rs["metadata"]["uid"] for rs in rss}
    pods = [p for p in c.store.list(c.registry.resolve("pods"), "default")
            if any(o.get("uid") in rs_uids and o.get("controller") for o in p["metadata"].get("ownerReferences") or [])]
    return deploy, rss, pods


def _live(pods):
    return [p for p in pods if not p["metadata"].get("deletionTimestamp")
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def _bounds(deploy):
    spec = deploy["spec"]
    ru = spec["strategy"].get("rollingUpdate") or {}
    surge, unavail = resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), spec["replicas"])
    return spec["replicas"], surge, unavail


def _stable(c: Cluster) -> bool:
    deploy, rss, pods = _state(c)
    st_ = deploy.get("status") or {}
    replicas = deploy["spec"]["replicas"]
    return (not deploy["spec"].get("paused")
            and deploy["metadata"]["generation"] == st_.get("observedGeneration")
            and st_.get("updatedReplicas", 0) == replicas == st_.get("availableReplicas", 0)
            and st_.get("replicas", 0) == replicas and len(_live(pods)) == replicas)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(1, 6), surge=budget, unavailable=budget, ops=st.lists(op, min_size=1, max_size=10),
       seed=st.integers(0, 3))
def test_rolling_update_invariants(replicas, surge, unavailable, ops, seed):
    c = Cluster(seed=seed, nodes=2)
    for k in c.kubelets.values():
        k.images.preload("nginx:1.27", "nginx:1.28", "nginx:latest")
    manifest = MANIFEST.format(replicas=replicas, surge=surge, unavailable=unavailable)
    r = c.kubectl("apply -f -", stdin=manifest)
    if r.exit_code != 0:
        # both budgets 0: the API server refuses it, as a real one does
        assert "may not be 0 when `maxSurge` is 0" in r.stderr, r.stderr
        return
    c.advance(30)
    assert _stable(c)
    guarded = True  # a rollout from a stable state, no user cut since: availability is promised
    pod_names = lambda: sorted(p["metadata"]["name"] for p in _live(_state(c)[2]))  # noqa: E731

    for o in ops:
        kind = o[0]
        if kind == "scale":
            c.kubectl(f"scale deployment web --replicas={o[1]}")
            guarded = False
        elif kind == "image":
            c.kubectl(f"set image deployment/web nginx={o[1]}")
        elif kind == "pause":
            c.kubectl("rollout pause deployment web")
        elif kind == "resume":
            c.kubectl("rollout resume deployment web")
        elif kind == "undo":
            c.kubectl("rollout undo deployment web")
        elif kind == "delete-pod":
            names = pod_names()
            if names:
                c.kubectl(f"delete pod {names[o[1] % len(names)]} --wait=false")
                guarded = False
        waited = 0.0
        wait = o[1] if kind == "wait" else 1.0
        while waited < wait:
            step = min(2.0, wait - waited)
            c.advance(step)
            waited += step
            deploy, rss, pods = _state(c)
            if deploy["metadata"]["generation"] != (deploy.get("status") or {}).get("observedGeneration"):
                continue
            replicas_now, surge_now, unavail_now = _bounds(deploy)
            live = _live(pods)
            assert len(live) <= replicas_now + surge_now, (len(live), replicas_now, surge_now, o)
            if guarded and not deploy["spec"].get("paused"):
                available = sum(1 for p in live if is_pod_available(p, deploy["spec"].get("minReadySeconds", 0), c.now))
                assert available >= replicas_now - unavail_now, (available, replicas_now, unavail_now, o)
        if not guarded and _stable(c):
            guarded = True

    # convergence: resumed, a good image, enough time
    c.kubectl("rollout resume deployment web")
    c.kubectl("set image deployment/web nginx=nginx:1.28")
    for _ in range(60):
        c.advance(10)
        if _stable(c):
            break
    deploy, rss, pods = _state(c)
    assert _stable(c), (deploy.get("status"), [(rs["metadata"]["name"], rs["spec"]["replicas"]) for rs in rss])
    new_hash = None
    for p in _live(pods):
        assert p["spec"]["containers"][0]["image"] == "nginx:1.28"
        h = p["metadata"]["labels"]["pod-template-hash"]
        assert new_hash in (None, h)
        new_hash = h
    for rs in rss:
        if rs["metadata"]["labels"]["pod-template-hash"] != new_hash:
            assert rs["spec"]["replicas"] == 0
