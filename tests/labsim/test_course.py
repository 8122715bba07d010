"""The notebook toolkit (labsim.course) in an in-process IPython shell: chapter(), lab(), %%answer,
check(), hint(), grade(), %lab_history, and the presets."""
import pytest

IPython = pytest.importorskip("IPython")

from IPython.testing.globalipapp import start_ipython  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from labsim import course, magics  # noqa: E402
from labsim.presets import PresetError, make_cluster  # noqa: E402


@pytest.fixture(scope="module")
def ip():
    # start_ipython() returns None when another test module already started the shared shell
    return start_ipython() or IPython.get_ipython()


@pytest.fixture
def nb(ip, tmp_path, monkeypatch):
    """A notebook directory and a clean course state."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(course, "_state", course._State())
    yield ip
    magics.use_cluster(make_cluster("k3d-1", 0))


def run(ip, fn, *args, **kw):
    with capture_output() as cap:
        value = fn(*args, **kw)
    return value, cap.stdout


def test_presets():
    c = make_cluster("kubeadm-3", seed=7)
    assert c.kubectl("get nodes").stdout.splitlines()[1:] == [
        "k3d-kubelabs-agent-0    Ready    <none>                 30s   v1.32.4+k3s1",
        "k3d-kubelabs-agent-1    Ready    <none>                 30s   v1.32.4+k3s1",
        "k3d-kubelabs-server-0   Ready    control-plane,master   30s   v1.32.4+k3s1",
    ]
    assert "node-role.kubernetes.io/control-plane:NoSchedule" in c.kubectl(
        "describe node k3d-kubelabs-server-0").stdout
    with pytest.raises(PresetError, match="the 'ingress' preset comes with chapter 09"):
        make_cluster("ingress", 9)
    with pytest.raises(PresetError, match="unknown cluster preset 'k3d-2'"):
        make_cluster("k3d-2", 0)


def test_chapter_02_playground(nb):
    _, out = run(nb, course.chapter, "02")
    cluster = magics.current_cluster()
    assert out == ("Chapter 02 (02-probes) · playground cluster: preset k3d-1, seed 2, node "
                   "k3d-kubelabs-server-0, context k3d-kubelabs · namespace pod-example created\n")
    assert cluster.seed == 2
    assert "kubectl" in nb.magics_manager.magics["line"] and "answer" in nb.magics_manager.magics["cell"]
    with capture_output() as cap:
        nb.run_line_magic("kubectl", "get ns pod-example --no-headers")
    assert cap.stdout.split()[:2] == ["pod-example", "Active"]
    with pytest.raises(ValueError, match="no chapter '10'"):
        course.chapter("10")


def test_lab_then_answer_then_check(nb):
    _, out = run(nb, course.lab, "01.6")
    cluster = magics.current_cluster()
    assert cluster.seed == 106
    assert out.startswith("Lab 01.6 · command · 2 pts — Delete it now · fresh cluster (seed 106), setup done, t=0\n"
                          "$ kubectl get all\n"
                          "NAME          READY   STATUS    RESTARTS   AGE\n"
                          "pod/sleeper   1/1     Running   0          10s\n")
    # the learner plays on the lab cluster; the history is ready to paste
    with capture_output():
        nb.run_line_magic("kubectl", "delete pod sleeper --grace-period=5")
        nb.run_line_magic("sleep", "2")
    _, out = run(nb, nb.run_line_magic, "lab_history", "")
    assert out == "kubectl delete pod sleeper --grace-period=5\nsleep 2\n"
    # %%answer stores the body verbatim next to the notebook
    _, out = run(nb, nb.run_cell_magic, "answer", "01.6", "kubectl delete pod sleeper --grace-period=5\n")
    assert out == 'answer saved to answers/01.6.sh · check("01.6") replays it on a fresh cluster\n'
    with open("answers/01.6.sh") as f:
        assert f.read() == "kubectl delete pod sleeper --grace-period=5\n"
    v, out = run(nb, course.check, "01.6")
    assert (v.points, v.max_points) == (1.33, 2)
    assert out.endswith("  2/3 visible checks pass · 1.33/2 pts\n")  # no show=True offer on the first try
    # the graded run did not touch the learner's lab cluster
    assert magics.current_cluster() is cluster
    v, out = run(nb, course.check, "01.6")
    assert out.endswith('  2/3 visible checks pass · 1.33/2 pts · check("01.6", show=True) prints this replayed run\n')
    nb.run_cell_magic("answer", "01.6", "kubectl delete pod sleeper --now\n")
    v, out = run(nb, course.check, "01.6", show=True)
    assert v.full_marks
    with capture_output() as cap:
        nb.display_formatter.format(v)  # a verdict as a cell's last value shows nothing
        v._ipython_display_()
    assert cap.stdout == ""
    assert "Replayed run (views come in a later version; this is its transcript, seed 106):\n" \
           "$ kubectl delete pod sleeper --now\npod \"sleeper\" deleted\n" in out
    assert course.grade("01.6").points == 2
    # back to the same lab cluster, or a fresh one
    _, out = run(nb, course.lab, "01.6")
    assert magics.current_cluster() is cluster and out.startswith("Lab 01.6 · back on its cluster (seed 106, t=7s)")
    run(nb, course.lab, "01.6", reset=True)
    fresh = magics.current_cluster()
    assert fresh is not cluster and fresh.lab_history == []


def test_heredoc_cells_go_into_the_history(nb):
    run(nb, course.lab, "02.5")
    with capture_output():
        nb.run_cell_magic("kubectl", "apply -f -", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
        nb.run_cell_magic("kubectl", "", "kubectl get cm x\nsleep 1\n")
    assert magics.current_cluster().lab_history == [
        "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nEOF\n",
        "kubectl get cm x\n", "sleep 1\n"]


def test_lab_history_outside_a_lab(nb):
    run(nb, course.chapter, "01")
    _, out = run(nb, nb.run_line_magic, "lab_history", "")
    assert out == '%lab_history: the current cluster is not a lab cluster; start one with lab("NN.k")\n'


def test_predict_show_waits_for_a_right_answer(nb):
    nb.run_cell_magic("answer", "01.3", "p1: Failed\np2: Failed\np3: Running\np4: Succeeded\n")
    assert open("answers/01.3.txt").read().startswith("p1: Failed")
    v, out = run(nb, course.check, "01.3", show=True)
    assert v.points == 3
    assert out.endswith('(check("01.3", show=True) plays the scenario after a right answer or after two tries)\n')
    assert "Failed" not in out.split("\n", 1)[1].replace("p1: Failed", "")  # no value revealed
    v, out = run(nb, course.check, "01.3", show=True)
    assert "$ kubectl apply -f - <<'EOF'" in out  # second try: the scenario's transcript


def test_missing_answer_and_unknown_lab(nb):
    v, out = run(nb, course.check, "02.2")
    assert v.points == 0
    assert out == ("Lab 02.2 · self-check\n"
                   "  ✘ no answer saved: answers/02.2.yaml does not exist (run the %%answer 02.2 cell)\n"
                   "  0/3 pts\n")
    assert course.grade("02.2").points == 0
    _, out = run(nb, nb.run_cell_magic, "answer", "07.9", "x\n")
    assert out.startswith("%%answer: no lab '07.9'")
    _, out = run(nb, course.hint, "02.6")
    assert out.startswith("Hint for lab 02.6: A preStop hook runs before the stop signal")


def test_outside_ipython_the_helpers_still_work(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(course, "_ipython", lambda: None)
    monkeypatch.setattr(course, "_state", course._State())
    course.chapter(1)
    assert magics.current_cluster().seed == 1
    assert capsys.readouterr().out.startswith("Chapter 01 (01-pods) · playground cluster")
