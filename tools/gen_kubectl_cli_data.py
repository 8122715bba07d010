"""Capture kubectl v1.32's command tree, help texts and flag tables from the real client.

Run once by a developer (needs /usr/bin/kubectl; no cluster): it writes
``labsim/kubectl/data/cli.json``, which labsim's own parser uses so that flag errors, help texts and
unknown-command suggestions are exactly the real client's. The output is data, committed.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

KUBECTL = "/usr/bin/kubectl"
# flags whose type pflag declares as stringArray (repeatable, no comma splitting)
STRING_ARRAY = {
    ("run", "env"), ("run", "annotations"), ("run", "overrides"), ("create configmap", "from-literal"),
    ("create secret generic", "from-literal"), ("create ingress", "rule"), ("create ingress", "annotation"),
    ("set env", "env"), ("exec", "filename"), ("debug", "env"), ("create job", "from"),
    # kubernetes/kubectl pkg/cmd/create: StringArrayVar (from-env-file is a StringSliceVar)
    ("create rolebinding", "user"), ("create rolebinding", "group"), ("create rolebinding", "serviceaccount"),
    ("create clusterrolebinding", "user"), ("create clusterrolebinding", "group"),
    ("create clusterrolebinding", "serviceaccount"), ("create role", "resource-name"),
    ("create clusterrole", "resource-name"),
}
COUNT_FLAGS: set = set()
FLAG_RE = re.compile(r"^    (?:-(\w), )?--([\w-]+)=(.*):$")


def help_text(path: list[str], flag: str = "--help") -> str:
    p = subprocess.run([KUBECTL, *path, *([flag] if flag else [])], capture_output=True, text=True,
                       env={"HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "KUBECONFIG": "/dev/null"})
    return p.stdout.replace("/nonexistent/.kube/cache", "$HOME/.kube/cache")


def parse_flags(path: str, text: str) -> list[dict]:
    flags = []
    for line in text.splitlines():
        m = FLAG_RE.match(line)
        if not m:
            continue
        short, long, default = m.group(1), m.group(2), m.group(3)
        if default in ("true", "false"):
            typ = "bool"
        elif default.startswith("[") and default.endswith("]"):
            typ = "stringArray" if (path, long) in STRING_ARRAY else "stringSlice"
        elif default.startswith("'") and default.endswith("'"):
            typ = "string"
        elif re.fullmatch(r"-?\d+", default):
            typ = "int"
        elif re.fullmatch(r"-?\d+(\.\d+)?(ns|us|ms|s|m|h)(\d+(ms|s))?", default) or default == "0s":
            typ = "duration"
        elif re.fullmatch(r"-?\d+\.\d+", default):
            typ = "float"
        elif default.startswith("map["):
            typ = "stringToString"
        else:
            typ = "string"
        if typ == "string":
            default = default[1:-1] if default.startswith("'") else default
        flags.append({"short": short, "long": long, "type": typ, "default": default})
    return flags


def subcommands(text: str) -> list[str]:
    out, in_block = [], False
    for line in text.splitlines():
        if line.endswith("Commands:") or line.startswith("Available Commands:") or \
                line.strip().endswith("Commands (Beginner):") or line.strip().endswith("Commands (Intermediate):"):
            in_block = True
            continue
        if in_block:
            m = re.match(r"^  ([a-z][\w-]*)\s{2,}", line)
            if m:
                out.append(m.group(1))
            elif not line.strip():
                in_block = False
    return out


def walk(path: list[str], tree: dict) -> None:
    text = help_text(path)
    key = " ".join(path)
    subs = subcommands(text) if path or True else []
    tree[key] = {"help": text, "flags": parse_flags(key, text), "subcommands": subs}
    for s in subs:
        if s in ("completion", "plugin") and not path:
            # still recorded, but their subtrees are not needed
            tree[" ".join(path + [s])] = {"help": help_text(path + [s]), "flags": [], "subcommands": []}
            continue
        walk(path + [s], tree)


def main() -> None:
    tree: dict = {}
    walk([], tree)
    # `kubectl options` prints the global flags (its --help is a different text)
    tree["options"] = {"help": help_text(["options"], flag=""), "flags": [], "subcommands": []}
    tree["__global__"] = {"help": "", "flags": parse_flags("", help_text(["options"], flag="")), "subcommands": []}
    out = sys.argv[1] if len(sys.argv) > 1 else "labsim/kubectl/data/cli.json"
    with open(out, "w") as f:
        json.dump(tree, f, indent=1, sort_keys=True)
    print(f"{len(tree)} commands written to {out}")


if __name__ == "__main__":
    main()
