"""Seed 000 L42-86: the `db` pod (scripts/seed000_db_pod.sh with the seed's flattened db.yml,
scripts/seed000_db_reset.sh with its indentation restored).

The seed prints commands but no output; the assertions are what a v1.32 cluster answers, and the
statements of the seed the course corrects (course outline, appendix): L77 "run db comes with
RESTARTS=1" (it stays 0), L47-59 `--reset` (a crash loop), the flattened YAML (rejected),
L82-86 graceful deletion."""
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from scenario_replay import NODE, SCRIPTS, assert_table, events, replay  # noqa: E402

from labsim.scenario import ScriptError, parse_script  # noqa: E402

TTY_WARNING = "Unable to use a TTY - input is not a terminal or the right kind of file\n"


#: the cluster seed fixes the sandbox start delays and the pod uids; two seeds show the replay
#: holds whatever they draw (ages within the slack of assert_table)
SEEDS = (0, 7)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def r(tmp_path_factory, request):
    # nothing pre-pulled: the seed had just created its cluster (L37), and `mongo` (:latest)
    # is pulled whatever the node holds (imagePullPolicy Always)
    return replay("seed000_db_pod.sh", tmp_path_factory.mktemp("db"), seed=request.param)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda s: f"seed{s}")
def reset(tmp_path_factory, request):
    return replay("seed000_db_reset.sh", tmp_path_factory.mktemp("reset"), images=["mongo", "mongo:3.3"], seed=request.param)


def duration(r, step):
    """Simulated seconds a step took (until the next command started)."""
    steps = r.steps
    return round(steps[steps.index(step) + 1].time - step.time, 2)


# -- seed000_db_pod.sh ---------------------------------------------------------------------------

def test_run_pulls_and_starts(r):
    assert r.find("kubectl run db --image mongo").output == "pod/db created\n"
    # the image pull (12.175 s for mongo:latest) is the wait before Running
    assert_table(r.find("kubectl get pods -w").output + r.find("sleep 20").output, """\
NAME   READY   STATUS    RESTARTS   AGE
db     0/1     Pending   0          0s
db     0/1     Pending   0          0s
db     0/1     ContainerCreating   0          0s
db     1/1     Running             0          13s
""")


def test_flattened_manifest_is_rejected(r):
    create = r.find("kubectl create -f db.yml")
    assert (create.output, create.exit_code) == (
        'Error from server (BadRequest): error when creating "db.yml": Pod in version "v1" cannot be handled as a '
        'Pod: strict decoding error: unknown field "args", unknown field "command", unknown field "containers", '
        'unknown field "image", unknown field "name", unknown field "type", unknown field "vendor"\n', 1)
    apply = r.find("kubectl apply -f db.yml")
    assert (apply.output, apply.exit_code) == ('''\
error: error when retrieving current configuration of:
Resource: "/v1, Resource=pods", GroupVersionKind: "/v1, Kind=Pod"
Name: "", Namespace: "default"
from server for: "db.yml": resource name may not be empty
''', 1)


def test_get_and_describe(r):
    assert_table(r.find("kubectl get pods -o wide").output, f"""\
NAME   READY   STATUS    RESTARTS   AGE   IP          NODE                    NOMINATED NODE   READINESS GATES
db     1/1     Running   0          20s   10.42.0.2   {NODE}   <none>           <none>
""")
    pods = json.loads(r.find("kubectl get pods -o json").output)
    (pod,) = pods["items"]
    assert pods["kind"] == "List" and pod["metadata"]["labels"] == {"run": "db"}
    assert [(c["name"], c["image"], c["imagePullPolicy"]) for c in pod["spec"]["containers"]] == [("db", "mongo", "Always")]
    assert pod["status"]["containerStatuses"][0]["image"] == "docker.io/library/mongo:latest"
    assert r.find("kubectl get pods -o yaml").output.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n")
    describe = r.find("kubectl describe pod db").output
    assert_table(events(describe), f"""\
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  19s   default-scheduler  Successfully assigned default/db to {NODE}
  Normal  Pulling    19s   kubelet            Pulling image "mongo"
  Normal  Pulled     7s    kubelet            Successfully pulled image "mongo" in 12.175s (12.175s including waiting). Image size: 279381922 bytes.
  Normal  Created    7s    kubelet            Created container: db
  Normal  Started    7s    kubelet            Started container db
""")
    # seed L77: "RESTARTS=1"; a healthy pod has none
    assert "    Restart Count:  0\n" in describe


def test_exec_and_logs(r):
    ps = r.find("kubectl exec db -- ps aux")
    assert ps.exit_code == 0 and ps.result.stdout.splitlines()[1].split()[:2] == ["root", "1"]
    placeholder = r.find("kubectl exec -c <container_name> db -- ps aux")
    # bash reads `<container_name>` as `< container_name` and `> db` and fails before kubectl runs
    assert (placeholder.output, placeholder.exit_code, placeholder.results) == (
        "bash: container_name: No such file or directory\n", 1, [])
    assert r.find("kubectl exec -c db db -- ps aux").exit_code == 0
    sh = r.find("kubectl exec -it db -- sh # -i stdin -t terminal")
    assert (sh.result.stdout, sh.result.stderr, sh.exit_code) == ("", TTY_WARNING, 0)
    logs = [json.loads(line) for line in r.find("kubectl logs db").output.splitlines()]
    # mongo:latest logs one JSON document a line; the last says it listens
    assert [d["msg"] for d in logs][-2:] == ["Listening on", "Waiting for connections"]
    assert logs[-1]["attr"]["port"] == 27017


def test_ps_aux_is_procps(r):
    lines = r.find("kubectl exec db -- ps aux").result.stdout.splitlines()
    assert lines[0].split() == ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME",
                                "COMMAND"]
    assert [l.split(None, 10)[10] for l in lines[1:] if l.split(None, 10)[10].startswith("ps")] == ["ps aux"]


def test_delete_flattened_manifest(r):
    step = r.find("kubectl delete -f db.yml")
    assert (step.output, step.exit_code) == (
        'error: error when deleting "db.yml": resource name may not be empty\n', 1)


def test_delete_pod_is_graceful_and_quick(r):
    delete = r.find("kubectl delete pod db")
    assert (delete.output, delete.exit_code) == ('pod "db" deleted\n', 0)
    # L82-86: TERM first; mongod shuts down cleanly on it, so kubectl's wait ends well inside the
    # 30 s grace period
    assert duration(r, delete) < 2
    assert r.find("kubectl get pods").output == "No resources found in default namespace.\n"


def test_seed_typo_kubectrl_is_refused_before_running():
    """L75 `kubectrl logs db`: a script with an unknown command word runs nothing."""
    script = (SCRIPTS / "seed000_db_pod.sh").read_text().replace("kubectl logs db", "kubectrl logs db")
    with pytest.raises(ScriptError) as e:
        parse_script(script, "seed000_db_pod.sh")
    assert str(e.value) == ("seed000_db_pod.sh:45: unknown command 'kubectrl': a scenario line runs kubectl, "
                            "sleep, echo or cat")


# -- seed000_db_reset.sh -------------------------------------------------------------------------

def test_create_after_run_already_exists(reset):
    step = reset.find("kubectl create -f db.yml")
    assert (step.output, step.exit_code) == (
        'Error from server (AlreadyExists): error when creating "db.yml": pods "db" already exists\n', 1)
    # L77: still 0 restarts after 30 s
    assert_table(reset.find("kubectl get pods").output, """\
NAME   READY   STATUS    RESTARTS   AGE
db     1/1     Running   0          30s
""")
    assert reset.find("kubectl delete -f db.yml").output == 'pod "db" deleted\n'
    again = reset.find("kubectl delete pod db")
    assert (again.output, again.exit_code) == ('Error from server (NotFound): pods "db" not found\n', 1)


def test_reset_crash_loop(reset):
    assert reset.find("kubectl create -f db.yml", nth=1).output == "pod/db created\n"
    # mongod exits at once with a usage error; restarts after 0, 10, 20 s (§4.2): RESTARTS 3 at
    # t=50 (course lab 01.4)
    assert_table(reset.find("kubectl get pods -w").output + reset.find("sleep 50").output, """\
NAME   READY   STATUS    RESTARTS   AGE
db     0/1     Pending   0          0s
db     0/1     Pending   0          0s
db     0/1     ContainerCreating   0          0s
db     0/1     Error               0          1s
db     0/1     Error               1 (0s ago)   1s
db     0/1     CrashLoopBackOff    1 (0s ago)   1s
db     0/1     Error               2 (10s ago)   11s
db     0/1     CrashLoopBackOff    2 (0s ago)    11s
db     0/1     Error               3 (20s ago)   31s
db     0/1     CrashLoopBackOff    3 (0s ago)    31s
""")
    previous = reset.find("kubectl logs db --previous")
    assert (previous.output, previous.exit_code) == (
        "Error parsing command line: unrecognised option '--reset'\ntry 'mongod --help' for more information\n", 0)
    describe = reset.find("kubectl describe pod db").output
    uid = reset.cluster.api.list(reset.cluster.api.registry.for_kind("", "Event"), "default")[-1][
        "involvedObject"]["uid"]
    assert_table(events(describe), f"""\
  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  49s                default-scheduler  Successfully assigned default/db to {NODE}
  Normal   Pulled     19s (x4 over 49s)  kubelet            Container image "mongo:3.3" already present on machine
  Normal   Created    19s (x4 over 49s)  kubelet            Created container: db
  Normal   Started    19s (x4 over 49s)  kubelet            Started container db
  Warning  BackOff    8s (x6 over 49s)   kubelet            Back-off restarting failed container db in pod db_default({uid})
""", slack=5)  # refused syncs are retried 10-15 s later (wait.Jitter(10s, 0.5)): the last BackOff moves by seed
    assert """\
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    2
""" in describe
    assert "    Restart Count:  3\n" in describe
    assert "\nStatus:           Running\n" in describe  # the phase stays Running (§1.3)


def test_delete_with_grace_period(reset):
    delete = reset.find("kubectl delete pod db --grace-period=5")
    assert (delete.output, delete.exit_code) == ('pod "db" deleted\n', 0)
    # no container is running in the back-off window: nothing to wait for
    assert duration(reset, delete) < 1
    assert reset.find("kubectl get pods", nth=1).output == "No resources found in default namespace.\n"
