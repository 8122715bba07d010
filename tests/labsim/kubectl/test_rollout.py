"""kubectl rollout status|history|undo|pause|resume|restart (verbs.md §11, workload-controllers.md
§2.12-2.14, transcripts rollout1.txt / verbs2.txt; kubernetes/kubectl pkg/cmd/rollout,
pkg/polymorphichelpers).

The Deployments and ReplicaSets here are written through the API by the test (the workload
controllers are stopped), so every revision, annotation and status is the one the case needs.
"""
from __future__ import annotations

import copy

import pytest

from labsim import Cluster
from labsim.api.meta import owner_reference
from labsim.errors import KubectlError
from labsim.kubectl import polymorphic
from labsim.kubectl.commands.rollout import HOLD_LIMIT

CAUSE = "kubectl set image deployment/web nginx=nginx:1.27 --record=true"

# the containers of transcripts rollout1.txt (revision 2) and verbs2.txt (revision 1)
NGINX_127 = {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
             "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}},
             "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5},
             "env": [{"name": "MODE", "value": "prod"},
                     {"name": "DB_HOST", "valueFrom": {"configMapKeyRef": {"name": "web-config", "key": "db_host"}}}]}
NGINX_125 = {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}

# -- real kubectl v1.32.4 transcripts -------------------------------------------------------------------
HISTORY = ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n"
           "2         kubectl set image deployment/web nginx=nginx:1.27 --record=true\n\n")
HISTORY_REV2 = (
    "deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=6d8f9c7b5d\n"
    "  Annotations:\tkubernetes.io/change-cause: kubectl set image deployment/web nginx=nginx:1.27 --record=true\n"
    "  Containers:\n   nginx:\n    Image:\tnginx:1.27\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Limits:\n"
    "      cpu:\t500m\n      memory:\t128Mi\n    Requests:\n      cpu:\t250m\n      memory:\t64Mi\n"
    "    Readiness:\thttp-get http://:80/ delay=5s timeout=1s period=10s #success=1 #failure=3\n"
    "    Environment:\n      MODE:\tprod\n"
    "      DB_HOST:\t<set to the key 'db_host' of config map 'web-config'>\tOptional: false\n"
    "    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n")
UNDO_DRY_RUN = (
    "deployment.apps/web Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=5f7d8c9b4c\n  Containers:\n"
    "   nginx:\n    Image:\tnginx:1.25\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n"
    "    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n (dry run)\n")
ROLLOUT_LINES = [
    'Waiting for deployment "roll" rollout to finish: 1 out of 4 new replicas have been updated...\n',
    'Waiting for deployment "roll" rollout to finish: 2 out of 4 new replicas have been updated...\n',
    'Waiting for deployment "roll" rollout to finish: 1 old replicas are pending termination...\n',
    'Waiting for deployment "roll" rollout to finish: 3 of 4 updated replicas are available...\n',
    'deployment "roll" successfully rolled out\n',
]

# captured from /usr/bin/kubectl v1.32.4 without a server (KUBECONFIG=/dev/null)
REAL = [
    ('rollout status',
     '',
     'error: required resource not specified\n', 1),
    ('rollout history',
     '',
     'error: required resource not specified\n', 1),
    ('rollout undo',
     '',
     'error: required resource not specified\n', 1),
    ('rollout pause',
     '',
     'error: required resource not specified\n', 1),
    ('rollout restart',
     '',
     'error: required resource not specified\n', 1),
    ('rollout resume',
     '',
     'error: required resource not specified\n', 1),
    ('rollout status deploy/web --revision=-1',
     '',
     'error: revision must be a positive integer: -1\n', 1),
    ('rollout history deploy/web --revision=-1',
     '',
     'error: revision must be a positive integer: -1\n', 1),
    ('rollout status -w=false',
     '',
     'error: required resource not specified\n', 1),
    ('rollout undo deploy/x --to-revision=abc',
     '',
     'Error: invalid argument "abc" for "--to-revision" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'kubectl rollout undo --help\' for usage.\n', 1),
    ('rollout undo deploy/x --record',
     '',
     "Error: unknown flag: --record\nSee 'kubectl rollout undo --help' for usage.\n", 1),
    ('rollout status deploy/x --timeout=5',
     '',
     'Error: invalid argument "5" for "--timeout" flag: time: missing unit in duration "5"\nSee \'kubectl rollout status --help\' for usage.\n', 1),
    ('rollout',
     'Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets\n\nExamples:\n  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n  \n  # Restart deployments with the \'app=nginx\' label\n  kubectl rollout restart deployment --selector=app=nginx\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse "kubectl rollout <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
     '', 1),
    ('rollout status --help',
     'Show the status of the rollout.\n\n By default \'rollout status\' will watch the status of the latest rollout until it\'s done. If you don\'t want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then \'rollout status\' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.\n\nExamples:\n  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx\n\nOptions:\n    -f, --filename=[]:\n\tFilename, directory, or URL to files identifying the resource to get from a server.\n\n    -k, --kustomize=\'\':\n\tProcess the kustomization directory. This flag can\'t be used together with -f or -R.\n\n    -R, --recursive=false:\n\tProcess the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.\n\n    --revision=0:\n\tPin to a specific revision for showing its status. Defaults to 0 (last revision).\n\n    -l, --selector=\'\':\n\tSelector (label query) to filter on, supports \'=\', \'==\', and \'!=\'.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.\n\n    --timeout=0s:\n\tThe length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).\n\n    -w, --watch=true:\n\tWatch the status of the rollout until it\'s done.\n\nUsage:\n  kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
     '', 0),
]


def out(r):
    return r.stdout, r.stderr, r.exit_code


@pytest.mark.parametrize("cmd,stdout,stderr,code", REAL, ids=[r[0] for r in REAL])
def test_matches_real_client(cmd, stdout, stderr, code):
    assert out(Cluster(seed=0).kubectl(cmd)) == (stdout, stderr, code)


# -- status viewers: kubernetes/kubectl pkg/polymorphichelpers/rollout_status_test.go ---------------------

@pytest.mark.parametrize("generation,replicas,status,msg,done", [
    (0, 1, dict(observedGeneration=1, replicas=1, updatedReplicas=0, availableReplicas=1),
     'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...\n', False),
    (1, 1, dict(observedGeneration=1, replicas=2, updatedReplicas=1, availableReplicas=2),
     'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...\n', False),
    (1, 2, dict(observedGeneration=1, replicas=2, updatedReplicas=2, availableReplicas=1, unavailableReplicas=1),
     'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...\n', False),
    (1, 2, dict(observedGeneration=1, replicas=2, updatedReplicas=2, availableReplicas=2),
     'deployment "foo" successfully rolled out\n', True),
    (2, 2, dict(observedGeneration=1, replicas=2, updatedReplicas=2, availableReplicas=2),
     "Waiting for deployment spec update to be observed...\n", False),
])
def test_deployment_status_viewer(generation, replicas, status, msg, done):
    d = {"metadata": {"namespace": "bar", "name": "foo", "generation": generation},
         "spec": {"replicas": replicas}, "status": status}
    assert polymorphic.deployment_status(d, 0) == (msg, done)


def test_deployment_status_viewer_errors():
    d = {"metadata": {"name": "web", "generation": 3, "annotations": {polymorphic.REVISION_ANNOTATION: "2"}},
         "spec": {"replicas": 1},
         "status": {"observedGeneration": 3, "conditions": [
             {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}}
    with pytest.raises(KubectlError, match=r'^deployment "web" exceeded its progress deadline$'):
        polymorphic.deployment_status(d, 0)
    with pytest.raises(KubectlError, match=r"^desired revision \(3\) is different from the running revision \(2\)$"):
        polymorphic.deployment_status(d, 3)


@pytest.mark.parametrize("generation,status,msg,done", [
    (0, dict(observedGeneration=1, updatedNumberScheduled=0, desiredNumberScheduled=1, numberAvailable=0),
     'Waiting for daemon set "foo" rollout to finish: 0 out of 1 new pods have been updated...\n', False),
    (1, dict(observedGeneration=1, updatedNumberScheduled=2, desiredNumberScheduled=2, numberAvailable=1),
     'Waiting for daemon set "foo" rollout to finish: 1 of 2 updated pods are available...\n', False),
    (1, dict(observedGeneration=1, updatedNumberScheduled=2, desiredNumberScheduled=2, numberAvailable=2),
     'daemon set "foo" successfully rolled out\n', True),
    (2, dict(observedGeneration=1, updatedNumberScheduled=2, desiredNumberScheduled=2, numberAvailable=2),
     "Waiting for daemon set spec update to be observed...\n", False),
])
def test_daemonset_status_viewer(generation, status, msg, done):
    ds = {"metadata": {"name": "foo", "generation": generation}, "spec": {"updateStrategy": {"type": "RollingUpdate"}},
          "status": status}
    assert polymorphic.daemonset_status(ds, 0) == (msg, done)
    ds["spec"]["updateStrategy"]["type"] = "OnDelete"
    with pytest.raises(KubectlError, match="^rollout status is only available for RollingUpdate strategy type$"):
        polymorphic.daemonset_status(ds, 0)


@pytest.mark.parametrize("generation,strategy,status,msg,done", [
    (2, {"type": "RollingUpdate"}, dict(observedGeneration=1, replicas=3, readyReplicas=3, currentReplicas=3),
     "Waiting for statefulset spec update to be observed...\n", False),
    (1, {"type": "RollingUpdate"}, dict(observedGeneration=2, replicas=3, readyReplicas=2, currentReplicas=3),
     "Waiting for 1 pods to be ready...\n", False),
    (1, {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
     dict(observedGeneration=2, replicas=3, readyReplicas=3, currentReplicas=2, updatedReplicas=1),
     "partitioned roll out complete: 1 new pods have been updated...\n", True),
    (1, {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
     dict(observedGeneration=2, replicas=3, readyReplicas=3, currentReplicas=3, updatedReplicas=0),
     "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...\n", False),
    (1, {"type": "RollingUpdate"}, dict(observedGeneration=2, replicas=3, readyReplicas=3, currentReplicas=3,
                                        updatedReplicas=3, currentRevision="foo", updateRevision="foo"),
     "statefulset rolling update complete 3 pods at revision foo...\n", True),
])
def test_statefulset_status_viewer(generation, strategy, status, msg, done):
    sts = {"metadata": {"name": "foo", "generation": generation}, "spec": {"replicas": 3, "updateStrategy": strategy},
           "status": status}
    assert polymorphic.statefulset_status(sts, 0) == (msg, done)


def test_statefulset_on_delete_is_an_error():
    sts = {"metadata": {"name": "foo", "generation": 1}, "spec": {"replicas": 3, "updateStrategy": {"type": "OnDelete"}},
           "status": {"observedGeneration": 1}}
    with pytest.raises(KubectlError, match="^rollout status is only available for RollingUpdate strategy type$"):
        polymorphic.statefulset_status(sts, 0)


# -- a Deployment with two revisions, written by hand ----------------------------------------------------

def stopped_cluster() -> Cluster:
    c = Cluster(seed=0)
    for name in ("deployment-controller", "replicaset-controller"):
        ctrl = c.controller_manager.get(name)
        if ctrl is not None:
            ctrl.stop()
    return c



def deployment_rt(c):
    return c.api.registry.resolve("deploy")


def make_deployment(c, name: str, containers: list[dict], replicas: int = 3, annotations: dict | None = None) -> dict:
    md = {"name": name, "labels": {"app": name}}
    if annotations:
        md["annotations"] = annotations
    return c.api.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md,
                         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                                  "template": {"metadata": {"labels": {"app": name}},
                                               "spec": {"containers": copy.deepcopy(containers)}}}}, "default")


def make_rs(c, d: dict, hash_: str, containers: list[dict], revision: int, replicas: int,
            cause: str | None = None) -> dict:
    name = d["metadata"]["name"]
    labels = {"app": name, "pod-template-hash": hash_}
    annotations = {"deployment.kubernetes.io/desired-replicas": str(d["spec"]["replicas"]),
                   "deployment.kubernetes.io/max-replicas": str(d["spec"]["replicas"] + 1),
                   "deployment.kubernetes.io/revision": str(revision)}
    if cause:
        annotations["kubernetes.io/change-cause"] = cause
    rs = c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                       "metadata": {"name": f"{name}-{hash_}", "labels": labels, "annotations": annotations,
                                    "ownerReferences": [owner_reference(d)]},
                       "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                                "template": {"metadata": {"labels": labels},
                                             "spec": {"containers": copy.deepcopy(containers)}}}}, "default")
    c.advance(1)  # ReplicaSets of different revisions are created at different times
    return rs


@pytest.fixture
def web():
    """web at revision 2 (nginx:1.27, recorded), revision 1 (nginx:1.25) scaled to 0."""
    c = stopped_cluster()
    d = make_deployment(c, "web", [NGINX_127], annotations={"deployment.kubernetes.io/revision": "2",
                                                             "kubernetes.io/change-cause": CAUSE})
    make_rs(c, d, "5f7d8c9b4c", [NGINX_125], 1, 0)
    make_rs(c, d, "6d8f9c7b5d", [NGINX_127], 2, 3, CAUSE)
    return c


def test_history_table_and_revision_match_the_transcripts(web):
    assert out(web.kubectl("rollout history deployment/web")) == (HISTORY, "", 0)
    assert out(web.kubectl("rollout history deploy web")) == (HISTORY, "", 0)
    assert out(web.kubectl("rollout history deployment/web --revision=2")) == (HISTORY_REV2, "", 0)
    assert out(web.kubectl("rollout history deployment/web --revision=7")) == (
        "", "error: unable to find the specified revision\n", 1)


def test_history_output_prints_the_revisions_replica_sets(web):
    assert out(web.kubectl("rollout history deployment/web -o name")) == (
        "replicaset.apps/web-5f7d8c9b4c\nreplicaset.apps/web-6d8f9c7b5d\n", "", 0)
    assert out(web.kubectl("rollout history deployment/web -o name --revision=1")) == (
        "replicaset.apps/web-5f7d8c9b4c\n", "", 0)


def test_history_without_replica_sets_and_of_kinds_without_history():
    c = stopped_cluster()
    make_deployment(c, "roll", [NGINX_125])
    assert out(c.kubectl("rollout history deployment/roll")) == (
        "deployment.apps/roll \nNo rollout history found.\n", "", 0)
    assert c.kubectl("run db --image=nginx").ok
    assert out(c.kubectl("rollout history pod/db")) == (
        "", 'error: no history viewer has been implemented for "Pod"\n', 1)
    assert out(c.kubectl("rollout history svc/kubernetes")) == (
        "", 'error: error retrieving history for "Service", no visitor method exists for { Service}\n', 1)
    assert out(c.kubectl("rollout history deployment/nope")) == (
        "", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)


def test_history_ignores_replica_sets_of_other_owners(web):
    other = make_deployment(web, "other", [NGINX_125])
    make_rs(web, other, "7c8d9f4b5d", [NGINX_125], 5, 1)
    assert out(web.kubectl("rollout history deployment/web")) == (HISTORY, "", 0)


def test_undo_dry_run_matches_the_transcript(web):
    assert out(web.kubectl("rollout undo deployment/web --dry-run=client")) == (UNDO_DRY_RUN, "", 0)
    assert web.api.get(deployment_rt(web), "default", "web")["spec"]["template"]["spec"]["containers"][0]["image"] \
        == "nginx:1.27"


def test_undo_copies_the_previous_template_and_its_annotations(web):
    before = web.api.get(deployment_rt(web), "default", "web")
    assert out(web.kubectl("rollout undo deployment/web")) == ("deployment.apps/web rolled back\n", "", 0)
    d = web.api.get(deployment_rt(web), "default", "web")
    rs1 = web.api.get(web.api.registry.resolve("rs"), "default", "web-5f7d8c9b4c")
    expected = copy.deepcopy(rs1["spec"]["template"])
    del expected["metadata"]["labels"]["pod-template-hash"]
    assert d["spec"]["template"] == expected
    # rollback.go: the deployment keeps its revision annotation; revision 1 had no change-cause, so
    # the recorded one is gone
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "2"}
    assert d["metadata"]["generation"] == before["metadata"]["generation"] + 1
    # the template now matches revision 1
    assert out(web.kubectl("rollout undo deployment/web --to-revision=1")) == (
        "deployment.apps/web skipped rollback (current template already matches revision 1)\n", "", 0)


def test_undo_errors(web):
    assert out(web.kubectl("rollout undo deployment/web --to-revision=9")) == (
        "", "error: unable to find specified revision 9 in history\n", 1)
    assert out(web.kubectl("rollout undo deployment/web --to-revision=-1")) == (
        "", "error: unable to find specified revision -1 in history\n", 1)
    assert out(web.kubectl("rollout pause deployment/web")) == ("deployment.apps/web paused\n", "", 0)
    assert out(web.kubectl("rollout undo deployment/web")) == ("", (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try "
        "again\n"), 1)
    assert web.kubectl("run db --image=nginx").ok
    assert out(web.kubectl("rollout undo pod/db")) == ("", 'error: no rollbacker has been implemented for "Pod"\n', 1)
    c = stopped_cluster()
    d = make_deployment(c, "one", [NGINX_125])
    make_rs(c, d, "5f7d8c9b4c", [NGINX_125], 1, 3)
    assert out(c.kubectl("rollout undo deployment/one")) == (
        "", 'error: no rollout history found for deployment "one"\n', 1)


def test_undo_to_revision_2_after_undo(web):
    assert web.kubectl("rollout undo deployment/web").ok
    assert out(web.kubectl("rollout undo deployment/web --to-revision=2")) == (
        "deployment.apps/web rolled back\n", "", 0)
    d = web.api.get(deployment_rt(web), "default", "web")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == CAUSE


def test_pause_resume_texts_match_the_transcript(web):
    # transcripts/verbs2.txt
    assert out(web.kubectl("rollout pause deployment/web")) == ("deployment.apps/web paused\n", "", 0)
    assert web.api.get(deployment_rt(web), "default", "web")["spec"]["paused"] is True
    assert out(web.kubectl("rollout pause deployment/web")) == (
        "", 'error: deployments.apps "web" is already paused\n', 1)
    assert out(web.kubectl("rollout restart deployment/web")) == (
        "", 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n', 1)
    assert out(web.kubectl("rollout resume deployment/web")) == ("deployment.apps/web resumed\n", "", 0)
    assert "paused" not in web.api.get(deployment_rt(web), "default", "web")["spec"]
    assert out(web.kubectl("rollout resume deployment/web")) == ("", 'error: deployments.apps "web" is not paused\n', 1)
    assert web.kubectl("run db --image=nginx").ok
    assert out(web.kubectl("rollout pause pod/db")) == ("", 'error: pods "db" pausing is not supported\n', 1)
    assert out(web.kubectl("rollout resume pod/db")) == ("", 'error: pods "db" resuming is not supported\n', 1)


def test_pause_several_reports_every_error(web):
    make_deployment(web, "api", [NGINX_125])
    assert web.kubectl("rollout pause deployment/web").ok
    r = web.kubectl("rollout pause deployment")  # every Deployment of the namespace
    assert out(r) == ("deployment.apps/api paused\n", 'error: deployments.apps "web" is already paused\n', 1)
    r = web.kubectl("rollout resume deployment/web deployment/nope")
    assert out(r) == ("deployment.apps/web resumed\n",
                      'Error from server (NotFound): deployments.apps "nope" not found\n', 1)
    assert out(web.kubectl("rollout resume deployment -l app=none")) == (
        "", "No resources found in default namespace.\n", 0)


def test_restart_sets_restarted_at_from_the_clock(web):
    assert out(web.kubectl("rollout restart deployment/web")) == ("deployment.apps/web restarted\n", "", 0)
    d = web.api.get(deployment_rt(web), "default", "web")
    assert d["spec"]["template"]["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": web.clock.rfc3339()}
    # within the same second the patch is empty
    assert out(web.kubectl("rollout restart deployment/web")) == ("", (
        "error: failed to create patch for web: if restart has already been triggered within the past second, "
        "please wait before attempting to trigger another\n"), 1)
    web.advance(1)
    assert out(web.kubectl("rollout restart deploy/web")) == ("deployment.apps/web restarted\n", "", 0)
    assert out(web.kubectl("rollout restart svc/kubernetes")) == (
        "", 'error: services "kubernetes" restarting is not supported\n', 1)


# -- rollout status: a watch on the simulated clock ------------------------------------------------------

def set_status(c, name: str, status: dict, generation_observed: bool = True) -> None:
    d = copy.deepcopy(c.api.get(deployment_rt(c), "default", name))
    if generation_observed:
        status = {"observedGeneration": d["metadata"]["generation"], **status}
    d["status"] = status
    c.api.update_status(d)


# the rollout of transcripts/rollout1.txt, one status write every 2 s
TIMELINE = [dict(replicas=5, updatedReplicas=1, readyReplicas=4, availableReplicas=4),
            dict(replicas=5, updatedReplicas=2, readyReplicas=4, availableReplicas=4),
            dict(replicas=5, updatedReplicas=4, readyReplicas=3, availableReplicas=3),
            dict(replicas=4, updatedReplicas=4, readyReplicas=3, availableReplicas=3),
            dict(replicas=4, updatedReplicas=4, readyReplicas=4, availableReplicas=4)]


@pytest.fixture
def roll():
    c = stopped_cluster()
    make_deployment(c, "roll", [NGINX_125], replicas=4)
    set_status(c, "roll", TIMELINE[0])
    t0 = c.clock.now
    for i, st in enumerate(TIMELINE[1:], start=1):
        c.clock.call_at(t0 + 2 * i, set_status, c, "roll", st)
    return c


def test_status_prints_a_line_per_change_until_done(roll):
    t0 = roll.clock.now
    assert out(roll.kubectl("rollout status deployment/roll")) == ("".join(ROLLOUT_LINES), "", 0)
    assert roll.clock.now == t0 + 8  # kubectl returned when the rollout finished
    assert out(roll.kubectl("rollout status deploy roll")) == (ROLLOUT_LINES[-1], "", 0)


def test_status_repeats_a_line_for_every_event(roll):
    t0 = roll.clock.now
    # a write that changes nothing the viewer reads (readyReplicas) still prints the line again
    roll.clock.call_at(t0 + 1, set_status, roll, "roll", dict(TIMELINE[0], readyReplicas=3))
    r = roll.kubectl("rollout status deployment/roll")
    assert r.stdout == ROLLOUT_LINES[0] * 2 + "".join(ROLLOUT_LINES[1:])


def test_status_watch_false_and_timeout(roll):
    t0 = roll.clock.now
    assert out(roll.kubectl("rollout status deployment/roll --watch=false")) == (ROLLOUT_LINES[0], "", 0)
    assert roll.clock.now == t0
    assert out(roll.kubectl("rollout status deployment/roll --timeout=3s")) == (
        "".join(ROLLOUT_LINES[:2]), "error: timed out waiting for the condition\n", 1)
    assert roll.clock.now == t0 + 3


def test_status_pinned_revision_and_generation_not_observed(roll):
    set_status(roll, "roll", TIMELINE[0], generation_observed=False)
    assert out(roll.kubectl("rollout status deployment/roll -w=false")) == (
        "Waiting for deployment spec update to be observed...\n", "", 0)
    assert out(roll.kubectl("rollout status deployment/roll --revision=2")) == (
        "", "error: desired revision (2) is different from the running revision (0)\n", 1)


def test_status_errors():
    c = stopped_cluster()
    assert c.kubectl("run db --image=nginx").ok
    assert out(c.kubectl("rollout status pod/db")) == ("", "error: no status viewer has been implemented for Pod\n", 1)
    assert out(c.kubectl("rollout status deployment/nope")) == (
        "", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)
    assert out(c.kubectl("rollout status rs/nope")) == (
        "", 'Error from server (NotFound): replicasets.apps "nope" not found\n', 1)
    assert out(c.kubectl("rollout status deployment")) == ("", "No resources found in default namespace.\n", 0)


def test_status_ends_on_progress_deadline_and_on_deletion(roll):
    t0 = roll.clock.now
    roll.clock.call_at(t0 + 1, set_status, roll, "roll", dict(TIMELINE[0], conditions=[
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
         "message": 'ReplicaSet "roll-x" has timed out progressing.', "lastUpdateTime": roll.clock.rfc3339(),
         "lastTransitionTime": roll.clock.rfc3339()}]))
    assert out(roll.kubectl("rollout status deployment/roll")) == (
        ROLLOUT_LINES[0], 'error: deployment "roll" exceeded its progress deadline\n', 1)
    c = stopped_cluster()
    make_deployment(c, "gone", [NGINX_125])
    set_status(c, "gone", dict(replicas=1, updatedReplicas=0))
    c.clock.call_at(c.clock.now + 5, lambda: c.api.delete(deployment_rt(c), "default", "gone"))
    r = c.kubectl("rollout status deployment/gone")
    assert out(r) == ('Waiting for deployment "gone" rollout to finish: 0 out of 3 new replicas have been updated...\n',
                      "error: object has been deleted\n", 1)


def test_status_holds_then_goes_on_as_an_open_stream():
    c = stopped_cluster()
    make_deployment(c, "slow", [NGINX_125], replicas=1)
    set_status(c, "slow", dict(replicas=1, updatedReplicas=0))
    t0 = c.clock.now
    line = 'Waiting for deployment "slow" rollout to finish: 0 out of 1 new replicas have been updated...\n'
    r = c.kubectl("rollout status deployment/slow")
    assert out(r) == (line, "", 0)
    assert c.clock.now == t0 + HOLD_LIMIT
    assert len(c.watches) == 1
    c.clock.call_at(c.clock.now + 10, set_status, c, "slow", dict(replicas=1, updatedReplicas=1,
                                                                    availableReplicas=1))
    assert c.advance(20) == 'deployment "slow" successfully rolled out\n'
    assert c.advance(20) == ""
    c.kubectl("get deploy")
    assert c.watches == []


def test_status_of_several_objects_one_after_another(roll):
    make_deployment(roll, "done", [NGINX_125], replicas=1)
    set_status(roll, "done", dict(replicas=1, updatedReplicas=1, availableReplicas=1))
    r = roll.kubectl("rollout status deployment")
    assert out(r) == ('deployment "done" successfully rolled out\n' + "".join(ROLLOUT_LINES), "", 0)


# -- end to end, with the ReplicaSet and Deployment controllers -------------------------------------------

def distinct(lines: list[str]) -> list[str]:
    """The lines without consecutive repeats (kubectl prints one line per watch event)."""
    out: list[str] = []
    for ln in lines:
        if not out or out[-1] != ln:
            out.append(ln)
    return out


def status_with_events(c, cmd: str):
    """Run ``rollout status`` and count the Deployment's watch events while it runs."""
    events = []
    stop = c.store.watch(lambda ev: events.append(ev.type), c.api.registry.resolve("deploy"))
    try:
        r = c.kubectl(cmd)
    finally:
        stop()
    return r, events


def w(name: str, text: str) -> str:
    return f'Waiting for deployment "{name}" rollout to finish: {text}...'


@pytest.fixture
def live():
    c = Cluster(seed=0)
    assert c.kubectl("create deployment web --image=nginx:1.27 --replicas=4").ok
    return c


def rs_names(c) -> list[str]:
    return [rs["metadata"]["name"] for rs in c.api.list(c.api.registry.resolve("rs"), "default")]


def test_e2e_create_then_status_prints_a_line_per_event(live):
    t0 = live.clock.now
    r, events = status_with_events(live, "rollout status deployment/web")
    lines = r.stdout.splitlines()
    assert (r.stderr, r.exit_code) == ("", 0)
    assert distinct(lines) == [w("web", f"{n} of 4 updated replicas are available") for n in range(4)] + [
        'deployment "web" successfully rolled out']
    # the initial list gives the first line, every MODIFIED event one more, until done
    assert len(lines) == 1 + len(events) and set(events) == {"MODIFIED"}
    assert 0 < live.clock.now - t0 < HOLD_LIMIT
    assert live.watches == []


def test_e2e_set_image_history_undo(live):
    assert live.kubectl("rollout status deployment/web").ok
    r = live.kubectl("set image deployment/web nginx=nginx:1.28 --record")
    assert out(r) == ("deployment.apps/web image updated\n",
                      "Flag --record has been deprecated, --record will be removed in the future\n", 0)
    r, events = status_with_events(live, "rollout status deployment/web")
    lines = distinct(r.stdout.splitlines())
    assert r.exit_code == 0 and lines[-1] == 'deployment "web" successfully rolled out'
    assert lines[-2] == w("web", "3 of 4 updated replicas are available")
    assert w("web", "1 old replicas are pending termination") in lines
    assert all(ln.startswith('Waiting for deployment "web" rollout to finish: ') for ln in lines[:-1])
    assert len(r.stdout.splitlines()) == 1 + len(events)
    cause = "kubectl set image deployment/web nginx=nginx:1.28 --record=true"
    assert out(live.kubectl("rollout history deployment/web")) == (
        f"deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         {cause}\n\n", "", 0)
    rs = {polymorphic.revision(x): x for x in live.api.list(live.api.registry.resolve("rs"), "default")}
    h2 = rs[2]["metadata"]["labels"]["pod-template-hash"]
    assert out(live.kubectl("rollout history deployment/web --revision=2")) == ((
        "deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n"
        f"\tpod-template-hash={h2}\n  Annotations:\tkubernetes.io/change-cause: {cause}\n  Containers:\n   nginx:\n"
        "    Image:\tnginx:1.28\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n"
        "    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n"), "", 0)
    # undo to revision 1: its ReplicaSet becomes the new one again, as revision 3
    h1 = rs[1]["metadata"]["name"]
    assert out(live.kubectl("rollout undo deployment/web --to-revision=1")) == (
        "deployment.apps/web rolled back\n", "", 0)
    r = live.kubectl("rollout status deployment/web")
    assert r.exit_code == 0 and r.stdout.endswith('deployment "web" successfully rolled out\n')
    assert out(live.kubectl("rollout history deployment/web")) == (
        f"deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         {cause}\n3         <none>\n\n", "", 0)
    rs1 = live.api.get(live.api.registry.resolve("rs"), "default", h1)
    assert (rs1["spec"]["replicas"], polymorphic.revision(rs1)) == (4, 3)
    d = live.api.get(deployment_rt(live), "default", "web")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert "kubernetes.io/change-cause" not in d["metadata"]["annotations"]
    assert out(live.kubectl("rollout undo deployment/web --to-revision=3")) == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n", "", 0)


def test_e2e_pause_accumulates_changes_until_resume(live):
    assert live.kubectl("rollout status deployment/web").ok
    assert out(live.kubectl("rollout pause deployment/web")) == ("deployment.apps/web paused\n", "", 0)
    assert live.kubectl("set image deployment/web nginx=nginx:1.28").ok
    assert live.kubectl("set resources deployment/web --requests=cpu=10m").ok
    live.advance(30)
    assert len(rs_names(live)) == 1  # no rollout while paused
    assert out(live.kubectl("rollout status deployment/web --watch=false")) == (
        w("web", "0 out of 4 new replicas have been updated") + "\n", "", 0)
    # rollback.go looks the revision up first: with one ReplicaSet there is no previous one
    assert out(live.kubectl("rollout undo deployment/web")) == (
        "", 'error: no rollout history found for deployment "web"\n', 1)
    assert out(live.kubectl("rollout undo deployment/web --to-revision=1")) == ("", (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try "
        "again\n"), 1)
    assert out(live.kubectl("rollout resume deployment/web")) == ("deployment.apps/web resumed\n", "", 0)
    r = live.kubectl("rollout status deployment/web")
    assert r.exit_code == 0 and r.stdout.endswith('deployment "web" successfully rolled out\n')
    assert len(rs_names(live)) == 2  # one rollout for both changes
    assert out(live.kubectl("rollout history deployment/web")) == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", "", 0)


def test_e2e_restart_rolls_out_a_new_replica_set(live):
    assert live.kubectl("rollout status deployment/web").ok
    live.advance(5)
    restarted_at = live.clock.rfc3339()
    assert out(live.kubectl("rollout restart deployment/web")) == ("deployment.apps/web restarted\n", "", 0)
    r = live.kubectl("rollout status deployment/web")
    assert r.exit_code == 0 and r.stdout.endswith('deployment "web" successfully rolled out\n')
    new = [rs for rs in live.api.list(live.api.registry.resolve("rs"), "default") if rs["spec"]["replicas"] == 4]
    assert len(new) == 1 and polymorphic.revision(new[0]) == 2
    assert new[0]["spec"]["template"]["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": restarted_at}


def test_e2e_progress_deadline_ends_status_with_an_error(live):
    assert live.kubectl("rollout status deployment/web").ok
    assert live.kubectl("""patch deployment web -p '{"spec":{"progressDeadlineSeconds":20}}'""").ok
    assert live.kubectl("set image deployment/web nginx=nginx:1.9.1").ok  # no such tag: ErrImagePull
    t0 = live.clock.now
    r = live.kubectl("rollout status deployment/web")
    assert r.stderr == 'error: deployment "web" exceeded its progress deadline\n' and r.exit_code == 1
    assert r.stdout and all(ln.startswith('Waiting for deployment "web"') for ln in r.stdout.splitlines())
    assert 20 <= live.clock.now - t0 < 40
    assert out(live.kubectl("rollout undo deployment/web")) == ("deployment.apps/web rolled back\n", "", 0)
    r = live.kubectl("rollout status deployment/web")
    assert r.exit_code == 0 and r.stdout.endswith('deployment "web" successfully rolled out\n')


def test_e2e_scale_with_timeout_waits_for_the_replica_set(live):
    assert live.kubectl("rollout status deployment/web").ok
    assert out(live.kubectl("scale deployment web --replicas=2 --timeout=1m")) == (
        "deployment.apps/web scaled\n", "", 0)
    live.advance(40)  # graceful termination of the two removed pods
    pods = live.api.list(live.api.registry.resolve("po"), "default")
    assert len(pods) == 2
    # scaling never makes a revision
    assert out(live.kubectl("rollout history deployment/web")) == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n", "", 0)


def test_e2e_get_all_lists_workloads_in_kubectl_order(live):
    assert live.kubectl("rollout status deployment/web").ok
    text = live.kubectl("get all").stdout
    groups = text.split("\n\n")
    assert [g.splitlines()[0].split()[:2] for g in groups] == [
        ["NAME", "READY"], ["NAME", "TYPE"], ["NAME", "READY"], ["NAME", "DESIRED"]]
    assert [ln.split()[0].split("/")[0] for g in groups for ln in g.splitlines()[1:]] == \
        ["pod"] * 4 + ["service", "deployment.apps", "replicaset.apps"]
    assert groups[2].splitlines()[1].split()[:4] == ["deployment.apps/web", "4/4", "4", "4"]
    assert groups[3].splitlines()[1].split()[1:4] == ["4", "4", "4"]


# -- StatefulSet: ControllerRevisions (history.go printHistory, rollback.go StatefulSetRollbacker) ---------

def test_statefulset_history_undo_restart():
    c = stopped_cluster()

    def template(image):
        return {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": image}]}}

    sts = c.api.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
                        "spec": {"replicas": 0, "serviceName": "web", "selector": {"matchLabels": {"app": "web"}},
                                 "template": template("nginx:1.28")}}, "default")
    for rev, image in ((1, "nginx:1.27"), (2, "nginx:1.28")):
        t = copy.deepcopy(sts["spec"]["template"])
        t["spec"]["containers"][0]["image"] = image
        c.api.create({"apiVersion": "apps/v1", "kind": "ControllerRevision",
                      "metadata": {"name": f"web-{rev}", "labels": {"app": "web"},
                                   "ownerReferences": [owner_reference(sts)]},
                      "revision": rev, "data": {"spec": {"template": {**t, "$patch": "replace"}}}}, "default")
    assert out(c.kubectl("rollout history sts/web")) == (
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n", "", 0)
    template_1 = ("Pod Template:\n  Labels:\tapp=web\n  Containers:\n   nginx:\n    Image:\tnginx:1.27\n    Port:\t<none>\n"
                  "    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n"
                  "  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n")
    assert out(c.kubectl("rollout history sts/web --revision=1")) == (
        "statefulset.apps/web with revision #1\n" + template_1 + "\n", "", 0)
    assert out(c.kubectl("rollout undo sts/web --dry-run=client")) == (
        "statefulset.apps/web will roll back to " + template_1 + " (dry run)\n", "", 0)
    assert out(c.kubectl("rollout undo sts/web --to-revision=2")) == (
        "statefulset.apps/web skipped rollback (current template already matches revision 2)\n", "", 0)
    assert out(c.kubectl("rollout undo sts/web")) == ("statefulset.apps/web rolled back\n", "", 0)
    live = c.api.get(c.api.registry.resolve("sts"), "default", "web")
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    # transcripts/verbs2.txt
    assert out(c.kubectl("rollout restart sts/web")) == ("statefulset.apps/web restarted\n", "", 0)
    assert out(c.kubectl("rollout pause sts/web")) == ("", 'error: statefulsets.apps "web" pausing is not supported\n', 1)
