"""``kubectl api-resources`` and ``kubectl api-versions`` (kubernetes/kubectl:
pkg/cmd/apiresources/apiresources.go, apiversions.go), from :data:`labsim.api.registry.REGISTRY`
as the server's discovery serves it (preferred versions only; no subresources)."""
from __future__ import annotations

from labsim.api.registry import REGISTRY, api_versions
from labsim.errors import KubectlError
from labsim.kubectl.cli import UsageError, command
from labsim.kubectl.printers.tabwriter import TabWriter


@command("api-resources")
def api_resources(inv) -> None:
    if inv.args:
        raise KubectlError(f"unexpected arguments: [{' '.join(inv.args)}]\n"
                           "See 'kubectl api-resources -h' for help and examples")
    output = inv.opts.get("output") or ""
    if output not in ("", "wide", "name"):
        raise KubectlError(f"--output {output} is not available")
    sort_by = inv.opts.get("sort-by") or ""
    if sort_by not in ("", "name", "kind"):
        raise KubectlError("--sort-by accepts only name or kind")
    verbs = inv.opts.get("verbs") or []
    categories = inv.opts.get("categories") or []
    rows = []
    for rt in REGISTRY.resources:
        if not rt.verbs:
            continue
        if inv.opts.changed("api-group") and inv.opts.get("api-group") != rt.group:
            continue
        if inv.opts.changed("namespaced") and bool(inv.opts.get("namespaced")) != rt.namespaced:
            continue
        if verbs and not set(verbs) <= set(rt.verbs):
            continue
        if categories and not set(categories) <= set(rt.categories):
            continue
        rows.append(rt)
    # sortableResource: by API group (or name/kind), ties by resource name; sort.Stable
    key = {"name": lambda r: r.plural, "kind": lambda r: r.kind}.get(sort_by, lambda r: r.group)
    rows.sort(key=lambda r: (key(r), r.plural))
    tw = TabWriter(minwidth=6, tabwidth=4, padding=3)  # printers.GetNewTabWriter
    if not inv.opts.get("no-headers") and output != "name":
        cols = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
        if output == "wide":
            cols += ["VERBS", "CATEGORIES"]
        tw.write("\t".join(cols) + "\n")
    for rt in rows:
        if output == "name":
            tw.write(rt.plural + (f".{rt.group}" if rt.group else "") + "\n")
            continue
        cells = [rt.plural, ",".join(rt.short_names), rt.api_version, "true" if rt.namespaced else "false", rt.kind]
        if output == "wide":
            cells += [",".join(rt.verbs), ",".join(rt.categories)]
        tw.write("\t".join(cells) + "\n")
    inv.out(tw.flush())


@command("api-versions")
def api_versions_cmd(inv) -> None:
    if inv.args:
        raise UsageError(f"unexpected arguments: [{' '.join(inv.args)}]")
    for v in sorted(api_versions()):
        inv.println(v)
