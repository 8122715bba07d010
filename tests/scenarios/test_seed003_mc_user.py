"""Seed 003: the mc-user ReplicaSet's self-healing (L36-73), the same app as a Deployment with
`minReadySeconds: 10` whose image change rolls v1 and v2 side by side (L74-180) and is undone
(L183-187), and a ConfigMap shared through `envFrom` whose update reaches only new pods (L188-264).

`rainbow/mc-user` cannot be pulled, so nginx stands in (course outline A.2: 1.0.RELEASE -> 1.27,
1.1.RELEASE -> 1.28). The seed's own manifests are broken in two ways a v1.32 API server rejects:
`extensions/v1beta1` (removed) without a selector, and an unquoted `123456` in the ConfigMap; the
test checks both rejections, then uses the repaired manifests. The seed prints no output; the
assertions are what a v1.32 cluster answers (workload-controllers.md §1, §2)."""
import pytest

from labsim import Cluster
from labsim.presets import preload_images

RS_SEED = """\
apiVersion: extensions/v1beta1
kind: ReplicaSet
metadata:
  name: mc-user
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: mc-user
    spec:
      containers:
        - name: mc-user
          image: nginx:1.27
"""
RS = RS_SEED.replace("extensions/v1beta1", "apps/v1").replace(
    "  replicas: 3\n", "  replicas: 3\n  selector:\n    matchLabels:\n      app: mc-user\n")
CONFIGMAP_SEED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: mc-user-config
data:
  DATASOURCE_URL: jdbc:mysql://mysql/mc-user
  DATASOURCE_USERNAME: root
  DATASOURCE_PASSWORD: 123456
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mc-user
spec:
  selector:
    matchLabels:
      app: mc-user
  minReadySeconds: 10
  replicas: 3
  template:
    metadata:
      labels:
        app: mc-user
    spec:
      containers:
        - name: mc-user
          image: nginx:1.27
          envFrom:
            - configMapRef:
                name: mc-user-config
"""


@pytest.fixture(params=(0, 7), ids=lambda s: f"seed{s}")
def c(request):
    cluster = Cluster(seed=request.param)
    preload_images(cluster, ["nginx:1.27", "nginx:1.28"])
    return cluster


def rs_counts(c) -> dict[str, tuple[int, int]]:
    """image -> (spec.replicas, readyReplicas) of each ReplicaSet."""
    out = {}
    for rs in c.store.list(c.registry.resolve("replicasets"), "default"):
        image = rs["spec"]["template"]["spec"]["containers"][0]["image"]
        out[image] = (rs["spec"]["replicas"], (rs.get("status") or {}).get("readyReplicas", 0))
    return out


def pod_names(c) -> list[str]:
    return [p["metadata"]["name"] for p in c.store.list(c.registry.resolve("pods"), "default")
            if not p["metadata"].get("deletionTimestamp")]


def test_replica_set_self_heals(c):
    r = c.kubectl("apply -f -", stdin=RS_SEED)
    assert r.exit_code == 1 and r.stderr == (
        'error: resource mapping not found for name: "mc-user" namespace: "" from "STDIN": no matches for kind '
        '"ReplicaSet" in version "extensions/v1beta1"\nensure CRDs are installed first\n')
    assert c.kubectl("apply -f -", stdin=RS).stdout == "replicaset.apps/mc-user created\n"
    c.advance(20)
    before = pod_names(c)
    assert len(before) == 3
    assert c.kubectl(f"delete po {before[0]} --wait=false").stdout == f'pod "{before[0]}" deleted\n'
    c.advance(20)
    after = pod_names(c)
    assert len(after) == 3 and before[0] not in after and set(before[1:]) <= set(after)
    assert c.kubectl("get rs mc-user").stdout.splitlines()[1].split()[1:4] == ["3", "3", "3"]


def test_rolling_update_with_min_ready_seconds_and_undo(c):
    c.kubectl("apply -f -", stdin=CONFIGMAP_SEED.replace("123456", '"123456"'))
    assert c.kubectl("apply -f -", stdin=DEPLOYMENT).stdout == "deployment.apps/mc-user created\n"
    c.advance(30)
    assert rs_counts(c) == {"nginx:1.27": (3, 3)}
    assert c.kubectl("apply -f -", stdin=DEPLOYMENT.replace("nginx:1.27", "nginx:1.28")).stdout == \
        "deployment.apps/mc-user configured\n"
    # maxSurge 25% of 3 -> 1, maxUnavailable 25% of 3 -> 0: one new pod at a time, and an old one
    # goes only when the new one has been Ready for minReadySeconds (10 s)
    seen = []
    for _ in range(30):
        c.advance(2)
        counts = rs_counts(c)
        old, new = counts["nginx:1.27"], counts.get("nginx:1.28", (0, 0))
        if not seen or seen[-1] != (old[0], new[0]):
            seen.append((old[0], new[0]))
        assert old[0] + new[0] <= 4  # replicas + maxSurge
        assert old[1] + new[1] >= 3  # replicas - maxUnavailable, and Ready precedes available
    assert seen == [(3, 1), (2, 2), (1, 3), (0, 3)]
    assert c.kubectl("rollout undo deployment/mc-user").stdout == "deployment.apps/mc-user rolled back\n"
    c.advance(60)
    assert rs_counts(c) == {"nginx:1.27": (3, 3), "nginx:1.28": (0, 0)}


def test_configmap_changes_reach_only_new_pods(c):
    r = c.kubectl("apply -f -", stdin=CONFIGMAP_SEED)
    assert r.exit_code == 1 and r.stderr == (
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled '
        'as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string\n')
    c.kubectl("apply -f -", stdin=CONFIGMAP_SEED.replace("123456", '"123456"'))
    c.kubectl("apply -f -", stdin=DEPLOYMENT)
    c.advance(30)
    pod = pod_names(c)[0]
    assert c.kubectl(f"exec {pod} -- printenv DATASOURCE_PASSWORD").stdout == "123456\n"
    assert c.kubectl("apply -f -", stdin=CONFIGMAP_SEED.replace("123456", '"654321"')).stdout == \
        "configmap/mc-user-config configured\n"
    c.advance(60)
    assert c.kubectl(f"exec {pod} -- printenv DATASOURCE_PASSWORD").stdout == "123456\n"
    # the seed's remedy: delete the pod, the ReplicaSet's replacement reads the ConfigMap anew
    c.kubectl(f"delete pod {pod}")
    c.advance(5)
    fresh = [p for p in pod_names(c) if p != pod]
    assert len(fresh) == 3
    values = {p: c.kubectl(f"exec {p} -- printenv DATASOURCE_PASSWORD").stdout for p in fresh}
    assert sorted(values.values()) == ["123456\n", "123456\n", "654321\n"]
