"""Seed 002 L119-507 replayed (scripts/seed002_pods_and_probes.sh): the nginx-demo pod, the three
startup-probe handlers, the liveness probe and the readiness probe, on one timeline whose AGE
column matches the seed's.

What the seed's cluster printed and v1.32 prints differently (v1.32 wins, pods-and-kubelet §0):
- node `kubernetes-node1`, pod IPs 10.244.x.y (kubeadm + flannel) -> `k3d-kubelabs-server-0`,
  10.42.0.x (k3d, course outline A.2); `get ns` has no `kube-flannel`;
- `Created container nginx` -> `Created container: nginx` (§0.1; the doc leaves the colon
  unsettled and implements it);
- `Back-off restarting failed container` -> `... nginx in pod <pod>_<ns>(<uid>)` (§0.2);
- `kube-probe/1.23` -> `kube-probe/1.32` in nginx's access log;
- RESTARTS prints `N (<age> ago)` whenever a container has a last termination (§4.6).
Timing: nginx:latest is pre-pulled (the seed's Pulled events say "already present on machine").
Tables are compared with `assert_table`: states, counts, reasons, messages and order exactly, ages
within 2 s (the simulated sandbox start takes a seeded ~1 s and kubelet event times are whole
seconds); where the seed printed a table, the expected ages are the seed's.
"""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scenario_replay import NODE, assert_table, events, replay  # noqa: E402

NGINX = "docker.io/library/nginx:latest"
TTY_WARNING = "Unable to use a TTY - input is not a terminal or the right kind of file\n"


#: the cluster seed fixes the sandbox start delays and the pod uids; two seeds show the replay
#: holds whatever they draw (ages within the slack of assert_table)
SEEDS = (0, 7)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def r(tmp_path_factory, request):
    return replay("seed002_pods_and_probes.sh", tmp_path_factory.mktemp("seed002"), images=[NGINX],
                  namespace="pod-example", seed=request.param)


def uid_free(text):
    return re.sub(r"\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)", "(<uid>)", text)


def at(step, t0):
    """Seconds since t0 (a step) when ``step`` ran."""
    return round(step.time - t0.time, 2)


# -- L119-202: the nginx-demo pod ------------------------------------------------------------------

def test_namespace_and_pod_created(r):
    assert r.find("kubectl create namespace pod-example").output == "namespace/pod-example created\n"
    # seed L128-135: pod-example 5s old; the cluster's own namespaces were 13h old there (and it
    # had kube-flannel); here the cluster booted 30 s before the script
    assert_table(r.find("kubectl get ns").output, """\
NAME              STATUS   AGE
default           Active   35s
kube-node-lease   Active   35s
kube-public       Active   35s
kube-system       Active   35s
pod-example       Active   5s
""")
    assert r.find("kubectl apply -f nginx-demo.yaml").output == "pod/nginx-demo created\n"


def test_nginx_demo_running_at_13s(r):
    assert_table(r.find("kubectl get pod -n pod-example").output, """\
NAME         READY   STATUS    RESTARTS   AGE
nginx-demo   1/1     Running   0          13s
""")


def test_nginx_demo_describe_at_32s(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml")
    step = r.find("kubectl describe pod nginx-demo -n pod-example")
    assert at(step, apply) == 32
    out = step.output
    # seed L185-188 at 32s (ages as the seed printed them): node kubernetes-node1 there, and
    # "Created container nginx" without the colon of v1.32
    assert_table(events(out), f"""\
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  32s   default-scheduler  Successfully assigned pod-example/nginx-demo to {NODE}
  Normal  Pulled     32s   kubelet            Container image "docker.io/library/nginx:latest" already present on machine
  Normal  Created    32s   kubelet            Created container: nginx
  Normal  Started    32s   kubelet            Started container nginx
""")
    # the requests and limits as the API stores them (1000m -> 1, 1024Mi -> 1Gi), course 1.3
    assert """\
    Limits:
      cpu:     1
      memory:  1Gi
    Requests:
      cpu:     100m
      memory:  128Mi
    Environment:
      JVM_OPTS:  test-value
""" in out
    assert "\nQoS Class:                   Burstable\n" in out
    assert "\nStatus:           Running\n" in out


def test_nginx_demo_wide_labels_exec(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml")
    wide = r.find("kubectl get pod -n pod-example -o wide")
    assert at(wide, apply) == 351  # seed L193: 5m51s
    assert_table(wide.output, f"""\
NAME         READY   STATUS    RESTARTS   AGE     IP          NODE                    NOMINATED NODE   READINESS GATES
nginx-demo   1/1     Running   0          5m51s   10.42.0.2   {NODE}   <none>           <none>
""")
    # seed L197 printed 5m16s here, after 5m51s on the line before: pasted out of order
    assert_table(r.find("kubectl get pod -n pod-example --show-labels").output, """\
NAME         READY   STATUS    RESTARTS   AGE     LABELS
nginx-demo   1/1     Running   0          5m51s   test-label-name=test-label-value,type=app
""")
    pwd = r.find("kubectl exec -it nginx-demo -n pod-example -- pwd")
    assert (pwd.result.stdout, pwd.result.stderr, pwd.exit_code) == ("/usr/share/nginx/html\n", TTY_WARNING, 0)
    env = r.find("kubectl exec -it nginx-demo -n pod-example -- bash -c 'echo $JVM_OPTS'")
    assert (env.result.stdout, env.exit_code) == ("test-value\n", 0)


# -- L254-301: startup probe httpGet /api/version (404), restartPolicy OnFailure -------------------

SEC_HTTP = "startup probe, httpGet"


def test_startup_http_applied_at_54m(r):
    assert_table(r.find("kubectl get pod -n pod-example", section=SEC_HTTP).output, """\
NAME         READY   STATUS    RESTARTS   AGE
nginx-demo   1/1     Running   0          54m
""")
    assert r.find("kubectl apply -f nginx-demo.yaml", section=SEC_HTTP).output == \
        "pod/nginx-demo-startup-probe created\n"


def test_startup_http_describe_at_83s(r):
    """Seed L292-301: Pulled/Created/Started x3, Unhealthy x9, Killing x3, one BackOff."""
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_HTTP)
    step = r.find("kubectl describe pod -n pod-example nginx-demo-startup-probe")
    assert at(step, apply) == 83
    # the seed's table (ages as printed there), with v1.32's Created and BackOff texts
    assert_table(uid_free(events(step.output)), f"""\
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  83s                default-scheduler  Successfully assigned pod-example/nginx-demo-startup-probe to {NODE}
  Normal   Pulled     66s (x3 over 83s)  kubelet            Container image "docker.io/library/nginx:latest" already present on machine
  Normal   Created    66s (x3 over 83s)  kubelet            Created container: nginx
  Normal   Started    66s (x3 over 83s)  kubelet            Started container nginx
  Warning  Unhealthy  57s (x9 over 81s)  kubelet            Startup probe failed: HTTP probe failed with statuscode: 404
  Normal   Killing    57s (x3 over 75s)  kubelet            Container nginx failed startup probe, will be restarted
  Warning  BackOff    57s                kubelet            Back-off restarting failed container nginx in pod nginx-demo-startup-probe_pod-example(<uid>)
""")
    assert "\nStatus:           Succeeded\n" in step.output
    assert """\
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
""" in step.output
    assert "    Restart Count:  2\n" in step.output
    assert ("    Startup:   http-get http://:80/api/version delay=0s timeout=5s period=3s #success=1 #failure=3\n"
            in step.output)


def test_startup_http_completed_at_5m7s(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_HTTP)
    step = r.find("kubectl get pod -n pod-example", section=SEC_HTTP, nth=1)
    assert at(step, apply) == 307
    # seed L286-288: RESTARTS `2`; v1.32 adds the age of the last termination (§4.6)
    assert_table(step.output, """\
NAME                       READY   STATUS      RESTARTS        AGE
nginx-demo                 1/1     Running     0               59m
nginx-demo-startup-probe   0/1     Completed   2 (4m49s ago)   5m7s
""")


# -- L303-334: startup probe tcpSocket ---------------------------------------------------------------

SEC_TCP = "startup probe, tcpSocket"


def test_startup_tcp_not_ready_then_ready(r):
    assert r.find("kubectl delete pod -n pod-example nginx-demo-startup-probe", section=SEC_TCP).output == \
        'pod "nginx-demo-startup-probe" deleted\n'
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_TCP)
    first, second = (r.find("kubectl get pod -n pod-example", section=SEC_TCP, nth=i) for i in (0, 1))
    assert (at(first, apply), at(second, apply)) == (2, 30)
    assert_table(first.output, """\
NAME                       READY   STATUS    RESTARTS   AGE
nginx-demo                 1/1     Running   0          69m
nginx-demo-startup-probe   0/1     Running   0          2s
""")
    assert_table(second.output, """\
NAME                       READY   STATUS    RESTARTS   AGE
nginx-demo                 1/1     Running   0          69m
nginx-demo-startup-probe   1/1     Running   0          30s
""")
    # nothing failed: no Unhealthy, no restart
    assert "Unhealthy" not in r.section(SEC_TCP).describe["nginx-demo-startup-probe"]


# -- L336-366: startup probe exec ------------------------------------------------------------------

SEC_EXEC = "startup probe, exec"


def test_startup_exec_writes_into_working_dir(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_EXEC)
    step = r.find("kubectl get pod -n pod-example", section=SEC_EXEC)
    assert at(step, apply) == 5
    assert_table(step.output, """\
NAME                       READY   STATUS    RESTARTS   AGE
nginx-demo                 1/1     Running   0          93m
nginx-demo-startup-probe   1/1     Running   0          5s
""")
    # the probe's relative path lands in the container's workingDir, where exec runs too
    cat = r.find("kubectl exec -it -n pod-example nginx-demo-startup-probe -- bash -c 'cat success.txt;'")
    assert (cat.result.stdout, cat.result.stderr, cat.exit_code) == ("success Message!\n", TTY_WARNING, 0)


# -- L368-417: liveness probe, delete the page, the restart brings it back -------------------------

SEC_LIVE = "liveness probe"


def test_liveness_restart_after_page_deleted(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_LIVE)
    first, second = (r.find("kubectl get pod -n pod-example", section=SEC_LIVE, nth=i) for i in (0, 1))
    assert_table(first.output, """\
NAME                        READY   STATUS    RESTARTS   AGE
nginx-demo                  1/1     Running   0          109m
nginx-demo-liveness-probe   1/1     Running   0          5s
""")
    rm = r.find('kubectl exec -it -n pod-example nginx-demo-liveness-probe -- bash -c "rm -f wellcome.html;"')
    assert (rm.result.stdout, rm.exit_code) == ("", 0)
    # the seed does not say when it deleted the page; 68 s after the apply gives its "22s ago"
    # at 97 s (period 3 s, the duplicated periodSeconds keeps its last value; threshold 3)
    assert (at(rm, apply), at(second, apply)) == (68, 97)
    assert_table(second.output, """\
NAME                        READY   STATUS    RESTARTS      AGE
nginx-demo                  1/1     Running   0             111m
nginx-demo-liveness-probe   1/1     Running   1 (22s ago)   97s
""")


def test_liveness_restart_resets_writable_layer(r):
    ls = r.find('kubectl exec -it -n pod-example nginx-demo-liveness-probe -- bash -c "ls"')
    # seed L417 prints `50x.html  index.html  wellcome.html` (ls in columns on its TTY); without a
    # terminal ls prints one name a line
    assert (ls.result.stdout, ls.exit_code) == ("50x.html\nindex.html\nwellcome.html\n", 0)


def test_liveness_events(r):
    """Not printed by the seed: the three failures, the kill and the same-sync restart (§5.7)."""
    describe = r.section(SEC_LIVE).describe["nginx-demo-liveness-probe"]
    assert_table(events(describe), f"""\
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  96s                default-scheduler  Successfully assigned pod-example/nginx-demo-liveness-probe to {NODE}
  Normal   Pulled     22s (x2 over 96s)  kubelet            Container image "docker.io/library/nginx:latest" already present on machine
  Normal   Created    22s (x2 over 96s)  kubelet            Created container: nginx
  Normal   Started    22s (x2 over 96s)  kubelet            Started container nginx
  Warning  Unhealthy  22s (x3 over 28s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 404
  Normal   Killing    22s                kubelet            Container nginx failed liveness probe, will be restarted
""")
    # the duplicated key: YAML keeps the last periodSeconds (course 2.3)
    assert ("    Liveness:  http-get http://:80/wellcome.html delay=5s timeout=5s period=3s #success=1 #failure=3\n"
            in describe)
    # nginx exits 0 on the kubelet's SIGQUIT (§3.3)
    assert """\
    Last State:     Terminated
      Reason:       Completed
      Exit Code:    0
""" in describe


# -- L419-507: readiness probe, 0/1 until the file is written --------------------------------------

SEC_READY = "readiness probe"


def test_readiness_not_ready_until_file_written(r):
    gets = [r.find("kubectl get pod -n pod-example", section=SEC_READY, nth=i) for i in range(4)]
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_READY)
    assert [at(g, apply) for g in gets] == [0, 3, 185, 264]
    assert_table(gets[0].output, """\
NAME         READY   STATUS    RESTARTS   AGE
nginx-demo   1/1     Running   0          131m
""")
    assert_table(gets[1].output, """\
NAME                         READY   STATUS    RESTARTS   AGE
nginx-demo                   1/1     Running   0          131m
nginx-demo-readiness-probe   0/1     Running   0          3s
""")
    assert_table(gets[2].output, """\
NAME                         READY   STATUS    RESTARTS   AGE
nginx-demo                   1/1     Running   0          134m
nginx-demo-readiness-probe   0/1     Running   0          3m5s
""")
    write = r.find("""kubectl exec -it -n pod-example nginx-demo-readiness-probe -- bash -c 'echo "<h1>wellcome</h1>" > wellcome.html;'""")
    assert (write.result.stdout, write.exit_code) == ("", 0)
    assert_table(gets[3].output, """\
NAME                         READY   STATUS    RESTARTS   AGE
nginx-demo                   1/1     Running   0          136m
nginx-demo-readiness-probe   1/1     Running   0          4m24s
""")


def test_readiness_describe_at_28s(r):
    apply = r.find("kubectl apply -f nginx-demo.yaml", section=SEC_READY)
    step = r.find("kubectl describe pod nginx-demo-readiness-probe  -n pod-example")
    assert at(step, apply) == 28
    rows = events(step.output).splitlines()
    # seed L479-484: the four start events 28s old
    assert_table("\n".join(rows[:6]), f"""\
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  28s               default-scheduler  Successfully assigned pod-example/nginx-demo-readiness-probe to {NODE}
  Normal   Pulled     28s               kubelet            Container image "docker.io/library/nginx:latest" already present on machine
  Normal   Created    28s               kubelet            Created container: nginx
  Normal   Started    28s               kubelet            Started container nginx
""")
    assert len(rows) == 7 and re.fullmatch(
        r"  Warning  Unhealthy  1s \(x\d+ over \d+s\)  kubelet            "
        r"Readiness probe failed: HTTP probe failed with statuscode: 404", rows[6]), rows[6]
    assert "Killing" not in step.output  # readiness never restarts anything (§5.8)
    assert "\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n" \
           "  Initialized                 True \n  Ready                       False \n" \
           "  ContainersReady             False \n  PodScheduled                True \n" in step.output


def test_readiness_first_failure_with_startup_success(r):
    step = r.find("kubectl describe pod nginx-demo-readiness-probe  -n pod-example")
    row = events(step.output).splitlines()[6]
    m = re.search(r"\(x(\d+) over (\d+)s\)", row)
    # 9 ticks (3, 6, ... 27 s) plus, depending on goroutine order, the trigger's extra run
    assert m and m.group(2) == "25" and m.group(1) in ("9", "10"), row


def test_readiness_logs(r):
    """Seed L500-507: the probes' 404s (with nginx's error line) until the file exists, then 200."""
    logs = r.find("kubectl logs -f  nginx-demo-readiness-probe  -n pod-example")
    lines = logs.result.stdout.splitlines()
    ip = re.escape(r.cluster.kubectl("get pod nginx-demo-readiness-probe -n pod-example "
                                     "-o jsonpath={.status.podIP}").stdout)
    access = re.compile(r'10\.42\.0\.1 - - \[(\d\d/\w+/\d{4}:\d\d:\d\d:\d\d) \+0000\] '
                        r'"GET (/\w+\.html) HTTP/1\.1" (\d+) (\d+) "-" "kube-probe/1\.32" "-"')
    error = re.compile(r'\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[error\] (\d+)#\1: \*\d+ open\(\) '
                       r'"/usr/share/nginx/html/wellcome\.html" failed \(2: No such file or directory\), '
                       r'client: 10\.42\.0\.1, server: localhost, request: "GET /wellcome\.html HTTP/1\.1", '
                       rf'host: "{ip}:80"')
    probes = [access.fullmatch(l) for l in lines if "kube-probe" in l]
    assert probes and all(probes), [l for l in lines if "kube-probe" in l and not access.fullmatch(l)][:3]
    welcome = [(m.group(1), m.group(3), m.group(4)) for m in probes if m.group(2) == "/wellcome.html"]
    flip = next(i for i, w in enumerate(welcome) if w[1] == "200")
    # before the write: 404 (153 bytes) with an [error] line each; after: 200 with the 18 bytes
    # of "<h1>wellcome</h1>\n"; seed L506-507: the last 404 and the first 200 are 3 s apart
    assert all(w[1:] == ("404", "153") for w in welcome[:flip])
    assert all(w[1:] == ("200", "18") for w in welcome[flip:])
    assert len([l for l in lines if error.fullmatch(l)]) == flip
    last_404, first_200 = welcome[flip - 1][0], welcome[flip][0]
    assert (int(first_200[-2:]) - int(last_404[-2:])) % 60 == 3
    # liveness and startup probes on /index.html always get the 615-byte page
    assert {(m.group(3), m.group(4)) for m in probes if m.group(2) == "/index.html"} == {("200", "615")}
