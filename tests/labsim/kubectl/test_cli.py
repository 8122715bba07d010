"""kubectl's command line against the real client: flag errors, help, unknown commands.

The real kubectl v1.32 prints these without contacting a server, so each case runs both and
compares stdout, stderr and the exit code byte for byte.
"""
import os
import shutil
import subprocess

import pytest

from labsim import Cluster

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
needs_kubectl = pytest.mark.skipif(not os.path.exists(KUBECTL), reason="real kubectl not installed")

CASES = [
    "get pods --bogus",
    "get pods -z",
    "get pods -o",
    "get pods --output",
    "get pods -w=x",
    "get pods -L",
    "get pods --show-labels=maybe",
    "scale deploy x --replicas abc",
    "delete pods --grace-period=abc",
    "run x --image",
    "version --client=x",
    "get -n",
    "-n",
    "gt pods",
    "foo",
    "xyzzy",
    "rollout",
    "rollout foo",
    "set foo",
    "get --help",
    "get pods -h",
    "apply --help",
    "rollout status --help",
    "create deployment --help",
    "options",
    "",
    "describe --help",
    "logs --help",
    "delete --timeout=5 pods x",
]


def real(argv: str):
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp/labsim-kubectl-home", "KUBECONFIG": "/dev/null"}
    p = subprocess.run([KUBECTL, *argv.split()], capture_output=True, text=True, env=env)
    return p.stdout.replace("/tmp/labsim-kubectl-home/.kube/cache", "$HOME/.kube/cache"), p.stderr, p.returncode


@needs_kubectl
@pytest.mark.parametrize("argv", CASES)
def test_same_as_real_kubectl(argv):
    r = Cluster().kubectl(argv.split())
    assert (r.stdout, r.stderr, r.exit_code) == real(argv)


def test_record_flag_is_accepted_with_the_deprecation_warning():
    from labsim.kubectl import cli

    parsed = cli.parse_flags("scale", ["deployment", "web", "--replicas", "8", "--record"])
    assert parsed.opts.get("record") is True and parsed.opts.get("replicas") == 8
    assert parsed.opts.given == [("replicas", "8"), ("record", "true")]


def test_combined_shorthands_and_dash_dash():
    from labsim.kubectl import cli

    parsed = cli.parse_flags("exec", ["-it", "db", "--", "sh", "-c", "ls -l"])
    assert parsed.opts.get("stdin") and parsed.opts.get("tty")
    assert parsed.args == ["db", "sh", "-c", "ls -l"] and parsed.args_len_at_dash == 1


def test_string_slices_split_on_commas_and_accumulate():
    from labsim.kubectl import cli

    parsed = cli.parse_flags("get", ["pods", "-L", "run,app", "-L", "tier"])
    assert parsed.opts.get("label-columns") == ["run", "app", "tier"]


RECORD_COMMANDS = ["annotate", "apply", "autoscale", "create", "create deployment", "edit", "expose", "label",
                   "patch", "replace", "rollout undo", "rollout pause", "rollout resume", "rollout restart",
                   "run", "scale", "set env", "set image", "set resources", "set selector",
                   "set serviceaccount", "set subject", "taint"]


@needs_kubectl
@pytest.mark.parametrize("cmd", RECORD_COMMANDS)
def test_which_commands_accept_the_deprecated_record_flag(cmd):
    from labsim.kubectl import cli

    accepted_by_real = not real(f"{cmd} --record --help")[1].startswith("Error: unknown flag")
    assert ("record" in cli.flag_specs(cmd)) == accepted_by_real
