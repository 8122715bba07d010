"""Record the Go type layout that go-spew walks when kube-controller-manager hashes a pod template.

``controller.ComputeHash`` prints ``v1.PodTemplateSpec`` with go-spew's ``%#v`` (struct fields in
declaration order, by Go name, with their Go types, unexported ones included), so the Python port
(``labsim/controllers/gospew.py``) needs, for every type reachable from ``core/v1.PodTemplateSpec``
at k8s.io/api v0.32: its kind, the type string reflect prints (``v1.Probe``, ``*int64``,
``[]v1.Container``, ``v1.ResourceList``, ``resource.Quantity``), element/key types, and for structs
the fields with Go name, Go type and the JSON key encoding/json decodes them from.

The layout is taken from reflect itself, by the oracle program (tools/spew_oracle, built with
``tools/spew_oracle/build.sh``), so field order and type strings are exactly the compiled ones.

Usage: python tools/gen_gospew_types.py [ORACLE_BINARY]   (default /tmp/spew_oracle/spew_oracle)
Writes labsim/controllers/data/gospew_types.json:
  {"v1.Probe": {"k": "struct", "f": [[go name, go type, json key], ...]},
   "*v1.Probe": {"k": "ptr", "e": "v1.Probe"}, "v1.ResourceList": {"k": "map", "key": ..., "e": ...}, ...}
A json key is the object key encoding/json reads the field from; "" for an embedded struct whose
fields are promoted (``json:",inline"`` or untagged embedding); null for a field it never sets
(``json:"-"``, unexported).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys


def json_key(field: dict, types: dict) -> str | None:
    # encoding/json typeFields: unexported non-embedded fields and "-" are ignored; an embedded
    # struct without a tag name has its fields promoted; otherwise the tag name or the Go name.
    tag = field.get("json", "")
    name = tag.split(",", 1)[0]
    if tag == "-":
        return None
    if not field["exported"] and not field.get("embedded"):
        return None
    if not name and field.get("embedded"):
        t = field["type"]
        kind = types[t]["kind"]
        if kind == "ptr":
            kind = types[types[t]["elem"]]["kind"]
        if kind == "struct":
            return ""
        if not field["exported"]:
            return None
    return name or field["name"]


def main() -> None:
    oracle = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spew_oracle/spew_oracle"
    types = json.loads(subprocess.run([oracle, "-types"], check=True, capture_output=True, text=True).stdout)
    out = {}
    for name, info in sorted(types.items()):
        entry: dict = {"k": info["kind"]}
        if info.get("elem"):
            entry["e"] = info["elem"]
        if info.get("key"):
            entry["key"] = info["key"]
        if info["kind"] == "struct":
            entry["f"] = [[f["name"], f["type"], json_key(f, types)] for f in info.get("fields") or []]
        out[name] = entry
    dest = os.path.join(os.path.dirname(__file__), "..", "labsim", "controllers", "data", "gospew_types.json")
    with open(dest, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"{len(out)} types -> {os.path.normpath(dest)}")


if __name__ == "__main__":
    main()
