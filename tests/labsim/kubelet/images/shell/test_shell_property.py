"""Property: random small scripts never raise out of the interpreter and never hang."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from labsim.kubelet.images.base import ExecResult
from labsim.kubelet.images.shell import exec_command, run_shell

from .conftest import FakeCtx

WORDS = st.sampled_from(["a", "$X", "${Y:-z}", "'q w'", '"$HOME"', "*", "/tmp/*", "$((1+2))", "$(echo s)",
                         "`echo b`", "$?", "-n", "1", "0", "x=1", "\\$", "${#X}", "$((1/0))", "${", "'", '"'])
CMDS = st.sampled_from(["echo", "true", "false", ":", "cat", "ls", "test", "[", "exit", "sleep", "nosuch",
                        "printf", "wc", "grep", "touch", "rm", "mkdir", "seq", "expr", "kill", "date",
                        "wget", "nslookup", "break", "continue", "return", "set", "shift", "trap", "wait"])
SEPS = st.sampled_from(["; ", " && ", " || ", " | ", "\n", " & "])
REDIRS = st.sampled_from(["", " > /tmp/o", " >> /tmp/o", " 2>&1", " 2>/dev/null", " < /tmp/o", " >/no/f"])


@st.composite
def simple(draw):
    return draw(CMDS) + "".join(" " + w for w in draw(st.lists(WORDS, max_size=3))) + draw(REDIRS)


@st.composite
def script(draw, depth=0):
    parts = [draw(simple())]
    for _ in range(draw(st.integers(0, 3))):
        parts.append(draw(SEPS))
        if depth < 2 and draw(st.booleans()):
            kind = draw(st.sampled_from(["if", "while", "for", "group", "sub", "case", "func"]))
            inner = draw(script(depth + 1))
            parts.append({
                "if": f"if {inner}; then {inner}; else echo e; fi",
                "while": f"while {inner}; do {inner}; done",
                "for": f"for v in a b; do {inner}; done",
                "group": f"{{ {inner}; }}",
                "sub": f"( {inner} )",
                "case": f"case $X in a*) {inner};; *) echo d;; esac",
                "func": f"f() {{ {inner}; }}; f",
            }[kind])
        else:
            parts.append(draw(simple()))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(script())
def test_random_scripts_never_raise_or_hang(src):
    ctx = FakeCtx()
    r = exec_command(ctx, ["sh", "-c", src], timeout=60)
    assert isinstance(r, ExecResult)
    assert 0 <= r.exit_code <= 255
    assert r.duration >= 0


@settings(max_examples=60, deadline=None)
@given(script())
def test_random_scripts_as_pid1_end_or_keep_running(src):
    ctx = FakeCtx()
    p = run_shell(ctx, ["sh", "-c", src], as_pid1=True)
    ctx.clock.advance(120)
    assert len(ctx.exits) <= 1
    assert (len(ctx.exits) == 1) != p.running
    if p.running:
        p.signal("SIGKILL")
        assert ctx.exits[-1][1] == 137
