"""``kubectl version`` (kubernetes/kubectl: pkg/cmd/version/version.go).

Client data: the released kubectl v1.32.4 (``kubectl version --client -o yaml`` of the release
binary: gitCommit 59526cd4…, built 2025-04-22 with go1.23.6). Server data: a k3s v1.32.4+k3s1
``/version``. [U] the k3s gitCommit/buildDate/goVersion were not verified against a live k3s
server; gitVersion, major/minor, compiler and platform are certain.
"""
from __future__ import annotations

import json

from labsim.cluster import K3S_VERSION
from labsim.errors import KubectlError
from labsim.kubectl.cli import command
from labsim.kubectl.printers.output import to_yaml

KUSTOMIZE_VERSION = "v5.5.0"

CLIENT_VERSION = {
    "major": "1", "minor": "32", "gitVersion": "v1.32.4", "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",
    "gitTreeState": "clean", "buildDate": "2025-04-22T16:03:58Z", "goVersion": "go1.23.6", "compiler": "gc",
    "platform": "linux/amd64",
}

SERVER_VERSION = {
    "major": "1", "minor": "32", "gitVersion": K3S_VERSION, "gitCommit": "ec59f4a8b30cd9b4c1d0a8c2ec9b1d1f6c1b7e4a",
    "gitTreeState": "clean", "buildDate": "2025-04-25T18:21:27Z", "goVersion": "go1.23.6", "compiler": "gc",
    "platform": "linux/amd64",
}


@command("version")
def version(inv) -> None:
    client_only = bool(inv.opts.get("client"))
    if not client_only and inv.args:
        raise KubectlError(f"extra arguments: [{' '.join(inv.args)}]")
    output = inv.opts.get("output") or ""
    if output not in ("", "yaml", "json"):
        raise KubectlError("--output must be 'yaml' or 'json'")
    info = {"clientVersion": dict(CLIENT_VERSION), "kustomizeVersion": KUSTOMIZE_VERSION}
    if not client_only:
        info["serverVersion"] = dict(SERVER_VERSION)
    if output == "":
        inv.println(f"Client Version: {CLIENT_VERSION['gitVersion']}")
        inv.println(f"Kustomize Version: {KUSTOMIZE_VERSION}")
        if not client_only:
            inv.println(f"Server Version: {SERVER_VERSION['gitVersion']}")
    elif output == "yaml":
        inv.println(to_yaml(info))  # fmt.Fprintln of the marshalled text: an empty line follows
    else:
        inv.println(json.dumps(info, indent=2))
