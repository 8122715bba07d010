"""Chapter 05's labs against the simulator: the wrong answers the outline anticipates get lower
marks with feedback in kubectl's words (reference answers, starters, malformed answers and the
10-seed stability of predict values are covered for every lab by ``test_labs.py``)."""
from grading.engine import evaluate
from grading.labs import LABS, ch05


def _line(v, start):
    for ln in v.lines:
        if ln.text.startswith(start):
            return ln.render()
    raise AssertionError(f"no line starting {start!r} in:\n{v.text()}")


def test_chapter_05_labs():
    ids = [i for i in sorted(LABS) if i.startswith("05.")]
    assert ids == ["05.1", "05.2", "05.3", "05.4", "05.5", "05.6", "05.7"]
    assert [LABS[i].kind for i in ids] == ["fix", "write", "predict", "predict", "command", "command", "predict"]
    assert [LABS[i].points for i in ids] == [2, 3, 4, 3, 2, 2, 4]


def test_05_1_starter_creates_the_good_documents_and_lists_two_failures():
    v = evaluate(LABS["05.1"], LABS["05.1"].starter)
    assert v.points == 0.4
    assert _line(v, "applied") == (
        '  ✘ applied: service/go-demo-2-db created; service/go-demo-2-api created; Error from server (BadRequest): '
        'error when creating "answers/05.1.yaml": Deployment in version "v1" cannot be handled as a Deployment: '
        'strict decoding error: unknown field "spec.selector.metachLabels"; resource mapping not found for name: '
        '"go-demo-2-api" namespace: "" from "answers/05.1.yaml": no matches for kind "Deployment" in version '
        '"apps/v1beta2"; ensure CRDs are installed first')
    assert _line(v, "go-demo-2-api AVAILABLE") == "  ✘ go-demo-2-api AVAILABLE 3 at t=90: no Deployment go-demo-2-api at t=90"


def test_05_1_fixing_only_the_api_version():
    answer = LABS["05.1"].starter.replace("apps/v1beta2", "apps/v1")
    v = evaluate(LABS["05.1"], answer)
    assert _line(v, "Deployment go-demo-2-db") == ('  ✘ Deployment go-demo-2-db selects type=db,service=go-demo-2 with '
                                                  'strategy Recreate: deployments.apps "go-demo-2-db" not found')
    assert not _line(v, "go-demo-2-api AVAILABLE").startswith("  ✔")  # no database, no available api
    assert v.points < 2


def test_05_2_defaults_drop_serving_to_three():
    v = evaluate(LABS["05.2"], LABS["05.2"].starter)
    assert v.points == 1.8
    assert _line(v, "a readinessProbe") == "  ✘ a readinessProbe is present: no container has a readinessProbe"
    assert _line(v, "throughout: serving").startswith("  ✘ throughout: serving(app=web) ≥ 4 once reached: fell to 3 at "
                                                     "t=60.0 (web-")


def test_05_2_surge_two_exceeds_five_live_pods():
    answer = ch05.ZERO_ANSWER.replace("maxSurge: 1", "maxSurge: 2")
    v = evaluate(LABS["05.2"], answer)
    assert _line(v, "throughout: live") == "  ✘ throughout: live pods ≤ 5: max 6 at t=60.0"


def test_05_2_both_zero_is_rejected():
    answer = ch05.ZERO_ANSWER.replace("maxSurge: 1", "maxSurge: 0")
    v = evaluate(LABS["05.2"], answer)
    assert v.points == 0
    assert "may not be 0 when `maxSurge` is 0" in _line(v, "applied")


def test_05_3_the_seed_expectation_of_two_available_is_wrong():
    v = evaluate(LABS["05.3"], "old: 7\nnew: 5\nready: 8/10\navailable: false\n")
    assert v.points == 2
    assert [ln.ok for ln in v.lines] == [False, True, True, False]


def test_05_4_undo_thinking():
    v = evaluate(LABS["05.4"], "rs_count: 3\nowner: newest\nrevisions: 1,2,3\n")
    assert v.points == 0


def test_05_5_pausing_first_freezes_the_canary():
    answer = "\n".join([ch05.CANARY_ANSWER.splitlines()[0], ch05.CANARY_ANSWER.splitlines()[2],
                        ch05.CANARY_ANSWER.splitlines()[1]]) + "\n"
    v = evaluate(LABS["05.5"], answer)
    assert _line(v, "the nginx:1.28 ReplicaSet") == ("  ✘ the nginx:1.28 ReplicaSet has 1 replica, 1 Ready: no ReplicaSet "
                                                    "runs nginx:1.28")
    assert _line(v, "get deploy shows") == ("  ✘ get deploy shows 6/5 1 6: kubectl get deploy flask-deploy: READY 5/5, "
                                           "UP-TO-DATE 0, AVAILABLE 5")


def test_05_5_default_strategy_takes_an_old_pod_down():
    answer = "kubectl set image deployment/flask-deploy nginx=nginx:1.28\nkubectl rollout pause deployment/flask-deploy\n"
    v = evaluate(LABS["05.5"], answer)
    assert _line(v, "paused, with") == ("  ✘ paused, with maxSurge 1 and maxUnavailable 0: paused: true, maxSurge 25%, "
                                       "maxUnavailable 25%")
    assert v.points < 2


def test_05_6_unquoted_password_is_rejected_and_nothing_changes():
    v = evaluate(LABS["05.6"], LABS["05.6"].starter)
    assert v.points == 0.67
    assert _line(v, "the ConfigMap") == ("  ✘ the ConfigMap holds the new values as strings: data still holds "
                                        "DATASOURCE_URL='jdbc:mysql://mysql/mc-user', DATASOURCE_PASSWORD='654321'")
    assert (": cannot convert int64 to string"
            in v.runs[0].transcript_text())


def test_05_6_applying_without_a_restart_leaves_the_old_environment():
    answer = ch05.MC_CONFIG_ANSWER.replace("kubectl rollout restart deployment/mc-user\n", "")
    v = evaluate(LABS["05.6"], answer)
    assert v.points == 1.33
    assert "printenv DATASOURCE_URL prints 'jdbc:mysql://mysql/mc-user'" in _line(v, "every pod")


def test_05_6_deleting_all_pods_is_an_outage():
    answer = ch05.MC_CONFIG_ANSWER.replace("kubectl rollout restart deployment/mc-user\n",
                                           "kubectl delete pods -l app=mc-user\n")
    v = evaluate(LABS["05.6"], answer)
    assert _line(v, "throughout").startswith("  ✘ throughout: serving(app=mc-user) ≥ 2: fell to 0 at t=")


def test_05_7_expecting_an_automatic_rollback():
    v = evaluate(LABS["05.7"], "status30: B\nreason120: ProgressDeadlineExceeded\nserving120: 4\nrolledback: yes\n")
    assert v.points == 2
