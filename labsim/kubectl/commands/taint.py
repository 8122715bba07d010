"""``kubectl taint`` (``kubernetes/kubectl: pkg/cmd/taint/taint.go`` and ``utils.go``).

``key=value:Effect`` and ``key:Effect`` add (new taints first, then the node's other taints, as
``reorganizeTaints`` builds the list), ``key:Effect-`` and ``key-`` remove. Output
``node/NAME tainted`` / ``untainted`` / ``modified`` (``--overwrite``). Errors and their order
follow Complete, Validate and RunTaint.
"""
from __future__ import annotations

from labsim.api import labels as labelsel
from labsim.api.meta import deep_copy
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import ObjectPrinter, check_output_format
from labsim.kubectl.errors import format_errors
from labsim.kubectl.resource import parse_dry_run, resolve_type

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _usage(msg: str) -> KubectlError:
    return KubectlError(f"{msg}\nSee 'kubectl taint -h' for help and examples")


def taint_string(t: dict) -> str:
    """``Taint.ToString``."""
    key, value, effect = t.get("key", ""), t.get("value") or "", t.get("effect") or ""
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def parse_taint(st: str) -> dict:
    """``parseTaint``: ``key=value:effect``, ``key:effect`` or ``key``."""
    parts = st.split(":")
    value = effect = ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise ValueError(f"invalid taint effect: {effect}, unsupported taint effect")
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise ValueError(f"invalid taint spec: {st}")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            errs = labelsel.is_valid_label_value(value)
            if errs:
                raise ValueError(f"invalid taint spec: {st}, {'; '.join(errs)}")
    else:
        raise ValueError(f"invalid taint spec: {st}")
    errs = labelsel.is_qualified_name(key)
    if errs:
        raise ValueError(f"invalid taint spec: {st}, {'; '.join(errs)}")
    return {"key": key, "value": value, "effect": effect}


def parse_taints(specs: list[str]) -> tuple[list[dict], list[dict]]:
    """``parseTaints``: taints to add and to remove."""
    add: list[dict] = []
    remove: list[dict] = []
    seen: dict[str, set[str]] = {}
    for spec in specs:
        if spec.endswith("-"):
            t = parse_taint(spec[:-1])
            remove.append({"key": t["key"], "effect": t["effect"]})
            continue
        t = parse_taint(spec)
        if not t["effect"]:
            raise ValueError(f"invalid taint spec: {spec}")
        if t["key"] in seen.get(t["effect"], set()):
            raise ValueError(f"duplicated taints with the same key and effect: {{{t['key']} {t['value']} "
                             f"{t['effect']} <nil>}}")
        seen.setdefault(t["effect"], set()).add(t["key"])
        add.append(t)
    return add, remove


def _wire(t: dict) -> dict:
    out = {"key": t["key"]}
    if t.get("value"):
        out["value"] = t["value"]
    out["effect"] = t["effect"]
    if t.get("timeAdded"):
        out["timeAdded"] = t["timeAdded"]
    return out


def _match(a: dict, b: dict) -> bool:
    """``Taint.MatchTaint``: same key and effect."""
    return a.get("key") == b.get("key") and (a.get("effect") or "") == (b.get("effect") or "")


def reorganize_taints(old: list[dict], overwrite: bool, add: list[dict], remove: list[dict]):
    """``reorganizeTaints``: (operation, new taints, errors)."""
    new = [_wire(t) for t in add]
    for o in old:
        if not any(_match(t, o) for t in new):
            new.append(o)
    added = len(old) != len(new)
    errs: list[str] = []
    removed = False
    for r in remove:
        before = len(new)
        if r["effect"]:
            new = [t for t in new if not _match(r, t)]
        else:
            new = [t for t in new if t.get("key") != r["key"]]
        removed = len(new) != before
        if not removed:
            errs.append(f'taint "{taint_string(r)}" not found')
    if (added and removed) or overwrite:
        op = "modified"
    elif added:
        op = "tainted"
    else:
        op = "untainted"
    return op, new, errs


@command("taint")
def taint(inv) -> None:
    # Complete: resources before taint changes
    resources: list[str] = []
    taint_args: list[str] = []
    met = False
    for s in inv.args:
        is_taint = "=" in s or ":" in s or s.endswith("-")
        if is_taint:
            met = True
            taint_args.append(s)
        elif not met:
            resources.append(s)
        else:
            raise KubectlError(f"all resources must be specified before taint changes: {s}")
    if not resources:
        raise KubectlError("one or more resources must be specified as <resource> <name>")
    if not taint_args:
        raise KubectlError("at least one taint update is required")
    try:
        add, remove = parse_taints(taint_args)
    except ValueError as e:
        raise _usage(str(e)) from None
    dry_run = parse_dry_run(inv)
    fmt = check_output_format(inv)
    # Validate
    type_word = resources[0].lower()
    rt = resolve_type(type_word)
    if rt.kind != "Node" or rt.group != "":
        raise KubectlError(f"invalid resource type {type_word}, only node types are supported")
    conflicts = [f'{{"{r["key"]}":"{r["effect"]}"}}' for a in add for r in remove
                 if a["key"] == r["key"] and (not r["effect"] or a["effect"] == r["effect"])]
    if conflicts:
        raise KubectlError("can not both modify and remove the following taint(s) in the same command: "
                           + ", ".join(conflicts))
    selector_text = inv.opts.get("selector") or ""
    all_nodes = inv.opts.get("all")
    if all_nodes and selector_text:
        raise KubectlError("setting 'all' parameter with a non empty selector is prohibited")
    if not all_nodes and not selector_text and len(resources) < 2:
        raise KubectlError("at least one resource name must be specified since 'all' parameter is not set")
    # RunTaint
    if all_nodes or selector_text:
        try:
            sel = labelsel.parse(selector_text) if selector_text else labelsel.Selector.everything()
        except labelsel.SelectorParseError as e:
            raise KubectlError(str(e)) from None
        nodes = [n for n in inv.api.list(rt) if sel.matches((n.get("metadata") or {}).get("labels") or {})]
    else:
        nodes = []
        for name in resources[1:]:
            nodes.append(inv.api.get(rt, None, name))
    printer = ObjectPrinter(inv, fmt, dry_run)
    overwrite = bool(inv.opts.get("overwrite"))
    errs: list[Exception] = []
    for node in nodes:
        try:
            _taint_one(inv, rt, node, add, remove, overwrite, dry_run, printer)
        except (KubectlError, StatusError) as e:
            errs.append(e)
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1


def _taint_one(inv, rt, node: dict, add, remove, overwrite: bool, dry_run: str, printer) -> None:
    name = node["metadata"]["name"]
    old = list((node.get("spec") or {}).get("taints") or [])
    if not overwrite:
        exists = [t["key"] for t in add for o in old
                  if t["key"] == o.get("key") and t["effect"] == (o.get("effect") or "")]
        if exists:
            raise KubectlError(f"node {name} already has {','.join(exists)} taint(s) with same effect(s) and "
                               "--overwrite is false")
    op, new, errs = reorganize_taints(old, overwrite, add, remove)
    if errs:
        raise KubectlError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")
    if dry_run == "client":
        obj = deep_copy(node)
        if new:
            obj.setdefault("spec", {})["taints"] = new
        else:
            obj.get("spec", {}).pop("taints", None)
        printer.print(rt, obj, op)
        return
    result = inv.api.patch(rt, None, name, {"spec": {"taints": new or None}}, "merge",
                           dry_run=dry_run == "server")
    printer.print(rt, result, op)
