"""Containers of one pod share its network namespace: ``localhost`` (the kubelet-managed
/etc/hosts) and 127.0.0.1 reach the pod's own containers, and the pod's hostname its own IP."""
from labsim import Cluster
from labsim.presets import preload_images

GO_DEMO_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: go-demo-2}
spec:
  containers:
  - name: db
    image: mongo:3.3
  - name: api
    image: vfarcic/go-demo-2
    env: [{name: DB, value: localhost}]
"""


def test_api_reaches_mongo_in_the_same_pod_through_localhost():
    # seed 000 L115-145: the go-demo-2 ReplicaSet's pods run db and api side by side
    c = Cluster(seed=0)
    preload_images(c, ["mongo:3.3", "vfarcic/go-demo-2"])
    c.kubectl("apply -f -", stdin=GO_DEMO_POD)
    c.advance(40)
    out = c.kubectl("get pod go-demo-2").stdout
    assert out.splitlines()[1].split()[1:4] == ["2/2", "Running", "0"], out
    assert "panic" not in c.kubectl("logs go-demo-2 -c api").stdout


def test_resolve_reads_the_pods_hosts_file_first():
    c = Cluster(seed=0)
    preload_images(c, ["nginx:1.27"])
    c.kubectl("run web --image=nginx:1.27")
    c.advance(5)
    pod = c.store.get(c.registry.resolve("pods"), "default", "web")
    net = c.network
    assert net.resolve(pod, "localhost") == ["127.0.0.1"]
    assert net.resolve(pod, "web") == [pod["status"]["podIP"]]
    # an absolute name goes to DNS, which has no record for it
    assert net.resolve(pod, "localhost.") == []
    assert net.http_get(pod, "127.0.0.1", 80, "/").status == 200
