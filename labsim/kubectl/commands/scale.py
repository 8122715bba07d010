"""``kubectl scale`` (``kubernetes/kubectl: pkg/cmd/scale/scale.go``, ``pkg/scale/scale.go``, v1.32).

Order as upstream: cobra's required ``--replicas`` (klog ``required flag(s) "replicas" not set``);
``Complete`` (``--dry-run``, ``-o``); ``Validate`` (``--replicas`` >= 0, ``--current-replicas`` >=
-1); the unstructured builder (``ResourceTypeOrNameArgs(--all, ...)``, ``ContinueOnError``); then
for each object the scale subresource: without preconditions a merge patch
``{"spec":{"replicas":N}}``, with ``--current-replicas`` / ``--resource-version`` a GET of the
Scale, the precondition check (``Expected replicas to be 2, was 4``) and an update. Kinds without
a ``scale`` subresource get the server's 404. ``--record`` patches the change-cause annotation
after scaling. The success line (``deployment.apps/web scaled``) is printed even when the count
does not change; ``-o yaml`` prints the object as the builder fetched it (before scaling), as
upstream does. No objects: ``no objects passed to scale`` followed by the lookup error (sic, no
separator). ``--timeout`` polls the Scale every second until ``status.replicas`` reaches the
count (the simulated clock advances) and fails with ``timed out waiting for "web" to be synced``.
"""
from __future__ import annotations

from labsim.api.patch import create_merge_patch
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import CHANGE_CAUSE
from labsim.kubectl.commands.rollout import builder_infos, check_printer, flatten_errors, print_result
from labsim.kubectl.resource import klog_command_failed, parse_dry_run


def _not_scalable() -> StatusError:
    # the apiserver has no route for <resource>/<name>/scale
    return StatusError("NotFound", 404, "the server could not find the requested resource")


@command("scale")
def scale(inv) -> None:
    if not inv.opts.changed("replicas"):
        raise klog_command_failed(inv, 'required flag(s) "replicas" not set')
    dry_run = parse_dry_run(inv)
    fmt = check_printer(inv)
    replicas = inv.opts.get("replicas")
    current = inv.opts.get("current-replicas")
    resource_version = inv.opts.get("resource-version") or ""
    if replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise KubectlError("The --current-replicas must specify an integer of -1 or greater")
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")
    infos, info_errs = builder_infos(inv, list(inv.args), allow_empty_selector=bool(inv.opts.get("all")),
                                     select_all=bool(inv.opts.get("all")), selector=inv.opts.get("selector") or "",
                                     filenames=list(inv.opts.get("filename") or []))
    if resource_version and len(infos) > 1:
        raise KubectlError("cannot use --resource-version with multiple resources")
    if not infos:
        if info_errs:
            raise KubectlError("no objects passed to scale " + _aggregate_text(info_errs))
        raise KubectlError("no objects passed to scale")
    timeout = inv.opts.get("timeout") or 0.0
    count = [0]
    for info in infos:
        if dry_run == "client":
            print_result(inv, fmt, info.rt, info.obj, "scaled", dry_run, count, typed=False)
            continue
        if "scale" not in info.rt.subresources:
            raise _not_scalable()
        _scale_one(inv, info, replicas, current, resource_version, dry_run == "server")
        if timeout and dry_run == "none":
            _wait_for_replicas(inv, info, replicas, timeout)
        if inv.opts.get("record"):
            _record(inv, info)
        print_result(inv, fmt, info.rt, info.obj, "scaled", dry_run, count, typed=False)
    flatten_errors(info_errs)


def _aggregate_text(errs: list[Exception]) -> str:
    """``%w`` of the builder's aggregate: one message, or ``[a, b]`` (duplicates once)."""
    msgs: list[str] = []
    for e in errs:
        m = e.message if isinstance(e, (StatusError, KubectlError)) else str(e)
        if m not in msgs:
            msgs.append(m)
    return msgs[0] if len(errs) == 1 else "[" + ", ".join(msgs) + "]"


def _scale_one(inv, info, replicas: int, current: int, resource_version: str, server_dry_run: bool) -> None:
    """``genericScaler.ScaleSimple`` (a conflict is retried by ``Scale``: here a write never races)."""
    if current != -1 or resource_version:
        live = inv.api.get(info.rt, info.namespace, info.name)
        spec_replicas = (live.get("spec") or {}).get("replicas")
        spec_replicas = 1 if spec_replicas is None else int(spec_replicas)
        live_rv = (live.get("metadata") or {}).get("resourceVersion", "")
        if current != -1 and spec_replicas != current:
            raise KubectlError(f"Expected replicas to be {current}, was {spec_replicas}")
        if resource_version and live_rv != resource_version:
            raise KubectlError(f"Expected resource version to be {resource_version}, was {live_rv}")
        patch = {"metadata": {"resourceVersion": live_rv}, "spec": {"replicas": replicas}}
    else:
        patch = {"spec": {"replicas": replicas}}
    inv.api.patch(info.rt, info.namespace, info.name, patch, "merge", dry_run=server_dry_run)


def _wait_for_replicas(inv, info, replicas: int, timeout: float) -> None:
    """``WaitForScaleHasDesiredReplicas``: poll every second (immediately first) until the Scale's
    ``status.replicas`` equals the desired count, or someone else changed ``spec.replicas``."""
    clock = inv.cluster.clock
    deadline = clock.now + timeout
    while True:
        obj = inv.api.get(info.rt, info.namespace, info.name)
        spec_replicas = (obj.get("spec") or {}).get("replicas")
        spec_replicas = 1 if spec_replicas is None else int(spec_replicas)
        if spec_replicas != replicas:
            return
        if int((obj.get("status") or {}).get("replicas") or 0) == replicas:
            return
        if clock.now + 1.0 > deadline:
            clock.run_until(deadline)
            raise KubectlError(f'timed out waiting for "{info.name}" to be synced')
        clock.run_until(clock.now + 1.0)


def _record(inv, info) -> None:
    """``Recorder.MakeRecordMergePatch(info.Object)``: errors are only logged at -v=4."""
    md = info.obj.get("metadata") or {}
    before = {"metadata": {"annotations": dict(md.get("annotations") or {})}}
    after = {"metadata": {"annotations": {**(md.get("annotations") or {}), CHANGE_CAUSE: inv.change_cause()}}}
    patch = create_merge_patch(before, after)
    if patch:
        try:
            inv.api.patch(info.rt, info.namespace, info.name, patch, "merge")
        except StatusError:
            pass
