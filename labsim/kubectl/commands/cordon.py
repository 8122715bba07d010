"""``kubectl cordon`` / ``uncordon`` (``kubernetes/kubectl: pkg/cmd/drain/drain.go``
RunCordonOrUncordon, ``pkg/drain/cordon.go`` CordonHelper).

The node's ``spec.unschedulable`` is patched (``true``, or removed on uncordon since ``false`` is
omitted from the patch); output ``node/NAME cordoned`` / ``already cordoned`` (``uncordoned`` /
``already uncordoned``). The scheduler's NodeUnschedulable filter then refuses new pods
(``node(s) were unschedulable``) and the node lifecycle controller adds the taint
``node.kubernetes.io/unschedulable:NoSchedule`` (labsim.scheduler.nodelifecycle).
"""
from __future__ import annotations

from labsim.api import labels as labelsel
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import ObjectPrinter
from labsim.kubectl.resource import parse_dry_run


def _usage(inv, msg: str) -> KubectlError:
    return KubectlError(f"{msg}\nSee 'kubectl {inv.path} -h' for help and examples")


def node_targets(inv) -> list[dict]:
    """``DrainCmdOptions.Complete``: nodes by name, or by ``--selector``."""
    rt = inv.api.registry.for_kind("", "Node")
    selector_text = inv.opts.get("selector") or ""
    if not inv.args and not inv.opts.changed("selector"):
        raise _usage(inv, f"USAGE: {inv.path} NODE [flags]")
    if inv.args and selector_text:
        raise _usage(inv, "cannot specify both a node name and a --selector option")
    if inv.args:
        return [inv.api.get(rt, None, name) for name in inv.args]
    try:
        sel = labelsel.parse(selector_text)
    except labelsel.SelectorParseError as e:
        raise KubectlError(str(e)) from None
    return [n for n in inv.api.list(rt) if sel.matches((n.get("metadata") or {}).get("labels") or {})]


def run_cordon_or_uncordon(inv, desired: bool) -> None:
    dry_run = parse_dry_run(inv)
    fmt = ""  # cordon/uncordon have no -o flag
    nodes = node_targets(inv)
    rt = inv.api.registry.for_kind("", "Node")
    printer = ObjectPrinter(inv, fmt, dry_run)
    verb = "cordon" if desired else "uncordon"
    for node in nodes:
        name = node["metadata"]["name"]
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == desired:
            printer.print(rt, node, "already cordoned" if desired else "already uncordoned")
            continue
        result = node
        if dry_run != "client":
            try:
                result = inv.api.patch(rt, None, name, {"spec": {"unschedulable": True if desired else None}},
                                       "strategic", dry_run=dry_run == "server")
            except StatusError as e:
                inv.eprintln(f'error: unable to {verb} node "{name}": {e.message}')
                continue
        printer.print(rt, result, "cordoned" if desired else "uncordoned")


@command("cordon")
def cordon(inv) -> None:
    run_cordon_or_uncordon(inv, True)


@command("uncordon")
def uncordon(inv) -> None:
    run_cordon_or_uncordon(inv, False)
