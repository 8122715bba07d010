"""Chapter 03's labs against the simulator: the wrong answers the outline anticipates get lower
marks with feedback in kubectl's words (reference answers, starters, malformed answers and the
10-seed stability of predict values are covered for every lab by ``test_labs.py``)."""
import pytest

from grading.engine import evaluate
from grading.labs import LABS, ch03


def _line(v, start):
    for ln in v.lines:
        if ln.text.startswith(start):
            return ln.render()
    raise AssertionError(f"no line starting {start!r} in:\n{v.text()}")


def test_chapter_03_labs():
    ids = [i for i in sorted(LABS) if i.startswith("03.")]
    assert ids == ["03.1", "03.2", "03.3", "03.4", "03.5", "03.6"]
    assert [LABS[i].kind for i in ids] == ["fix", "fix", "predict", "predict", "command", "command"]
    assert [LABS[i].points for i in ids] == [2, 2, 4, 4, 2, 2]


def test_03_1_starter_fails_in_the_yaml_parser_then_in_strict_decoding():
    v = evaluate(LABS["03.1"], LABS["03.1"].starter)
    assert v.points == 0
    assert _line(v, "applied") == ("  ✘ applied: error: error parsing answers/03.1.yaml: error converting YAML to "
                                  "JSON: yaml: line 17: could not find expected ':'")
    v = evaluate(LABS["03.1"], LABS["03.1"].starter.replace("service:go-demo-2", "service: go-demo-2"))
    assert v.points == 0
    assert _line(v, "applied") == (
        '  ✘ applied: Error from server (BadRequest): error when creating "answers/03.1.yaml": ReplicaSet in '
        'version "v1" cannot be handled as a ReplicaSet: strict decoding error: unknown field "sepc"')


def test_03_1_dropping_template_labels_breaks_intent():
    answer = ch03.GO_DEMO_ANSWER.replace("        db: mongo\n        language: go\n", "")
    v = evaluate(LABS["03.1"], answer)
    assert _line(v, "template labels") == ("  ✘ template labels include db=mongo and language=go: template labels "
                                          "service=go-demo-2,type=backend (missing db=mongo, language=go)")


def test_03_2_apps_v1_without_selector_names_both_causes():
    v = evaluate(LABS["03.2"], ch03.MC_USER_ANSWER.replace("  selector:\n    matchLabels:\n      app: mc-user\n", ""))
    assert v.points == 0
    assert _line(v, "applied") == (
        '  ✘ applied: The ReplicaSet "mc-user" is invalid: ; * spec.selector: Required value; '
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"mc-user"}: `selector` does not '
        'match template `labels`')


def test_03_2_keeping_the_unpullable_image():
    v = evaluate(LABS["03.2"], ch03.MC_USER_ANSWER.replace("nginx:1.27", "rainbow/mc-user:1.0.RELEASE"))
    assert v.points == 1.33
    line = _line(v, "READY 3 at t=60")
    assert line.startswith("  ✘ READY 3 at t=60: get rs mc-user shows DESIRED 3, CURRENT 3, READY 0 at t=60; mc-user-")
    assert "ImagePull" in line


def test_03_3_wrong_predictions():
    v = evaluate(LABS["03.3"], "pods80: 3\nweb80: 3\ndeleted: A\npods110: 3\n")
    assert v.points == 2
    assert _line(v, "deleted") == "  ✘ deleted (which pod is deleted after t=100: A, R or other): wrong"


def test_03_4_forgetting_pods_without_the_key():
    v = evaluate(LABS["03.4"], "a: p1,p2,p5\nb: p1,p3\nc: p1\nd: p4\n")
    assert v.points == 2
    assert [ln.ok for ln in v.lines] == [True, False, False, True]


def test_03_5_selector_is_immutable():
    v = evaluate(LABS["03.5"], LABS["03.5"].starter)
    assert v.points == 0.67
    assert _line(v, "both setup pods").endswith("are still controlled by the setup's ReplicaSet/go-demo-2 (same uid)")
    assert _line(v, "RS go-demo-2") == ("  ✘ RS go-demo-2 selects service=go-demo-2 with 3 replicas: "
                                       "replicaset.apps/go-demo-2: selector type=backend,service=go-demo-2, replicas 2")
    assert ('The ReplicaSet "go-demo-2" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
            'map[string]string{"service":"go-demo-2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
            'field is immutable') in v.runs[0].transcript_text()


def test_03_5_cascading_delete_loses_the_pods():
    v = evaluate(LABS["03.5"], ch03.NEW_SELECTOR_ANSWER.replace(" --cascade=orphan", ""))
    assert v.points == 0.67
    assert _line(v, "throughout").startswith("  ✘ throughout: neither setup pod is ever deleted: go-demo-2-")
    assert _line(v, "throughout").endswith("got a deletionTimestamp at t=0.0")
    assert _line(v, "both setup pods").endswith("is gone")


@pytest.mark.parametrize("answer", [
    "kubectl set image rs/web nginx=nginx:1.28\nkubectl delete pods -l app=web\n",
    "kubectl set image rs/web nginx=nginx:1.28\nkubectl delete pod web-1\nkubectl delete pod web-2\n"
    "kubectl delete pod web-3\n",
])
def test_03_6_deleting_too_fast_drops_below_two(answer):
    v = evaluate(LABS["03.6"], answer)
    assert v.points == 1.33
    assert _line(v, "throughout").startswith("  ✘ throughout: at least 2 serving pods (app=web): fell to 0 at t=")


def test_03_6_template_alone_changes_no_pod():
    v = evaluate(LABS["03.6"], "kubectl set image rs/web nginx=nginx:1.28\n")
    assert v.points == 1.33
    assert _line(v, "3 Ready pods") == ("  ✘ 3 Ready pods owned by web run nginx:1.28: web-1 (nginx:1.27), web-2 "
                                       "(nginx:1.27), web-3 (nginx:1.27) still running at t=20.0")
