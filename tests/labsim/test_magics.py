"""``%load_ext labsim``: %kubectl, %%kubectl, %sleep in an in-process IPython shell."""
import pytest

IPython = pytest.importorskip("IPython")

from IPython.testing.globalipapp import start_ipython  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from labsim import Cluster  # noqa: E402
from labsim import magics  # noqa: E402
from labsim.kubectl import cli  # noqa: E402

BOGUS = "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"


@pytest.fixture(scope="module")
def ip():
    shell = start_ipython() or IPython.get_ipython()  # None when another module started it
    shell.run_line_magic("load_ext", "labsim")
    return shell


@pytest.fixture
def cluster(ip):
    c = magics.use_cluster(Cluster(seed=0))
    yield c
    magics.use_cluster(Cluster(seed=0))


@pytest.fixture
def echo_create(monkeypatch):
    """A stand-in ``kubectl create`` printing its arguments, each ``-f`` file (read through the real
    file visitor) and stdin, with a stderr line between stdout lines."""
    def handler(inv):
        inv.println(f"args={inv.args}")
        inv.eprintln("stderr-1")
        for f in inv.opts.get("filename") or []:
            if f != "-":
                inv.out(f"[{f}]\n" + inv.read_file(f))
        inv.println(f"stdin={inv.stdin!r}")
    cli.handlers()
    monkeypatch.setitem(cli._HANDLERS, "create", handler)


class ConfigMapWatch:
    """A stand-in ``kubectl get configmaps -w`` stream (the interface of labsim.kubectl.watch)."""

    def __init__(self, cluster):
        self.rows, self.stopped = [], False
        self._unwatch = cluster.store.watch(self._on_event, cluster.registry.resolve("configmaps"))

    def _on_event(self, ev):
        self.rows.append(f"{ev.type} {ev.object['metadata']['name']} t={ev.time:g}\n")

    def drain(self):
        out, self.rows = "".join(self.rows), []
        return out

    def stop(self):
        self.stopped = True
        self._unwatch()


def _cm(name):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"}}


def run(ip, cell):
    with capture_output() as cap:
        result = ip.run_cell(cell)
    assert result.error_in_exec is None and result.error_before_exec is None
    assert cap.stderr == ""  # kubectl's stderr is printed as the terminal shows it: on stdout
    return cap.stdout


def test_line_magic_prints_stdout_and_stderr_as_a_terminal(ip, cluster):
    assert run(ip, "%kubectl get pods --bogus") == BOGUS
    assert magics.last_result().exit_code == 1
    assert run(ip, "%kubectl kubectl get pods --bogus") == BOGUS  # a typed "kubectl" word is accepted


def test_line_magic_does_not_expand_python_variables(ip, cluster, echo_create):
    ip.user_ns["name"] = "EXPANDED"
    out = run(ip, "%kubectl create -f '{name}.yaml' $name")
    assert out == "args=['$name']\nstderr-1\nerror: the path \"{name}.yaml\" does not exist\n"


def test_relative_files_resolve_in_the_notebook_directory(ip, cluster, echo_create, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run(ip, "%%writefile cm.yaml\nkind: ConfigMap\n")
    assert out == "Writing cm.yaml\n"
    assert run(ip, "%kubectl create -f cm.yaml") == "args=[]\nstderr-1\n[cm.yaml]\nkind: ConfigMap\nstdin=None\n"


def test_notebook_directory_wins_over_the_clusters_workdir(ip, echo_create, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "cm.yaml").write_text("kind: Elsewhere\n")
    (tmp_path / "cm.yaml").write_text("kind: Here\n")
    monkeypatch.chdir(tmp_path)
    c = magics.use_cluster(Cluster(seed=0, workdir=str(elsewhere)))
    assert run(ip, "%kubectl create -f cm.yaml") == "args=[]\nstderr-1\n[cm.yaml]\nkind: Here\nstdin=None\n"
    assert run(ip, "%%kubectl\nkubectl create -f cm.yaml\ncat cm.yaml\n") == (
        "args=[]\nstderr-1\n[cm.yaml]\nkind: Here\nstdin=None\nkind: Here\n")
    assert c.workdir == str(elsewhere)


def test_cell_magic_with_args_uses_the_body_as_stdin(ip, cluster, echo_create):
    out = run(ip, "%%kubectl create -f -\nkind: Pod\nmetadata: {name: x}\n")
    assert out == "args=[]\nstderr-1\nstdin='kind: Pod\\nmetadata: {name: x}\\n'\n"


def test_cell_magic_without_args_applies_a_manifest(ip, cluster, monkeypatch):
    seen = []

    def apply(inv):
        seen.append((inv.path, inv.opts.get("filename"), inv.stdin))
        inv.println("configmap/x created")
    cli.handlers()
    monkeypatch.setitem(cli._HANDLERS, "apply", apply)
    body = "# a comment first\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
    assert run(ip, "%%kubectl\n" + body) == "configmap/x created\n"
    assert seen == [("apply", ["-"], body)]


def test_cell_magic_without_args_runs_a_command_list(ip, cluster, echo_create):
    cell = ("%%kubectl\n"
            "# commands, one a line\n"
            "kubectl get pods --bogus\n"
            "kubectl create -f - <<EOF\n"
            "kind: Pod\n"
            "EOF\n"
            "sleep 2m\n"
            "echo done\n")
    assert run(ip, cell) == BOGUS + "args=[]\nstderr-1\nstdin='kind: Pod\\n'\ndone\n"
    assert cluster.now == 150.0
    assert magics.last_result().stdout == "args=[]\nstdin='kind: Pod\\n'\n"


def test_cell_magic_command_list_errors_name_the_cell_line(ip, cluster):
    assert run(ip, "%%kubectl\nkubectl get pods\nrm -rf /\n") == (
        "error: unknown command 'rm': a scenario line runs kubectl, sleep, echo or cat (cell line 2)\n")


def test_sleep_advances_the_clock(ip, cluster):
    assert run(ip, "%sleep 40") == ""
    assert cluster.now == 70.0
    assert run(ip, "%sleep 1m 30s") == ""
    assert cluster.now == 160.0
    assert run(ip, "%sleep soon") == "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n"
    assert run(ip, "%sleep") == "sleep: missing operand\nTry 'sleep --help' for more information.\n"
    assert cluster.now == 160.0


def test_watch_prints_rows_during_sleep_and_stops_at_the_end_of_the_cell(ip, cluster):
    w = ConfigMapWatch(cluster)
    cluster.watches.append(w)
    for t, name in ((10, "a"), (30, "b"), (50, "c")):
        cluster.clock.call_at(cluster.now + t, cluster.api.create, _cm(name))
    ip.user_ns["create_cm"] = lambda name: (cluster.api.create(_cm(name)), None)[1]
    out = run(ip, "%sleep 20\n%kubectl get pods --bogus\n%sleep 20\ncreate_cm('now')")
    # rows while sleeping; the watch survives the next %kubectl in the same cell; the row caused
    # by the cell's last statement is printed when the cell ends
    assert out == "ADDED a t=40\n" + BOGUS + "ADDED b t=60\nADDED now t=70\n"
    assert w.stopped and cluster.watches == []
    assert run(ip, "%sleep 60") == ""  # the watch ended with its cell: no row for c


def test_rows_from_python_code_in_the_cell_are_printed_at_its_end(ip, cluster):
    w = ConfigMapWatch(cluster)
    cluster.watches.append(w)
    ip.user_ns["create_cm"] = lambda name: (cluster.api.create(_cm(name)), None)[1]
    out = run(ip, "%kubectl get pods --bogus\ncreate_cm('late')")
    assert out == BOGUS + "ADDED late t=30\n"
    assert w.stopped


def test_default_cluster_and_use_cluster(ip):
    magics._cluster = None
    c = magics.current_cluster()
    assert isinstance(c, Cluster) and c.seed == 0 and magics.current_cluster() is c
    old_watch = ConfigMapWatch(c)
    c.watches.append(old_watch)
    other = Cluster(seed=5)
    assert magics.use_cluster(other) is other and magics.current_cluster() is other
    assert old_watch.stopped and c.watches == []


def test_reload_extension_registers_the_hook_once(ip):
    ip.run_line_magic("reload_ext", "labsim")
    ip.run_line_magic("reload_ext", "labsim")
    hooks = [cb for cb in ip.events.callbacks["post_run_cell"] if cb is magics._end_of_cell]
    assert len(hooks) == 1


def test_real_get_watch_follows_the_cell(ip, cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n")
    out = run(ip, "%kubectl get cm -w\n%sleep 5\n%kubectl apply -f cm.yaml\n%sleep 5\n%kubectl delete cm web")
    assert out == ("NAME               DATA   AGE\n"
                   "kube-root-ca.crt   1      30s\n"
                   "configmap/web created\n"
                   "web                0      0s\n"
                   'configmap "web" deleted\n'
                   "web                0      5s\n")
    assert cluster.watches == []
    assert run(ip, "%kubectl get cm") == "NAME               DATA   AGE\nkube-root-ca.crt   1      40s\n"
