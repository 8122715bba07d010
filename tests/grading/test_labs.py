"""Every lab of chapters 01 and 02 against the real simulator: the reference answer gets full
marks on the reference seed and the 2 extra seeds, wrong answers the outline anticipates get
lower marks with feedback in kubectl's words, malformed answers get 0 with kubectl's error and
never crash the checker, and the predict labs' values are seed-independent (A.5.3)."""
import pytest

from grading.engine import EXTRA_SEED_OFFSETS, evaluate, run_lab
from grading.labs import LABS, ch01, ch02, get

ALL = sorted(LABS)
OLD = [i for i in ALL if i[:2] in ("01", "02")]  # chapters 03 and 05: test_labs_ch03.py, _ch05.py


def _line(v, start):
    """The self-check line whose text starts with ``start`` (its rendered form)."""
    for ln in v.lines:
        if ln.text.startswith(start):
            return ln.render()
    raise AssertionError(f"no line starting {start!r} in:\n{v.text()}")


def test_registry_has_chapters_01_and_02():
    assert OLD == ["01.1", "01.2", "01.3", "01.4", "01.5", "01.6",
                   "02.1", "02.2", "02.3", "02.4", "02.5", "02.6"]
    assert [LABS[i].kind for i in OLD] == ["fix", "fix", "predict", "predict", "command", "command",
                                           "fix", "write", "predict", "predict", "command", "write"]
    assert [LABS[i].points for i in OLD] == [2, 2, 4, 3, 2, 2, 2, 3, 3, 3, 2, 3]
    assert [LABS[i].seed for i in OLD] == [101, 102, 103, 104, 105, 106, 201, 202, 203, 204, 205, 206]
    with pytest.raises(KeyError, match="no lab '01.9': the labs are 01.1, 01.2, 01.3, 01.4, 01.5, 01.6"):
        get("01.9")


@pytest.mark.parametrize("lab_id", ALL)
def test_reference_answer_gets_full_marks(lab_id):
    lab = LABS[lab_id]
    v = evaluate(lab, lab.answer)
    assert v.points == lab.points, v.text()
    assert all(ln.ok for ln in v.lines), v.text()
    if lab.kind != "predict":  # also replayed on the 2 extra seeds
        assert [r.seed for r in v.runs] == [lab.seed] + [lab.seed + o for o in EXTRA_SEED_OFFSETS]


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].kind != "predict"])
def test_starter_does_not_pass(lab_id):
    lab = LABS[lab_id]
    v = evaluate(lab, lab.starter)
    assert v.points < lab.points, v.text()


def test_verdict_text_format():
    v = evaluate(LABS["01.2"], LABS["01.2"].answer)
    assert v.text() == (
        "Lab 01.2 · self-check — replayed on a fresh cluster (seed 102; also seeds 10102, 20102)\n"
        "  ✔ applied: pod/sleeper created\n"
        "  ✔ grader at t=20: kubectl delete pod sleeper --wait=false\n"
        "  ✔ sleeper is gone after t=24 and by t=27: gone at t=25.0, 5.0 s after the delete\n"
        "  ✔ the container still runs sleep 3600: busybox runs sleep 3600\n"
        "  3/3 visible checks pass · 2/2 pts\n")


# -- wrong answers the outline anticipates ----------------------------------------------------------

def test_01_1_keeping_reset_crashes():
    v = evaluate(LABS["01.1"], ch01.DB_ANSWER.replace("--rest", "--reset"))
    assert (v.points, v.passed, v.total) == (1.0, 2, 4)
    line = _line(v, "at t=60")
    assert line.startswith("  ✘ at t=60: Running, 1/1 READY, RESTARTS 0: db is 0/1 CrashLoopBackOff, RESTARTS 3 (")
    assert "last exit: Error (exit code 2)" in line
    assert line.endswith("kubectl logs db --previous: Error parsing command line: unrecognised option '--reset'")
    assert _line(v, "args") == "  ✘ args contain no --reset: args are ['--reset', '--httpinterface']"


def test_01_1_flattened_starter_is_rejected_with_kubectl_text():
    v = evaluate(LABS["01.1"], LABS["01.1"].starter)
    assert v.points == 0
    assert _line(v, "applied").endswith('from server for: "answers/01.1.yaml": resource name may not be empty')
    assert _line(v, "args") == "  ✘ args contain no --reset: not checked: the answer was not applied"


def test_01_2_default_grace_period_is_too_slow():
    v = evaluate(LABS["01.2"], LABS["01.2"].starter.replace("  gracePeriodSeconds: 5\n", ""))
    assert v.points == 1.33
    assert _line(v, "sleeper is gone") == ("  ✘ sleeper is gone after t=24 and by t=27: sleeper still exists at "
                                          "t=40.0 (sleeper is 1/1 Terminating, RESTARTS 0 at t=40.0)")


def test_01_2_starter_gets_the_strict_decoding_error():
    v = evaluate(LABS["01.2"], LABS["01.2"].starter)
    assert v.points == 0
    assert _line(v, "applied") == (
        '  ✘ applied: Error from server (BadRequest): error when creating "answers/01.2.yaml": Pod in version '
        '"v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.gracePeriodSeconds"')
    assert _line(v, "grader at t=20") == ('  ✘ grader at t=20: kubectl delete pod sleeper --wait=false → '
                                         'Error from server (NotFound): pods "sleeper" not found')


def test_01_5_without_the_context_change():
    answer = ch01.NS_ANSWER.replace("kubectl config set-context --current --namespace=pod-example\n", "")
    v = evaluate(LABS["01.5"], answer)
    assert (v.points, v.passed) == (1.0, 2)
    assert _line(v, "kubectl get pods") == ("  ✘ kubectl get pods (no -n) lists nginx-demo: kubectl get pods "
                                           "prints: No resources found in default namespace.")


def test_01_5_namespace_created_too_late():
    answer = "kubectl apply -f - <<'EOF'\n" + ch01.NGINX_DEMO + "EOF\nkubectl create namespace pod-example\n"
    v = evaluate(LABS["01.5"], answer)
    assert v.points == 0.5
    assert _line(v, "nginx-demo") == ("  ✘ nginx-demo is 1/1 Running in pod-example: pod nginx-demo does not exist "
                                     "in namespace pod-example at t=20.0")
    assert 'namespaces "pod-example" not found' in v.runs[0].transcript_text()


@pytest.mark.parametrize("answer,points", [
    ("kubectl delete pod sleeper\n", 1.33),                      # waits the 30 s grace period
    ("kubectl delete pod sleeper --grace-period=5\n", 1.33),
    ("kubectl delete pod sleeper --grace-period=2\n", 2),
    ("kubectl delete pod sleeper --force --grace-period=0\n", 2),
    ("kubectl get pods\n", 0),                                    # sleeper is never deleted
])
def test_01_6_delete_variants(answer, points):
    assert evaluate(LABS["01.6"], answer).points == points


def test_01_6_blocking_delete_feedback():
    v = evaluate(LABS["01.6"], "kubectl delete pod sleeper\n")
    assert _line(v, "sleeper is NotFound") == ("  ✘ sleeper is NotFound at most 4 s after the delete: kubectl get "
                                              "pod sleeper says NotFound 30.0 s after the delete (t=30.0)")


def test_02_1_without_working_dir_restarts_every_15_s():
    v = evaluate(LABS["02.1"], ch02.LIVENESS_ANSWER.replace("    workingDir: /usr/share/nginx/html\n", ""))
    assert (v.passed, v.total) == (3, 5)
    line = _line(v, "at t=30")
    assert "RESTARTS 1 (" in line and line.endswith("Liveness probe failed: HTTP probe failed with statuscode: 404)")


def test_02_1_duplicated_period_keeps_the_last_value():
    answer = ch02.LIVENESS_ANSWER.replace("      periodSeconds: 5\n", "      periodSeconds: 5\n      periodSeconds: 3\n")
    v = evaluate(LABS["02.1"], answer)
    assert _line(v, "describe") == ("  ✘ describe shows Liveness … period=5s: describe shows `Liveness: http-get "
                                   "http://:80/wellcome.html delay=5s timeout=5s period=3s #success=1 #failure=3`")
    assert v.points < 2


def test_02_2_readiness_on_the_wrong_path_stays_not_ready():
    v = evaluate(LABS["02.2"], ch02.GATE_ANSWER.replace("/ready.html", "/readyz.html"))
    assert v.points == 2.25
    assert _line(v, "Ready by") == ("  ✘ Ready by t=36: your pod stays 0/1 READY at t=36: Readiness probe "
                                   "failed: HTTP probe failed with statuscode: 404")


def test_02_2_liveness_instead_of_readiness_restarts():
    v = evaluate(LABS["02.2"], ch02.GATE_ANSWER.replace("readinessProbe", "livenessProbe"))
    assert (v.points, v.passed) == (1.5, 2)
    assert "(nothing keeps it from being Ready before the file exists)" in _line(v, "at t=30")
    assert "(last exit: Completed (exit code 0); " in _line(v, "RESTARTS 0 at t=90")


def test_02_5_replacing_the_pod():
    v = evaluate(LABS["02.5"], "kubectl delete pod slow\nkubectl run slow --image=nginx:1.27\n")
    assert v.points == 1.33
    assert _line(v, "the same pod") == ("  ✘ the same pod as after the setup: slow was replaced by a new pod "
                                       "(another uid): it was deleted and created again")


def test_02_5_file_in_the_wrong_directory():
    v = evaluate(LABS["02.5"], "kubectl exec slow -- sh -c 'echo ok > ready.html'\n")
    assert _line(v, "Ready") == ("  ✘ Ready: slow is 0/1 Running, RESTARTS 0 at t=20.0: Readiness probe failed: "
                                "HTTP probe failed with statuscode: 404")


def test_02_6_without_a_hook_the_container_stops_at_once():
    v = evaluate(LABS["02.6"], LABS["02.6"].starter)
    assert v.points == 2.4
    assert _line(v, "container still running") == ("  ✘ container still running at t=37: drain was already "
                                                  "gone at t=37 (since t=30.0)")


def test_02_6_hook_longer_than_the_deadline():
    answer = ch02.DRAIN_ANSWER.replace("sleep 10", "sleep 40").replace("  terminationGracePeriodSeconds: 20\n", "")
    v = evaluate(LABS["02.6"], answer)
    assert _line(v, "gone by") == "  ✘ gone by t=45: drain still exists at t=50.0"


# -- malformed answers: 0 points, kubectl's error, no crash -------------------------------------------

BAD_YAML = "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n"


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].answer_ext == "yaml"])
def test_bad_yaml_gets_zero_with_the_parse_error(lab_id):
    v = evaluate(LABS[lab_id], BAD_YAML)
    assert v.points == 0
    assert _line(v, "applied") == (f"  ✘ applied: error: error parsing answers/{lab_id}.yaml: error converting "
                                  "YAML to JSON: yaml: line 3: did not find expected node content")


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].answer_ext == "yaml"
                                    and "\n---\n" not in LABS[i].answer])  # one document: all or nothing
def test_unknown_field_gets_zero_with_the_strict_decoding_error(lab_id):
    answer = LABS[lab_id].answer.replace("spec:\n", "spec:\n  restartpolicy: Always\n", 1)
    v = evaluate(LABS[lab_id], answer)
    assert v.points == 0
    assert _line(v, "applied").endswith('strict decoding error: unknown field "spec.restartpolicy"')


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].answer_ext == "yaml"])
@pytest.mark.parametrize("answer", ["", "- just\n- a list\n", "\x00\x01", "kind: Pod\n" * 3, "{" * 200])
def test_hostile_yaml_never_crashes(lab_id, answer):
    v = evaluate(LABS[lab_id], answer)
    assert v.points == 0
    assert not v.lines[0].ok


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].kind == "command"])
def test_malformed_script_gets_zero(lab_id):
    v = evaluate(LABS[lab_id], "kubectl get pods | grep $(whoami)\n")
    assert v.points == 0
    assert v.lines[0].render() == (f"  ✘ script: answers/{lab_id}.sh:1: command substitution ('$(...)' or "
                                   "backquotes) is not supported in scenario scripts")


def test_script_confined_to_its_workspace():
    v = evaluate(LABS["01.6"], "cat /etc/passwd\nkubectl delete pod sleeper --now\n")
    assert v.points == 2
    assert "cat: /etc/passwd: outside the scenario's workspace" in v.runs[0].transcript_text()


@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].kind == "predict"])
@pytest.mark.parametrize("answer", ["", "nonsense", "a: b: c\n", "\x00", ":\n" * 5])
def test_malformed_predictions_never_crash(lab_id, answer):
    v = evaluate(LABS[lab_id], answer)
    assert v.points == 0
    assert all(ln.text.endswith(("no value given", "wrong")) or not ln.counted or "not a number" in ln.text
               for ln in v.lines), v.text()


def test_prediction_feedback_never_shows_values():
    v = evaluate(LABS["01.3"], "p1: failed\np2: RUNNING\np3: Succeeded\n")
    assert v.text() == (
        "Lab 01.3 · self-check — scenario replayed on a fresh cluster (seed 103)\n"
        "  ✔ p1 (phase of p1 at t=60): right\n"
        "  ✔ p2 (phase of p2 at t=60): right\n"
        "  ✘ p3 (phase of p3 at t=60): wrong\n"
        "  ✘ p4 (phase of p4 at t=60): no value given\n"
        "  2/4 answers right · 2/4 pts\n")


def test_prediction_numbers_accept_units_and_reject_words():
    v = evaluate(LABS["01.4"], "restarts: 3\nwait4: 40s\nstatus: crashloopbackoff\n")
    assert v.points == 3
    v = evaluate(LABS["02.3"], "unhealthy: three\nmaxdelay: 30\nrestarts: 1\n")
    assert v.points == 2
    assert v.lines[0].render() == "  ✘ unhealthy (Unhealthy count at the first kill): 'three' is not a number"


# -- predict labs are seed-independent (A.5.3) -----------------------------------------------------------

@pytest.mark.parametrize("lab_id", [i for i in ALL if LABS[i].kind == "predict"])
def test_predict_values_stable_across_10_seeds(lab_id):
    lab = LABS[lab_id]
    expected = dict(line.split(": ") for line in lab.answer.strip().splitlines())
    for i in range(10):
        base = lab.seed + 1000 * i
        runs = [run_lab(lab, "", base + off) for off in (0,) + EXTRA_SEED_OFFSETS][: lab.predict_seeds]
        got = {k.name: str(k.truth(runs)) for k in lab.keys}
        assert got == expected, f"seed {base}"
