"""Seed transcripts replayed with the real image models: the probe demos of seed 002 and the
crash loop of seed 000's db pod (course labs 01.4 and 02.4)."""
from labsim import Cluster

NODE = "k3d-kubelabs-server-0"
STARTUP_404 = """apiVersion: v1
kind: Pod
metadata:
  name: nginx-demo-startup-probe
  namespace: pod-example
spec:
  containers:
  - name: nginx
    image: nginx:latest
    imagePullPolicy: IfNotPresent
    startupProbe:
      httpGet:
        path: /api/version
        port: 80
      failureThreshold: 3
      periodSeconds: 3
      successThreshold: 1
      timeoutSeconds: 5
  restartPolicy: OnFailure
"""


def cluster(*images):
    c = Cluster(seed=0)
    for image in images:
        c.kubelet_for(NODE).images.preload(image)
    return c


def test_seed_002_startup_probe_never_passes():
    """Seed 002 L258-301: Completed, RESTARTS 2, Unhealthy x9, Killing x3, one BackOff."""
    c = cluster("nginx:latest")
    c.kubectl("create ns pod-example")
    assert c.kubectl("apply -f -", stdin=STARTUP_404).stdout == "pod/nginx-demo-startup-probe created\n"
    c.advance(83)
    assert c.kubectl("get pods -n pod-example").stdout == (
        "NAME                       READY   STATUS      RESTARTS      AGE\n"
        "nginx-demo-startup-probe   0/1     Completed   2 (65s ago)   83s\n")
    events = c.kubectl("describe pod -n pod-example nginx-demo-startup-probe").stdout.split("Events:\n")[1]
    uid = c.api.get(c.api.registry.for_kind("", "Pod"), "pod-example", "nginx-demo-startup-probe")["metadata"]["uid"]
    assert events == f"""\
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  82s                default-scheduler  Successfully assigned pod-example/nginx-demo-startup-probe to {NODE}
  Normal   Pulled     65s (x3 over 83s)  kubelet            Container image "nginx:latest" already present on machine
  Normal   Created    65s (x3 over 83s)  kubelet            Created container: nginx
  Normal   Started    65s (x3 over 83s)  kubelet            Started container nginx
  Warning  Unhealthy  56s (x9 over 80s)  kubelet            Startup probe failed: HTTP probe failed with statuscode: 404
  Normal   Killing    56s (x3 over 74s)  kubelet            Container nginx failed startup probe, will be restarted
  Warning  BackOff    56s                kubelet            Back-off restarting failed container nginx in pod nginx-demo-startup-probe_pod-example({uid})
"""
    assert c.kubectl("get pod -n pod-example nginx-demo-startup-probe -o jsonpath={.status.phase}").stdout == "Succeeded"


def test_seed_002_tcp_startup_probe_becomes_ready():
    c = cluster("nginx:latest")
    c.kubectl("create ns pod-example")
    c.kubectl("apply -f -", stdin=STARTUP_404.replace("""      httpGet:
        path: /api/version
        port: 80""", """      tcpSocket:
        port: 80"""))
    c.advance(2)  # the transcript: 0/1 Running at 2s, 1/1 at 30s
    assert c.kubectl("get pods -n pod-example").stdout.splitlines()[1].split()[1:] == ["0/1", "Running", "0", "2s"]
    c.advance(28)
    assert c.kubectl("get pods -n pod-example").stdout.splitlines()[1].split()[1:] == ["1/1", "Running", "0", "30s"]


def test_seed_000_db_crash_loop_restarts():
    """Lab 01.4: mongo:3.3 with --reset exits at once; RESTARTS 3 at t=50 and CrashLoopBackOff."""
    c = cluster("mongo:3.3")
    c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata:
  name: db
  labels:
    type: db
    vendor: MongoLabs
spec:
  containers:
  - name: db
    image: mongo:3.3
    command: ["mongod"]
    args: ["--reset", "--httpinterface"]
""")
    c.advance(50)
    row = c.kubectl("get pods").stdout.splitlines()[1].split()
    assert row[:4] == ["db", "0/1", "CrashLoopBackOff", "3"]
    st = c.api.get(c.api.registry.for_kind("", "Pod"), "default", "db")["status"]
    assert st["phase"] == "Running"
    assert "back-off 40s restarting failed container=db" in st["containerStatuses"][0]["state"]["waiting"]["message"]
    r = c.kubectl("logs db --previous")
    assert r.exit_code == 0 and r.stdout != ""
