"""Seed 002 L697-962 replayed (scripts/seed002_deployments.sh): the nginx-deploy Deployment, its
ReplicaSets and pods, scaling, a rolling update of 4 replicas, history, undo to revision 1, and a
paused update resumed onto a broken image, on one timeline whose AGE column matches the seed's.

What the seed's cluster printed and v1.32 prints differently (v1.32 wins):
- the ReplicaSet hashes: a v1.32 pod template has other fields than a v1.23 one, so the hash of
  the same manifest differs (`64b476c78b` in the seed); the test reads the names from the cluster
  and checks their shape instead (workload-controllers.md §2.2);
- `Scaled up replica set x to 1` -> `Scaled up replica set x from 0 to 1` (§2.7), and the seed's
  describe listed events aggregated over earlier sessions (`(x2 over 25m)`); here each scaling
  of this timeline is one event, in the order of §2.6;
- `rollout history --revision` prints the template as v1.32's DescribePodTemplate does, with the
  `Node-Selectors` and `Tolerations` lines v1.23 did not have; its separators are tabs (the seed's
  terminal expanded them).
Tables are compared with `assert_table`: names, counts, states and order exactly, ages within 2 s.
"""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scenario_replay import assert_table, events, replay  # noqa: E402

NGINX = "docker.io/library/nginx:latest"
SEEDS = (0, 7)
#: SafeEncodeString of a decimal uint32: 8-10 characters from the digits' images
HASH = re.compile(r"^[4-9bcdf]{8,10}$")


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def r(tmp_path_factory, request):
    # the seed's nodes already held nginx:latest; nginx:1.28 is pulled during the update
    return replay("seed002_deployments.sh", tmp_path_factory.mktemp("deploy"), images=[NGINX], seed=request.param)


def rs_names(r):
    """The ReplicaSets by revision: {1: name, 2: name, 4: name} (revision 3 reuses revision 1's)."""
    rt = r.cluster.registry.resolve("replicasets")
    by_image = {}
    for rs in r.cluster.store.list(rt, "default"):
        image = rs["spec"]["template"]["spec"]["containers"][0]["image"]
        by_image[image] = rs["metadata"]["name"]
    return {"v1": by_image[NGINX], "v2": by_image["docker.io/library/nginx:1.28"], "v4": by_image["1.9.1"]}


def test_replica_set_and_pod_names_derive_from_the_template(r):
    names = rs_names(r)
    for name in names.values():
        prefix, h = name.rsplit("-", 1)
        assert prefix == "nginx-deploy" and HASH.match(h), name
    assert len(set(names.values())) == 3
    pod = r.find("kubectl get pod").output.splitlines()[1].split()[0]
    assert re.fullmatch(re.escape(names["v1"]) + r"-[bcdfghjklmnpqrstvwxz2456789]{5}", pod), pod


def test_create_and_list(r):
    v1 = rs_names(r)["v1"]
    assert r.find("kubectl create deployment nginx-deploy --image=docker.io/library/nginx:latest").output == \
        "deployment.apps/nginx-deploy created\n"
    assert_table(r.find("kubectl get deploy").output, """\
NAME           READY   UP-TO-DATE   AVAILABLE   AGE
nginx-deploy   1/1     1            1           11s
""")
    assert_table(r.find("kubectl get replicaset").output, f"""\
NAME                      DESIRED   CURRENT   READY   AGE
{v1}   1         1         1       37s
""")
    out = r.find("kubectl get pod").output
    pod = out.splitlines()[1].split()[0]
    assert_table(out, f"""\
NAME                            READY   STATUS    RESTARTS   AGE
{pod}   1/1     Running   0          41s
""")
    h = v1.rsplit("-", 1)[1]
    assert_table(r.find("kubectl get pod,rs,deploy --show-labels").output, f"""\
NAME                                READY   STATUS    RESTARTS   AGE   LABELS
pod/{pod}   1/1     Running   0          25m   app=nginx-deploy,pod-template-hash={h}

NAME                                      DESIRED   CURRENT   READY   AGE   LABELS
replicaset.apps/{v1}   1         1         1       25m   app=nginx-deploy,pod-template-hash={h}

NAME                           READY   UP-TO-DATE   AVAILABLE   AGE   LABELS
deployment.apps/nginx-deploy   1/1     1            1           25m   app=nginx-deploy
""")


def test_scaling_keeps_the_replica_set(r):
    v1 = rs_names(r)["v1"]
    assert r.find("kubectl scale deployment nginx-deploy --replicas=4").output == "deployment.apps/nginx-deploy scaled\n"
    status = r.find("kubectl rollout status deploy nginx-deploy").output.splitlines()
    # seed L790-792: one line per change of the Deployment's status as the watch sees it; the new
    # pods start one sandbox delay apart, so "1 of 4" may come first, then 2 and 3 of 4
    assert status[-1] == 'deployment "nginx-deploy" successfully rolled out'
    assert 'Waiting for deployment "nginx-deploy" rollout to finish: 3 of 4 updated replicas are available...' in status
    assert all(re.fullmatch(r'Waiting for deployment "nginx-deploy" rollout to finish: [123] of 4 updated replicas '
                            r'are available\.\.\.', line) for line in status[:-1]), status
    assert_table(r.find("kubectl get rs", 0).output, f"""\
NAME                      DESIRED   CURRENT   READY   AGE
{v1}   4         4         4       69m
""")


def test_rolling_update_of_four_replicas(r):
    names = rs_names(r)
    v1, v2 = names["v1"], names["v2"]
    assert r.find("kubectl set image deployment/nginx-deploy nginx=docker.io/library/nginx:1.28").output == \
        "deployment.apps/nginx-deploy image updated\n"
    # seed L800-803: 4 s in, nginx:1.28 is still being pulled: surge 1, unavailable 1
    rows = sorted(r.find("kubectl get rs", 1).output.splitlines()[1:], key=lambda l: l != v1 and l.split()[0] != v1)
    assert_table("\n".join(["NAME DESIRED CURRENT READY AGE"] + rows), f"""\
NAME DESIRED CURRENT READY AGE
{v1}   3         3         3       76m
{v2}   2         2         0       4s
""")
    rows = sorted(r.find("kubectl get rs", 2).output.splitlines()[1:], key=lambda l: l.split()[0] != v1)
    assert_table("\n".join(["NAME DESIRED CURRENT READY AGE"] + rows), f"""\
NAME DESIRED CURRENT READY AGE
{v1}   0         0         0       79m
{v2}   4         4         4       2m41s
""")


def test_rolling_update_events_follow_the_arithmetic(r):
    """workload-controllers.md §2.6: the v1.32 ScalingReplicaSet sequence of a 4-replica update with
    25%/25% (surge 1, unavailable 1), pods becoming available one at a time."""
    names = rs_names(r)
    v1, v2 = names["v1"], names["v2"]
    ev = events(r.find("kubectl describe deploy nginx-deploy").output)
    messages = [re.split(r"\s{2,}", line.strip())[-1] for line in ev.splitlines()[2:]]
    assert messages == [
        # the scale to 4 (10 minutes earlier); the creation's "from 0 to 1" is older than the
        # 1 h event TTL and is gone
        f"Scaled up replica set {v1} from 1 to 4",
        f"Scaled up replica set {v2} from 0 to 1",
        f"Scaled down replica set {v1} from 4 to 3",
        f"Scaled up replica set {v2} from 1 to 2",
        f"Scaled down replica set {v1} from 3 to 2",
        f"Scaled up replica set {v2} from 2 to 3",
        f"Scaled down replica set {v1} from 2 to 1",
        f"Scaled up replica set {v2} from 3 to 4",
        f"Scaled down replica set {v1} from 1 to 0",
    ]
    assert all(line.split()[:2] == ["Normal", "ScalingReplicaSet"] and "deployment-controller" in line
               for line in ev.splitlines()[2:])


def test_history_and_revisions(r):
    names = rs_names(r)
    assert r.find("kubectl rollout history deploy nginx-deploy").output == (
        "deployment.apps/nginx-deploy \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    for rev, name, image in ((1, names["v1"], NGINX), (2, names["v2"], "docker.io/library/nginx:1.28")):
        h = name.rsplit("-", 1)[1]
        assert r.find(f"kubectl rollout history deploy nginx-deploy --revision={rev}").output == (
            f"deployment.apps/nginx-deploy with revision #{rev}\n"
            "Pod Template:\n"
            f"  Labels:\tapp=nginx-deploy\n\tpod-template-hash={h}\n"
            "  Containers:\n   nginx:\n"
            f"    Image:\t{image}\n"
            "    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n"
            "  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n")


def test_undo_turns_revision_1_into_3(r):
    names = rs_names(r)
    assert r.find("kubectl rollout undo deployment nginx-deploy --to-revision=1").output == \
        "deployment.apps/nginx-deploy rolled back\n"
    rows = sorted(r.find("kubectl get rs", 3).output.splitlines()[1:], key=lambda l: l.split()[0] != names["v1"])
    assert_table("\n".join(["NAME DESIRED CURRENT READY AGE"] + rows), f"""\
NAME DESIRED CURRENT READY AGE
{names["v1"]}   4         4         4       121m
{names["v2"]}   0         0         0       44m
""")
    assert r.find("kubectl rollout history deployment nginx-deploy").output == (
        "deployment.apps/nginx-deploy \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    rs = r.cluster.store.get(r.cluster.registry.resolve("replicasets"), "default", names["v1"])
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"


def test_pause_holds_the_template_change_until_resume(r):
    names = rs_names(r)
    assert r.find("kubectl rollout pause deploy nginx-deploy").output == "deployment.apps/nginx-deploy paused\n"
    assert r.find("kubectl set image deployment/nginx-deploy nginx=1.9.1").output == \
        "deployment.apps/nginx-deploy image updated\n"
    rows = sorted(r.find("kubectl get rs", 4).output.splitlines()[1:], key=lambda l: l.split()[0] != names["v1"])
    assert_table("\n".join(["NAME DESIRED CURRENT READY AGE"] + rows), f"""\
NAME DESIRED CURRENT READY AGE
{names["v1"]}   4         4         4       150m
{names["v2"]}   0         0         0       74m
""")
    assert r.find("kubectl rollout resume deployment nginx-deploy").output == "deployment.apps/nginx-deploy resumed\n"
    order = [names["v1"], names["v2"], names["v4"]]
    rows = sorted(r.find("kubectl get rs", 5).output.splitlines()[1:], key=lambda l: order.index(l.split()[0]))
    # seed L950-954: the image `1.9.1` cannot be pulled, so the two surge/unavailable pods never get Ready
    assert_table("\n".join(["NAME DESIRED CURRENT READY AGE"] + rows), f"""\
NAME DESIRED CURRENT READY AGE
{names["v1"]}   3         3         3       153m
{names["v2"]}   0         0         0       76m
{names["v4"]}   2         2         0       7s
""")
    # the annotation with the seed's key (kubectl.kubernetes.io/...) is not kubernetes.io/change-cause
    assert r.find("kubectl rollout history deployment nginx-deploy", 1).output == (
        "deployment.apps/nginx-deploy \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n"
        "4         <none>\n\n")
