"""Scenario scripts: parsing (a bash subset), the transcript, workspace files, watches, determinism."""
import os
import subprocess
import sys

import pytest

from labsim import Cluster
from labsim.kubectl import cli
from labsim.scenario import ScriptError, format_transcript, parse_script, run_script, run_steps

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# what kubectl v1.32 prints for an unknown flag (no server needed; tests/labsim/kubectl/test_cli.py
# compares these texts with the real client)
BOGUS = "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"


@pytest.fixture
def echo_create(monkeypatch):
    """A stand-in ``kubectl create`` that shows what the runner handed to kubectl: the ``-f`` file's
    text (read through the real file visitor, so through the cluster's workdir), stdin, a stderr
    line between two stdout lines, and exit 1 on ``--dry-run=server``. The real verbs are other
    modules' business; this isolates the runner's plumbing."""
    def handler(inv):
        inv.println("stdout-1")
        inv.eprintln("stderr-1")
        for f in inv.opts.get("filename") or []:
            if f != "-":
                inv.out(f"[{f}]\n" + inv.read_file(f))
        inv.println(f"stdin={inv.stdin!r}")
        if inv.opts.get("dry-run") == "server":
            inv.result.exit_code = 1
    cli.handlers()  # load the real commands first, then shadow one for this test
    monkeypatch.setitem(cli._HANDLERS, "create", handler)
    return handler


class ConfigMapWatch:
    """A stand-in ``kubectl get configmaps -w`` stream with the interface of labsim.kubectl.watch."""

    def __init__(self, cluster):
        self.rows: list[str] = []
        self.stopped = False
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


# -- parsing -------------------------------------------------------------------------------------

def test_comments_blank_lines_and_continuations():
    lines = parse_script("# setup\n\nkubectl get pods \\\n  -o wide   # trailing comment\nsleep 40\n")
    assert [ln.lineno for ln in lines] == [3, 5]
    assert lines[0].first.argv == ["kubectl", "get", "pods", "-o", "wide"]
    assert lines[0].typed == "$ kubectl get pods \\\n>   -o wide   # trailing comment"
    assert lines[1].first.argv == ["sleep", "40"]


def test_quoting_follows_the_shell():
    (line,) = parse_script("""kubectl get pods -o jsonpath='{.items[*].metadata.name}' -l "app=a b" x\\ y "q\\"q" p#q\n""")
    assert line.first.argv == ["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}", "-l",
                               "app=a b", "x y", 'q"q', "p#q"]


def test_quote_spanning_lines():
    (line,) = parse_script("kubectl annotate pod x 'note=a\nb'\n")
    assert line.first.argv == ["kubectl", "annotate", "pod", "x", "note=a\nb"]
    assert line.typed == "$ kubectl annotate pod x 'note=a\n> b'"


def test_heredoc_unquoted_removes_backslash_escapes_and_keeps_dollar():
    text = "kubectl apply -f - <<EOF\nargs: [\"echo \\$HOME $PATH\"]\nline \\\ncontinued\nEOF\n"
    (line,) = parse_script(text)
    assert line.first.stdin_heredoc == "args: [\"echo $HOME $PATH\"]\nline continued\n"
    assert line.typed == ("$ kubectl apply -f - <<EOF\n> args: [\"echo \\$HOME $PATH\"]\n> line \\\n> continued\n"
                          "> EOF")


def test_heredoc_quoted_is_literal():
    (line,) = parse_script("kubectl apply -f - <<'EOF'\na: \\$x `y` $(z)\nEOF\n")
    assert line.first.stdin_heredoc == "a: \\$x `y` $(z)\n"
    (line,) = parse_script('kubectl apply -f - <<"END"\nEOF\nEND\n')
    assert line.first.stdin_heredoc == "EOF\n"


def test_heredoc_dash_strips_leading_tabs():
    line, sleep = parse_script("kubectl apply -f - <<-EOF\n\tkind: Pod\n\t  x: 1\n\tEOF\nsleep 1\n")
    assert line.first.stdin_heredoc == "kind: Pod\n  x: 1\n"
    assert (sleep.lineno, sleep.first.argv) == (5, ["sleep", "1"])


def test_heredoc_body_starts_after_the_continued_line():
    lines = parse_script("kubectl apply \\\n  -f - <<EOF\nkind: Pod\nEOF\nsleep 1\n")
    assert lines[0].first.argv == ["kubectl", "apply", "-f", "-"]
    assert lines[0].first.stdin_heredoc == "kind: Pod\n"
    assert lines[1].lineno == 5


def test_cat_heredoc_to_file_both_orders():
    a, b = parse_script("cat <<EOF > a.yaml\nx\nEOF\ncat > b.yaml <<'EOF'\ny\nEOF\n")
    assert [(r.op, r.target) for r in a.first.redirects] == [("<<", "EOF"), (">", "a.yaml")]
    assert [(r.op, r.target) for r in b.first.redirects] == [(">", "b.yaml"), ("<<", "EOF")]


@pytest.mark.parametrize("text, lineno, message", [
    ("kubectl get pods\n\ngrep web\n", 3,
     "unknown command 'grep': a scenario line runs kubectl, sleep, echo or cat"),
    ("get pods\n", 1, "unknown command 'get': a scenario line runs kubectl, sleep, echo or cat"),
    ("kubectl get pods | head -1\n", 1, "unknown command 'head': a scenario line runs kubectl, sleep, echo or cat"),
    ("# x\nkubectl apply -f - <<EOF\nkind: Pod\n", 2,
     "unterminated heredoc: here-document at line 2 delimited by end-of-file (wanted 'EOF')"),
    ("kubectl apply -f - <<-EOF\nkind: Pod\n  EOF\n", 1,
     "unterminated heredoc: here-document at line 1 delimited by end-of-file (wanted 'EOF')"),
    ("kubectl get pods -l 'app=web\n", 1, "unterminated quote"),
    ("kubectl get pods \\", 1, "unterminated line continuation ('\\' at the end of the script)"),
    ("sleep\n", 1, "sleep: missing operand"),
    ("sleep 10\nsleep forever\n", 2, "sleep: invalid time interval 'forever'"),
    ("sleep -5\n", 1, "sleep: invalid time interval '-5'"),
    ("kubectl get pods &\n", 1, "background jobs ('&') are not supported in scenario scripts"),
    ("kubectl get pods 2>&1\n", 1, "file-descriptor redirections ('2>') are not supported in scenario scripts"),
    ("kubectl delete pod $(kubectl get pods -o name)\n", 1,
     "command substitution ('$(...)' or backquotes) is not supported in scenario scripts"),
    ('kubectl get pod "`x`"\n', 1, "command substitution ('$(...)' or backquotes) is not supported in scenario scripts"),
    ("kubectl apply -f - <<EOF\nname: $(date)\nEOF\n", 1,
     "command substitution ('$(...)' or backquotes) is not supported in scenario scripts (quote the delimiter: <<'EOF')"),
    ("kubectl get pods |\n", 1, "syntax error: a pipeline cannot end with '|'"),
    ("kubectl get pods &&\n", 1, "syntax error: a list cannot end with '&&'"),
    ("| kubectl get pods\n", 1, "syntax error near unexpected token '|'"),
    ("kubectl apply -f - <<\n", 1, "syntax error near unexpected token 'newline'"),
    ("> out.txt\n", 1, "a redirection without a command is not supported in scenario scripts"),
])
def test_malformed_scripts_fail_with_the_line_number(text, lineno, message):
    with pytest.raises(ScriptError) as e:
        parse_script(text, filename="s.sh")
    assert (e.value.lineno, e.value.message) == (lineno, message)
    assert str(e.value) == f"s.sh:{lineno}: {message}"


def test_malformed_script_runs_nothing(tmp_path):
    with pytest.raises(ScriptError):
        run_script("cat <<EOF > made.txt\nx\nEOF\nfrobnicate\n", workdir=str(tmp_path))
    assert os.listdir(tmp_path) == []


# -- transcript -------------------------------------------------------------------------------

def test_transcript_shows_commands_as_typed_and_output_interleaved(echo_create):
    script = ("# create from stdin\n"
              "kubectl create -f - <<EOF\n"
              "kind: ConfigMap\n"
              "EOF\n"
              "\n"
              "kubectl get pods --bogus\n"
              "echo -n 'no newline'; echo\n"
              "sleep 40\n")
    assert run_script(script) == (
        "$ kubectl create -f - <<EOF\n"
        "> kind: ConfigMap\n"
        "> EOF\n"
        "stdout-1\n"
        "stderr-1\n"
        "stdin='kind: ConfigMap\\n'\n"
        "$ kubectl get pods --bogus\n"
        + BOGUS +
        "$ echo -n 'no newline'; echo\n"
        "no newline\n"
        "$ sleep 40\n")


def test_steps_carry_command_result_and_simulated_time(echo_create):
    steps = run_steps("kubectl get pods --bogus\nsleep 1m30s\nkubectl create -f - <<EOF\nx\nEOF\nsleep 1 2m\n")
    assert [s.command for s in steps] == ["kubectl get pods --bogus", "sleep 1m30s", "kubectl create -f - <<EOF",
                                          "sleep 1 2m"]
    assert [s.kind for s in steps] == ["kubectl", "sleep", "kubectl", "sleep"]
    assert [s.t for s in steps] == [0.0, 0.0, 90.0, 90.0]
    assert [s.time for s in steps] == [30.0, 30.0, 120.0, 120.0]  # the cluster boots at t=30 s
    assert [s.exit_code for s in steps] == [1, 0, 0, 0]
    assert steps[0].result.stderr == BOGUS and steps[0].output == BOGUS
    assert steps[1].result is None
    assert steps[2].stdin == "x\n" and steps[2].result.stdout == "stdout-1\nstdin='x\\n'\n"
    assert format_transcript(steps).endswith("$ sleep 1 2m\n")


def test_workspace_files_are_found_by_kubectl_f(echo_create, tmp_path):
    script = ("cat <<'EOF' > cm.yaml\n"
              "kind: ConfigMap\n"
              "EOF\n"
              "cat >> cm.yaml <<EOF\n"
              "data: {}\n"
              "EOF\n"
              "kubectl create -f cm.yaml\n"
              "cat cm.yaml missing.yaml\n")
    out = run_script(script, workdir=str(tmp_path))
    assert out.endswith(
        "$ kubectl create -f cm.yaml\n"
        "stdout-1\n"
        "stderr-1\n"
        "[cm.yaml]\n"
        "kind: ConfigMap\n"
        "data: {}\n"
        "stdin=None\n"
        "$ cat cm.yaml missing.yaml\n"
        "cat: missing.yaml: No such file or directory\n"
        "kind: ConfigMap\n"
        "data: {}\n")
    assert (tmp_path / "cm.yaml").read_text() == "kind: ConfigMap\ndata: {}\n"


def test_default_workspace_is_a_temporary_directory(echo_create, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run_script("echo hi > note.txt\nkubectl create -f note.txt\n")
    assert "[note.txt]\nhi\n" in out
    assert os.listdir(tmp_path) == []  # nothing written outside the temporary workspace


def test_file_access_stays_in_the_workspace(tmp_path):
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret\n")
    os.symlink(tmp_path / "secret.txt", work / "link.txt")
    out = run_script("cat ../secret.txt\ncat link.txt\ncat < /etc/hostname\necho x > ../escape.txt\n"
                     "echo ok > sub/../sub/inside.txt\ncat sub/inside.txt\n", workdir=str(work))
    assert out == ("$ cat ../secret.txt\ncat: ../secret.txt: outside the scenario's workspace\n"
                   "$ cat link.txt\ncat: link.txt: outside the scenario's workspace\n"
                   "$ cat < /etc/hostname\nbash: /etc/hostname: outside the scenario's workspace\n"
                   "$ echo x > ../escape.txt\nbash: ../escape.txt: outside the scenario's workspace\n"
                   "$ echo ok > sub/../sub/inside.txt\n"
                   "$ cat sub/inside.txt\nok\n")
    assert not (tmp_path / "escape.txt").exists()


def test_pipes_and_redirections(echo_create, tmp_path):
    script = ("echo 'kind: Pod' | kubectl create -f -\n"
              "kubectl create -f - < in.yaml\n"
              "echo 'kind: Job' > in.yaml\n"
              "kubectl create -f - < in.yaml > out.txt\n"
              "cat out.txt | cat\n")
    out = run_script(script, workdir=str(tmp_path))
    assert out == ("$ echo 'kind: Pod' | kubectl create -f -\n"
                   "stdout-1\nstderr-1\nstdin='kind: Pod\\n'\n"
                   "$ kubectl create -f - < in.yaml\n"
                   "bash: in.yaml: No such file or directory\n"
                   "$ echo 'kind: Job' > in.yaml\n"
                   "$ kubectl create -f - < in.yaml > out.txt\n"
                   "stderr-1\n"
                   "$ cat out.txt | cat\n"
                   "stdout-1\nstdin='kind: Job\\n'\n")


def test_lists_follow_exit_status(echo_create):
    out = run_script("kubectl get pods --bogus && echo yes || echo no\n"
                     "kubectl create -f - --dry-run=server <<EOF || echo failed ; echo always\nx\nEOF\n")
    assert out == ("$ kubectl get pods --bogus && echo yes || echo no\n" + BOGUS + "no\n"
                   "$ kubectl create -f - --dry-run=server <<EOF || echo failed ; echo always\n> x\n> EOF\n"
                   "stdout-1\nstderr-1\nstdin='x\\n'\nfailed\nalways\n")


def test_kubectl_word_is_passed_once():
    # "kubectl kubectl" is an unknown command "kubectl" for kubectl, not a doubled prefix
    out = run_script("kubectl kubectl\n")
    assert out.startswith('$ kubectl kubectl\nError: unknown command "kubectl" for "kubectl"\n')


# -- watches -----------------------------------------------------------------------------------

def test_sleep_prints_watch_rows_and_the_next_kubectl_command_ends_the_watch():
    c = Cluster(seed=0)
    w = ConfigMapWatch(c)
    c.watches.append(w)
    for t, name in ((10, "a"), (35, "b"), (41, "c")):
        c.clock.call_at(c.now + t, c.api.create, _cm(name))
    steps = run_steps("sleep 20\necho between\nsleep 20\nkubectl get pods --bogus\nsleep 30\n", cluster=c)
    assert format_transcript(steps) == (
        "$ sleep 20\nADDED a t=40\n"
        "$ echo between\nbetween\n"
        "$ sleep 20\nADDED b t=65\n"
        "$ kubectl get pods --bogus\n" + BOGUS +
        "$ sleep 30\n")  # the watch ended when kubectl ran: no row for c
    assert w.stopped and c.watches == []


def test_rows_arriving_between_commands_print_before_the_next_prompt():
    c = Cluster(seed=0)
    c.watches.append(ConfigMapWatch(c))
    # a row caused at the current instant by the echo step (as a controller reaction would be)
    c.api.create(_cm("now"))
    steps = run_steps("echo x\nkubectl get pods --bogus\n", cluster=c)
    assert format_transcript(steps) == "$ echo x\nx\nADDED now t=30\n$ kubectl get pods --bogus\n" + BOGUS


def test_watch_still_open_at_the_end_of_the_script_is_stopped():
    c = Cluster(seed=0)
    w = ConfigMapWatch(c)
    c.watches.append(w)
    c.clock.call_at(c.now + 5, c.api.create, _cm("late"))
    steps = run_steps("sleep 10\n", cluster=c)
    assert steps[-1].output == "ADDED late t=35\n"
    assert w.stopped and c.watches == []


def test_real_kubectl_transcript():
    script = ("kubectl get cm -w\n"
              "kubectl apply -f - <<EOF\n"
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: \"1\"\n"
              "EOF\n"
              "sleep 10\n"
              "kubectl get cm\n")
    assert run_script(script) == (
        "$ kubectl get cm -w\n"
        "NAME               DATA   AGE\n"
        "kube-root-ca.crt   1      30s\n"
        "$ kubectl apply -f - <<EOF\n"
        "> apiVersion: v1\n> kind: ConfigMap\n> metadata:\n>   name: web\n> data:\n>   a: \"1\"\n> EOF\n"
        "configmap/web created\n"  # the watch ended when apply was typed: no row for web
        "$ sleep 10\n"
        "$ kubectl get cm\n"
        "NAME               DATA   AGE\n"
        "kube-root-ca.crt   1      40s\n"
        "web                1      10s\n")


# -- determinism -----------------------------------------------------------------------------

DETERMINISM_SCRIPT = """\
kubectl get nodes
kubectl get pods -A
kubectl create deployment web --image=nginx:1.27 --replicas=3
kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  generateName: settings-
data:
  a: "1"
EOF
sleep 40
kubectl get all -o wide
kubectl get cm -o yaml
kubectl get pods --bogus
"""


def test_same_seed_same_transcript_in_process():
    assert run_script(DETERMINISM_SCRIPT, seed=7, nodes=3) == run_script(DETERMINISM_SCRIPT, seed=7, nodes=3)


def test_same_transcript_across_processes_and_hash_seeds(tmp_path):
    script = tmp_path / "s.sh"
    script.write_text(DETERMINISM_SCRIPT)
    outs = []
    for hashseed in ("0", "1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        p = subprocess.run([sys.executable, "-m", "labsim", "run", str(script), "--seed", "3", "--nodes", "2"],
                           capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
        assert p.returncode == 0, p.stderr
        assert p.stderr == ""
        outs.append(p.stdout)
    assert outs[0] == outs[1] == outs[2]
    assert outs[0] == run_script(DETERMINISM_SCRIPT, seed=3, nodes=2, workdir=str(tmp_path))
    assert outs[0].startswith("$ kubectl get nodes\n")


# -- command line ------------------------------------------------------------------------------

def _cli(*args, stdin=None, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "labsim", *args], capture_output=True, text=True, input=stdin,
                          cwd=cwd, timeout=120)


def test_cli_malformed_script_exit_1_with_line(tmp_path):
    bad = tmp_path / "bad.sh"
    bad.write_text("kubectl get pods\nkubectl apply -f - <<EOF\nkind: Pod\n")
    p = _cli("run", str(bad))
    assert (p.returncode, p.stdout) == (1, "")
    assert p.stderr == (f"labsim: {bad}:2: unterminated heredoc: here-document at line 2 delimited by "
                        "end-of-file (wanted 'EOF')\n")


def test_cli_workspace_is_the_scripts_directory_and_stdin_works(tmp_path):
    (tmp_path / "s.sh").write_text("cat note.txt\necho made > made.txt\n")
    (tmp_path / "note.txt").write_text("beside the script\n")
    p = _cli("run", str(tmp_path / "s.sh"))
    assert (p.returncode, p.stdout, p.stderr) == (
        0, "$ cat note.txt\nbeside the script\n$ echo made > made.txt\n", "")
    assert (tmp_path / "made.txt").read_text() == "made\n"
    p = _cli("run", "-", "--tmp", stdin="cat note.txt\n", cwd=str(tmp_path))
    assert (p.returncode, p.stdout) == (0, "$ cat note.txt\ncat: note.txt: No such file or directory\n")


def test_cli_errors():
    p = _cli("run", "/nonexistent/s.sh")
    assert p.returncode == 1
    assert p.stderr.startswith("labsim: cannot read /nonexistent/s.sh: ")
    p = _cli("run")
    assert p.returncode == 2 and "the following arguments are required: SCRIPT" in p.stderr
    p = _cli("run", "-", "--nodes", "0", stdin="")
    assert (p.returncode, p.stderr) == (2, "labsim: --nodes must be at least 1\n")
