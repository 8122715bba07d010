"""The busybox shell: scripts -> (stdout, stderr, exit code), files, logs with times, PID 1 signals."""
from __future__ import annotations

import math

import pytest

from labsim.kubelet.images.busybox import AlpineProcess, BusyboxProcess
from labsim.kubelet.images.shell import DEBIAN_PROGRAMS, Machine, exec_command, parse, run_shell

from .conftest import FakeCtx

CASES = [
    # (script, stdout, stderr, exit code)
    ("echo hi", "hi\n", "", 0),
    ("echo -n a; echo b", "ab\n", "", 0),
    ("echo -e 'a\\tb\\c'; echo z", "a\tbz\n", "", 0),
    ("echo 'a  b' \"c  $HOME\" d\\ e", "a  b c  /root d e\n", "", 0),
    ("X=1; echo ${X:-d} ${Y:-d} ${#HOME} $?", "1 d 5 0\n", "", 0),
    ("echo $((3*4+1)) $((7/2)) $((7%3))", "13 3 1\n", "", 0),
    ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n", "", 0),
    ("until false; do echo once; break; done", "once\n", "", 0),
    ("for x in a b c; do echo -n $x; done; echo", "abc\n", "", 0),
    ("if [ 1 -eq 2 ]; then echo a; elif [ x = x ]; then echo b; else echo c; fi", "b\n", "", 0),
    ("case web-1 in db*) echo db;; web*|api*) echo web;; esac", "web\n", "", 0),
    ("f() { echo \"$1-$2\"; return 4; }; f a b; echo $?", "a-b\n4\n", "", 0),
    ("true && echo y || echo n; false && echo y || echo n", "y\nn\n", "", 0),
    ("echo $(echo inner) `echo back`", "inner back\n", "", 0),
    ("echo $$", "7\n", "", 0),
    ("echo $HOSTNAME; hostname", "box\nbox\n", "", 0),
    ("nosuch", "", "sh: nosuch: not found\n", 127),
    ("nosuch arg; echo $?", "127\n", "sh: nosuch: not found\n", 0),
    ("exit 3", "", "", 3),
    ("exit abc", "", "sh: exit: line 1: Illegal number: abc\n", 2),
    ("if true; then", "", 'sh: syntax error: unexpected end of file (expecting "fi")\n', 2),
    ("fi", "", 'sh: syntax error: unexpected "fi"\n', 2),
    ("echo 'open", "", "sh: syntax error: unterminated quoted string\n", 2),
    ("cat /nope", "", "cat: can't open '/nope': No such file or directory\n", 1),
    ("echo x > /no/dir/f", "", "sh: can't create /no/dir/f: nonexistent directory\n", 1),
    ("cat < /nope", "", "sh: can't open /nope: no such file\n", 1),
    ("echo a >/tmp/f; echo b >>/tmp/f; cat /tmp/f; wc -l < /tmp/f", "a\nb\n2\n", "", 0),
    ("nosuch 2>/dev/null; echo $?", "127\n", "", 0),
    ("sh -c 'echo err >&2' 2>&1", "err\n", "", 0),
    ("mkdir -p /tmp/a/b && touch /tmp/a/b/c && ls /tmp/a/b && rm -r /tmp/a && ls /tmp", "c\n", "", 0),
    ("rm /tmp/zz", "", "rm: can't remove '/tmp/zz': No such file or directory\n", 1),
    ("rm -f /tmp/zz; echo $?", "0\n", "", 0),
    ("mkdir /tmp", "", "mkdir: can't create directory '/tmp': File exists\n", 1),
    ("echo hello > /tmp/h; cp /tmp/h /tmp/i; mv /tmp/i /tmp/j; cat /tmp/j; ls /tmp", "hello\nh\nj\n", "", 0),
    ("printf '%s=%d\\n' a 1 b 2", "a=1\nb=2\n", "", 0),
    ("printf '%5s|%-3s|%03d\\n' ab c 7", "   ab|c  |007\n", "", 0),
    ("seq 3 | tail -n 1; seq 2 2 6 | head -2", "3\n2\n4\n", "", 0),
    ("expr 2 + 3; expr 7 / 2; expr 1 = 2", "5\n3\n0\n", "", 1),
    ("echo 'a b c' | wc -w; printf 'x\\ny\\n' | wc -l", "3\n2\n", "", 0),
    ("printf 'foo\\nbar\\nbaz\\n' | grep ba", "bar\nbaz\n", "", 0),
    ("echo x | grep -q y; echo $?", "1\n", "", 0),
    ("echo hello world | sed 's/o/0/g'", "hell0 w0rld\n", "", 0),
    ("test -d /tmp && [ -e /etc/hosts ] && [ ! -f /tmp ] && [ -z '' ] && [ -n x ] && echo ok", "ok\n", "", 0),
    ("[ 1 -lt", "", "sh: missing ]\n", 2),
    ("[ a -eq 1 ]", "", "sh: a: bad number\n", 2),
    ("sleep", "", "sh: sleep: missing operand\n", 1),
    ("date", "Tue Nov 24 09:00:30 UTC 2026\n", "", 0),
    ("date +%H:%M:%S", "09:00:30\n", "", 0),
    ("env | grep HOSTNAME", "HOSTNAME=box\n", "", 0),
    ("export A=1; sh -c 'echo $A'", "1\n", "", 0),
    ("cd /tmp; touch a1 a2 b; echo a*; echo 'a*'; echo z*", "a1 a2\na*\nz*\n", "", 0),
    ("set -- x y z; echo $# $2; shift; echo $@", "3 y\ny z\n", "", 0),
    ("cat /etc/resolv.conf",
     "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.43.0.10\noptions ndots:5\n",
     "", 0),
    # network through ctx.network
    ("wget -q -O- http://nginx", "<h1>nginx</h1>\n", "", 0),
    ("wget -qO- http://10.43.0.5/", "<h1>nginx</h1>\n", "", 0),
    ("wget -q -O- http://10.43.0.6", "", "wget: can't connect to remote host (10.43.0.6): Connection refused\n", 1),
    ("wget -q -O- http://nginx/missing", "", "wget: server returned error: HTTP/1.1 404 Not Found\n", 1),
    ("wget -q -O- nosuch", "", "wget: bad address 'nosuch'\n", 1),
    ("wget -q --spider http://nginx; echo $?", "0\n", "", 0),
    ("wget -q -O /tmp/page http://nginx && cat /tmp/page", "<h1>nginx</h1>\n", "", 0),
    ("wget -O- http://nginx", "<h1>nginx</h1>\n",
     "Connecting to nginx (10.43.0.5:80)\nwriting to stdout\n"
     "-                    100% |********************************|    15  0:00:00 ETA\nwritten to stdout\n", 0),
    ("curl -s http://nginx", "<h1>nginx</h1>\n", "", 0),
    ("curl -s -o /dev/null -w '%{http_code}' http://nginx/missing", "404", "", 0),
    ("curl http://10.43.0.6", "",
     "curl: (7) Failed to connect to 10.43.0.6 port 80 after 0 ms: Couldn't connect to server\n", 7),
    ("curl -s http://10.43.0.6; echo $?", "7\n", "", 0),
    ("curl -sS http://nosuch", "", "curl: (6) Could not resolve host: nosuch\n", 6),
    ("nslookup nosuch.example", "Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n\n"
     "** server can't find nosuch.example: NXDOMAIN\n\n** server can't find nosuch.example: NXDOMAIN\n\n", "", 1),
    ("ping -c 1 nginx", "", "ping: ICMP is not simulated by labsim (use wget, curl or nc to test connectivity)\n", 2),
    ("nc -z 10.43.0.5 80 && echo open; nc -z 10.43.0.5 81 || echo closed", "open\nclosed\n", "", 0),
]


@pytest.mark.parametrize("script,stdout,stderr,code", CASES, ids=[c[0][:40] for c in CASES])
def test_scripts(script, stdout, stderr, code):
    ctx = FakeCtx()
    # curl is not a busybox applet: its cases run in a Debian-based image (nginx)
    machine = Machine(ctx, commands=DEBIAN_PROGRAMS) if script.startswith("curl") else None
    r = exec_command(ctx, ["sh", "-c", script], machine=machine)
    assert (r.stdout, r.stderr, r.exit_code) == (stdout, stderr, code)
    assert r.error is None


def test_busybox_has_no_curl():
    r = exec_command(FakeCtx(), ["sh", "-c", "curl http://nginx"])
    assert (r.stderr, r.exit_code) == ("sh: curl: not found\n", 127)


def test_nslookup_search_path_busybox_136_layout():
    ctx = FakeCtx()
    r = exec_command(ctx, ["nslookup", "nginx"])
    assert r.stdout == (
        "Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n\n"
        "Name:\tnginx.default.svc.cluster.local\nAddress: 10.43.0.5\n\n"
        "** server can't find nginx.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find nginx.cluster.local: NXDOMAIN\n\n"
        "\n"
        "** server can't find nginx.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find nginx.cluster.local: NXDOMAIN\n\n")
    # busybox 1.36 exits 1 when any query failed (nslookup.c: G.exitcode on rcode != 0)
    assert r.exit_code == 1


def test_exec_of_missing_program_is_a_runtime_error():
    r = exec_command(FakeCtx(), ["nosuch"])
    assert r.exit_code == 126 and r.error == 'exec: "nosuch": executable file not found in $PATH'
    r = exec_command(FakeCtx(), ["cat", "/tmp/healthy"])
    assert (r.exit_code, r.stderr) == (1, "cat: can't open '/tmp/healthy': No such file or directory\n")


def test_exec_durations_count_simulated_sleep():
    ctx = FakeCtx()
    r = exec_command(ctx, ["sh", "-c", "sleep 2; echo done"])
    assert (r.exit_code, r.stdout, r.duration) == (0, "done\n", 2.0)
    r = exec_command(ctx, ["sh", "-c", "echo start; sleep 5; touch /tmp/late"], timeout=1)
    assert r.exit_code == 137 and r.stdout == "start\n" and r.duration > 1
    assert not ctx.fs.exists("/tmp/late")
    assert ctx.clock.now == 30.0  # the cluster clock did not move
    r = exec_command(ctx, ["sleep", "1m30s"] if False else ["sleep", "1.5m"])
    assert r.duration == 90.0
    r = exec_command(ctx, ["sh", "-c", "while true; do :; done"], timeout=1)
    assert r.exit_code == 137 and math.isinf(r.duration)
    r = exec_command(ctx, ["sleep", "infinity"], timeout=5)
    assert math.isinf(r.duration)


def test_log_lines_carry_the_time_they_are_written():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", "while true; do echo hi; sleep 5; done"], as_pid1=True)
    ctx.clock.advance(12)
    assert ctx.logs == [(30.0, "stdout", "hi"), (35.0, "stdout", "hi"), (40.0, "stdout", "hi")]
    assert p.running and ctx.exits == []


def test_script_exit_code_and_stderr_to_log():
    ctx = FakeCtx()
    run_shell(ctx, ["sh", "-c", "echo starting; sleep 10; echo boom >&2; exit 3"], as_pid1=True)
    ctx.clock.advance(20)
    assert ctx.logs == [(30.0, "stdout", "starting"), (40.0, "stderr", "boom")]
    assert ctx.exits == [(40.0, 3, None, None)]


def test_sleep_as_pid1_ignores_term_and_dies_on_kill():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sleep", "3600"], as_pid1=True)
    ctx.clock.advance(5)
    p.signal("SIGTERM")
    ctx.clock.advance(30)
    assert p.running and ctx.exits == []
    p.signal("SIGKILL")
    assert ctx.exits == [(65.0, 137, "Error", None)]


def test_shell_as_pid1_ignores_term_without_trap():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", "while true; do sleep 1; done"], as_pid1=True)
    ctx.clock.advance(3)
    p.signal("SIGTERM")
    ctx.clock.advance(10)
    assert p.running


def test_trap_term_runs_at_once_and_exits():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", "trap 'echo bye; exit 0' TERM; echo up; sleep 3600"], as_pid1=True)
    ctx.clock.advance(10)
    p.signal("SIGTERM")
    ctx.clock.advance(0)
    assert ctx.logs == [(30.0, "stdout", "up"), (40.0, "stdout", "bye")]
    assert ctx.exits == [(40.0, 0, None, None)]


def test_trap_without_exit_resumes_after_the_interrupted_sleep():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", "trap 'echo got' TERM; sleep 100; echo after; sleep 100"], as_pid1=True)
    ctx.clock.advance(5)
    p.signal("SIGTERM")
    ctx.clock.advance(1)
    assert [l[2] for l in ctx.logs] == ["got", "after"]
    assert p.running


def test_non_pid1_shell_dies_of_term():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sleep", "100"], as_pid1=False)
    p.signal("SIGTERM")
    assert ctx.exits == [(30.0, 143, "Error", None)]


def test_kill_1_from_an_exec_reaches_a_trapping_pid1_only():
    box = FakeCtx(command=["sh", "-c", "trap 'echo stopping; exit 0' TERM; while true; do sleep 1; done"])
    proc = BusyboxProcess(box)
    proc.start()
    box.clock.advance(2)
    r = proc.exec(["ps"])
    assert r.stdout.splitlines()[:2] == ["PID   USER     TIME  COMMAND",
                                          "    1 root      0:00 sh -c trap 'echo stopping; exit 0' TERM; while true; do sleep 1; done"]
    proc.exec(["kill", "1"])
    box.clock.advance(0)
    assert box.exits == [(32.0, 0, None, None)] and box.logs[-1][2] == "stopping"
    sleeper = FakeCtx(command=["sleep", "3600"])
    proc = BusyboxProcess(sleeper)
    proc.start()
    assert proc.exec(["kill", "-9", "1"]).exit_code == 0
    sleeper.clock.advance(5)
    assert proc.running and sleeper.exits == []


def test_busybox_without_command_completes_at_once():
    ctx = FakeCtx()
    BusyboxProcess(ctx).start()
    assert ctx.exits == [(30.0, 0, None, None)]
    ctx = FakeCtx(command=["/bin/sh", "-c", "exit 1"])
    AlpineProcess(ctx).start()
    assert ctx.exits == [(30.0, 1, None, None)]


def test_missing_main_command_is_a_start_error():
    ctx = FakeCtx(command=["nosuch"])
    BusyboxProcess(ctx).start()
    assert ctx.exits == [(30.0, 128, "StartError",
                          'failed to create containerd task: failed to create shim task: OCI runtime create '
                          'failed: runc create failed: unable to start container process: exec: "nosuch": '
                          'executable file not found in $PATH: unknown')]


def test_busy_loop_burns_cpu_forever_without_hanging():
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", "while true; do :; done"], as_pid1=True)
    assert ctx.cpu == [1000] and p.running and p.busy
    ctx.clock.advance(3600)
    assert ctx.exits == []
    p.signal("SIGKILL")
    assert ctx.exits[-1][1] == 137
    ctx = FakeCtx()
    run_shell(ctx, ["sh", "-c", "while true; do sleep 0; done"], as_pid1=True)
    ctx.clock.advance(1)
    assert ctx.cpu == [1000]
    ctx = FakeCtx()
    run_shell(ctx, ["sh", "-c", "yes > /dev/null"], as_pid1=True)
    assert ctx.cpu == [1000]


def test_file_written_forever_is_capped():
    from labsim.kubelet.images.shell.io import FILE_CAP
    ctx = FakeCtx()
    run_shell(ctx, ["sh", "-c", "while true; do echo 0123456789012345678901234567890123456789 >> /tmp/log; sleep 0.01; done"],
              as_pid1=True)
    ctx.clock.advance(400)
    assert len(ctx.fs.read("/tmp/log")) == FILE_CAP


def test_exec_sees_files_of_the_main_process_and_volumes():
    ctx = FakeCtx(command=["sh", "-c", "sleep 5; touch /tmp/healthy; sleep 3600"])
    proc = BusyboxProcess(ctx)
    proc.start()
    assert proc.exec(["cat", "/tmp/healthy"]).exit_code == 1
    ctx.clock.advance(5)
    assert proc.exec(["cat", "/tmp/healthy"]).exit_code == 0


def test_background_job_and_wait():
    ctx = FakeCtx()
    r = exec_command(ctx, ["sh", "-c", "(sleep 2; echo bg) & echo fg; wait; echo end"])
    assert (r.stdout, r.duration) == ("fg\nbg\nend\n", 2.0)


def test_parse_errors_are_ash_texts():
    from labsim.kubelet.images.shell import ShellSyntaxError
    with pytest.raises(ShellSyntaxError, match='unexpected "done"'):
        parse("while true; do done done")
    with pytest.raises(ShellSyntaxError, match=r'unexpected end of file \(expecting "done"\)'):
        parse("while true; do echo")
