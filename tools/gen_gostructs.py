"""Extract the Go struct layout of the Kubernetes API types kubectl prints client-side.

kubectl prints typed objects (``create deployment ... -o json``, the responses of its typed
clients) with ``encoding/json``: fields in Go struct declaration order, ``omitempty`` honoured,
non-``omitempty`` zero values written (``"creationTimestamp": null``, ``"resources": {}``). The
OpenAPI schemas sort properties, so the order is read from the Go sources of ``k8s.io/api`` and
``k8s.io/apimachinery`` (a git checkout of each, at a v0.32 tag).

Usage: python tools/gen_gostructs.py API_GIT_DIR APIMACHINERY_GIT_DIR [TAG]
Writes labsim/kubectl/data/gostructs.json:
  {"core/v1.Container": {"fields": [[json name, go type, omitempty, inline], ...]},
   "core/v1.Protocol": {"underlying": "string"}, ...}
Go types are written with package paths: ``*core/v1.Probe``, ``[]core/v1.EnvVar``,
``map[string]string``, ``meta/v1.Time``.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

API_PACKAGES = ["core/v1", "apps/v1", "batch/v1", "networking/v1", "rbac/v1", "scheduling/v1", "policy/v1",
                "autoscaling/v1", "autoscaling/v2", "discovery/v1", "coordination/v1", "storage/v1", "events/v1"]
MACHINERY_FILES = {"meta/v1": ["pkg/apis/meta/v1/types.go", "pkg/apis/meta/v1/time.go",
                               "pkg/apis/meta/v1/micro_time.go", "pkg/apis/meta/v1/duration.go"],
                   "runtime": ["pkg/runtime/types.go"]}
IMPORT_PATHS = {"k8s.io/api/": "", "k8s.io/apimachinery/pkg/apis/meta/v1": "meta/v1",
                "k8s.io/apimachinery/pkg/util/intstr": "intstr",
                "k8s.io/apimachinery/pkg/api/resource": "resource",
                "k8s.io/apimachinery/pkg/runtime": "runtime", "k8s.io/apimachinery/pkg/types": "types"}
BUILTINS = {"string", "bool", "int", "int32", "int64", "uint", "uint32", "uint64", "float32", "float64", "byte"}

_TYPE_DECL = re.compile(r"^type (\w+) (struct \{|(.+))$")
_FIELD = re.compile(r"^\s+(?:(\w+)\s+)?([\w.*\[\]]+(?:\[[\w.*]+\][\w.*\[\]]+)?)\s+`([^`]*)`")
_JSON_TAG = re.compile(r'json:"([^"]*)"')


def git_show(repo: str, tag: str, path: str) -> str | None:
    try:
        return subprocess.run(["git", "--git-dir", repo, "show", f"{tag}:{path}"], check=True,
                              capture_output=True, text=True).stdout
    except subprocess.CalledProcessError:
        return None


def git_ls(repo: str, tag: str, path: str) -> list[str]:
    out = subprocess.run(["git", "--git-dir", repo, "ls-tree", "--name-only", f"{tag}:{path}"],
                         capture_output=True, text=True).stdout
    return [f"{path}/{n}" for n in out.split() if n.endswith(".go") and not n.endswith("_test.go")
            and not n.startswith("zz_generated") and not n.startswith("generated")]


def imports(src: str) -> dict[str, str]:
    out = {}
    block = re.search(r"^import \((.*?)^\)", src, re.S | re.M)
    lines = block.group(1).splitlines() if block else re.findall(r"^import (.*)$", src, re.M)
    for line in lines:
        m = re.match(r'\s*(\w+)?\s*"([^"]+)"', line)
        if not m:
            continue
        alias, path = m.groups()
        for prefix, short in IMPORT_PATHS.items():
            if path.startswith(prefix):
                pkg = path[len(prefix):] if short == "" else short
                out[alias or path.rsplit("/", 1)[1]] = pkg
    return out


def qualify(expr: str, pkg: str, imp: dict[str, str]) -> str:
    if expr.startswith("*"):
        return "*" + qualify(expr[1:], pkg, imp)
    if expr.startswith("[]"):
        return "[]" + qualify(expr[2:], pkg, imp)
    if expr.startswith("map["):
        depth, i = 0, 3
        for i in range(3, len(expr)):
            depth += {"[": 1, "]": -1}.get(expr[i], 0)
            if depth == 0:
                break
        return f"map[{qualify(expr[4:i], pkg, imp)}]{qualify(expr[i + 1:], pkg, imp)}"
    if expr in BUILTINS:
        return expr
    if "." in expr:
        alias, name = expr.split(".", 1)
        return f"{imp.get(alias, alias)}.{name}"
    return f"{pkg}.{expr}"


def parse(src: str, pkg: str, out: dict) -> None:
    imp = imports(src)
    lines = src.splitlines()
    i = 0
    while i < len(lines):
        m = _TYPE_DECL.match(lines[i])
        i += 1
        if not m:
            continue
        name = m.group(1)
        if m.group(3) is not None:
            under = m.group(3).split("//")[0].strip()
            if under and not under.startswith(("func", "interface", "=")):
                out[f"{pkg}.{name}"] = {"underlying": qualify(under, pkg, imp)}
            continue
        fields = []
        while i < len(lines) and lines[i] != "}":
            f = _FIELD.match(lines[i])
            i += 1
            if not f:
                continue
            fname, ftype, tags = f.groups()
            tag = _JSON_TAG.search(tags)
            if not tag:
                continue
            parts = tag.group(1).split(",")
            jname, opts = parts[0], parts[1:]
            if jname == "-":
                continue
            inline = fname is None and "inline" in opts
            if fname is None and not jname and not inline:
                inline = True
            fields.append([jname or (fname or ""), qualify(ftype, pkg, imp), "omitempty" in opts, inline])
        out[f"{pkg}.{name}"] = {"fields": fields}


def main() -> None:
    api_repo, machinery_repo = sys.argv[1], sys.argv[2]
    tag = sys.argv[3] if len(sys.argv) > 3 else "v0.32.9"
    out: dict = {}
    for pkg in API_PACKAGES:
        for path in git_ls(api_repo, tag, pkg):
            src = git_show(api_repo, tag, path)
            if src:
                parse(src, pkg, out)
    for pkg, files in MACHINERY_FILES.items():
        for path in files:
            src = git_show(machinery_repo, tag, path)
            if src:
                parse(src, pkg, out)
    # the types with their own MarshalJSON: printed as their wire value
    for special in ("meta/v1.Time", "meta/v1.MicroTime", "meta/v1.Duration", "meta/v1.FieldsV1",
                    "runtime.RawExtension", "intstr.IntOrString", "resource.Quantity"):
        out[special] = {"opaque": True}
    out["types.UID"] = {"underlying": "string"}
    dest = os.path.join(os.path.dirname(__file__), "..", "labsim", "kubectl", "data", "gostructs.json")
    with open(dest, "w") as f:
        json.dump(dict(sorted(out.items())), f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(out)} types -> {os.path.normpath(dest)}")


if __name__ == "__main__":
    main()
