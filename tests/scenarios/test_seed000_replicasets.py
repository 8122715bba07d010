"""Seed 000 L107-178: the go-demo-2 ReplicaSet (its manifest with the seed's typos repaired:
`sepc:`, `service:go-demo-2`, flattened indentation), self-healing after a pod deletion, a pod
released by removing a selected label, deletion with `--cascade=false` (orphans) and re-adoption
by a new ReplicaSet, then `--cascade=true`.

The seed prints the commands but no output; the assertions are what a v1.32 cluster answers
(workload-controllers.md §1, §6). The seed's `POD_NAME=$(kubectl get pods -o name | tail -1)` is
the last pod of `get pods -o name`, read here from the cluster; its typo `$POD_NAM` (an empty
`kubectl delete`) is exercise material for chapter 03."""
import json

import pytest

from labsim import Cluster
from labsim.presets import preload_images

GO_DEMO_2_RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: go-demo-2
spec:
  replicas: 2
  selector:
    matchLabels:
      type: backend
      service: go-demo-2
  template:
    metadata:
      labels:
        type: backend
        service: go-demo-2
        db: mongo
        language: go
    spec:
      containers:
      - name: db
        image: mongo:3.3
      - name: api
        image: vfarcic/go-demo-2
        env:
        - name: DB
          value: localhost
        livenessProbe:
          httpGet:
            path: /demo/hello
            port: 8080
"""


@pytest.fixture(params=(0, 7), ids=lambda s: f"seed{s}")
def c(request, tmp_path):
    cluster = Cluster(seed=request.param, workdir=str(tmp_path))
    preload_images(cluster, ["mongo:3.3", "vfarcic/go-demo-2"])
    (tmp_path / "go-demo-2.yml").write_text(GO_DEMO_2_RS)
    assert cluster.kubectl("create -f go-demo-2.yml").stdout == "replicaset.apps/go-demo-2 created\n"
    cluster.advance(30)
    return cluster


def pods(c) -> dict[str, dict]:
    return {p["metadata"]["name"]: p for p in c.store.list(c.registry.resolve("pods"), "default")}


def controller_uid(pod: dict) -> str | None:
    refs = [o for o in pod["metadata"].get("ownerReferences") or [] if o.get("controller")]
    return refs[0]["uid"] if refs else None


def rs_events(c) -> list[str]:
    out = json.loads(c.kubectl("get events --field-selector involvedObject.kind=ReplicaSet -o json").stdout)
    return [f'{e["reason"]}: {e["message"]}' for e in out["items"]]


def test_replica_set_runs_two_pods(c):
    assert c.kubectl("get rs").stdout.splitlines()[1].split()[:4] == ["go-demo-2", "2", "2", "2"]
    get = c.kubectl("get -f go-demo-2.yml").stdout
    assert get.splitlines()[1].split()[:4] == ["go-demo-2", "2", "2", "2"]
    names = sorted(pods(c))
    assert [n.rsplit("-", 1)[0] for n in names] == ["go-demo-2", "go-demo-2"]
    assert sorted(rs_events(c)) == sorted(f"SuccessfulCreate: Created pod: {n}" for n in names)
    describe = c.kubectl("describe -f go-demo-2.yml").stdout
    assert "Replicas:     2 current / 2 desired\n" in describe
    assert "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in describe
    # the api reaches mongo through localhost: no crash loop, no restarts
    for p in pods(c).values():
        assert [cs["restartCount"] for cs in p["status"]["containerStatuses"]] == [0, 0]
    labels = c.kubectl("get pods --show-labels").stdout.splitlines()[1].split()[-1]
    assert labels == "db=mongo,language=go,service=go-demo-2,type=backend"


def test_a_deleted_pod_is_replaced_at_once(c):
    last = c.kubectl("get pods -o name").stdout.split()[-1]
    before = set(pods(c))
    assert c.kubectl(f"delete {last} --wait=false").stdout == f'pod "{last.split("/")[1]}" deleted\n'
    now = pods(c)
    new = sorted(set(now) - before)
    assert len(new) == 1  # created in the same instant the old pod got its deletionTimestamp
    assert now[last.split("/")[1]]["metadata"].get("deletionTimestamp")
    assert rs_events(c)[-1] == f"SuccessfulCreate: Created pod: {new[0]}"
    c.advance(30)
    assert len(pods(c)) == 2


def test_removing_a_selected_label_releases_the_pod(c):
    rs_uid = c.store.get(c.registry.resolve("replicasets"), "default", "go-demo-2")["metadata"]["uid"]
    last = c.kubectl("get pods -o name").stdout.split()[-1]
    name = last.split("/")[1]
    assert c.kubectl(f"label {last} service-").stdout == f"{last} unlabeled\n"
    c.advance(1)
    now = pods(c)
    assert len(now) == 3
    assert controller_uid(now[name]) is None and now[name]["metadata"].get("ownerReferences") is None
    assert not now[name]["metadata"].get("deletionTimestamp")
    assert "Controlled By" not in c.kubectl(f"describe {last}").stdout
    others = [n for n in now if n != name]
    assert all(controller_uid(now[n]) == rs_uid for n in others)
    assert "Controlled By:  ReplicaSet/go-demo-2\n" in c.kubectl(f"describe pod {others[0]}").stdout
    listing = {line.split()[0]: line.split()[-1] for line in c.kubectl("get pods --show-labels").stdout.splitlines()[1:]}
    assert listing[name] == "db=mongo,language=go,type=backend"


def test_orphaned_pods_are_adopted_by_a_new_replica_set(c):
    before = pods(c)
    r = c.kubectl("delete -f go-demo-2.yml --cascade=false")
    assert r.stdout == 'replicaset.apps "go-demo-2" deleted\n'
    assert r.stderr == ("warning: --cascade=false is deprecated (boolean value) and can be replaced with "
                        "--cascade=orphan.\n")
    c.advance(5)
    assert c.kubectl("get rs").stderr == "No resources found in default namespace.\n"
    now = pods(c)
    assert set(now) == set(before)
    assert all(p["metadata"].get("ownerReferences") is None for p in now.values())
    events_before = len(rs_events(c))
    assert c.kubectl("create -f go-demo-2.yml").stdout == "replicaset.apps/go-demo-2 created\n"
    c.advance(5)
    rs_uid = c.store.get(c.registry.resolve("replicasets"), "default", "go-demo-2")["metadata"]["uid"]
    now = pods(c)
    assert set(now) == set(before)  # adopted, no new pod
    assert all(controller_uid(p) == rs_uid for p in now.values())
    assert len(rs_events(c)) == events_before
    r = c.kubectl("delete -f go-demo-2.yml --cascade=true")
    assert r.stderr == ("warning: --cascade=true is deprecated (boolean value) and can be replaced with "
                        "--cascade=background.\n")
    assert all(p["metadata"].get("deletionTimestamp") for p in pods(c).values())
    c.advance(40)
    assert pods(c) == {}
