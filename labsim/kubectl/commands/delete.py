"""``kubectl delete`` (``kubernetes/kubectl: pkg/cmd/delete/delete.go``, ``delete_flags.go``).

Objects come from ``TYPE NAME...``, ``TYPE/NAME``, ``-f``, ``-l``/``--all`` (``-A``); each DELETE
carries the grace period and the propagation policy (``--cascade``); the line
``pod "db" deleted`` is printed when the API accepts the request. Then, as kubectl's default
``--wait=true`` does, the command blocks until every deleted object is gone: the simulated clock is
advanced event by event until the objects disappear or ``--timeout`` passes.

Limitations: ``--interactive``, ``--raw``, ``--field-selector`` and ``-k`` are not offered; when no
event is pending that could remove an object (a finalizer nobody will remove), the wait ends
instead of hanging as the real client would.
"""
from __future__ import annotations

from labsim.api import labels
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.errors import format_errors, with_source
from labsim.kubectl.resource import (PROVIDE_RESOURCES, object_namespace, parse_dry_run,
                                     parse_resource_args, read_manifests)

FORCE_WARNING = ("Immediate deletion does not wait for confirmation that the running resource has been terminated. "
                 "The resource may continue to run on the cluster indefinitely.")
NO_NAME = "resource(s) were provided, but no name was specified"
PROPAGATION = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}


def cascading_strategy(inv) -> str:
    """``GetCascadingStrategy`` (delete_flags.go): background | foreground | orphan."""
    value = (inv.opts.get("cascade") or "background").lower()
    if value in ("true", "false"):
        replacement = "background" if value == "true" else "orphan"
        inv.eprintln(f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
                     f"--cascade={replacement}.")
        return replacement
    if value not in PROPAGATION:
        raise KubectlError(f'invalid cascade value ({inv.opts.get("cascade")}). Must be "background", '
                           f'"foreground", or "orphan"')
    return value


def kind_string(rt) -> str:
    return rt.kind_group


@command("delete")
def delete(inv) -> None:
    cascade = cascading_strategy(inv)
    output = inv.opts.get("output") or ""
    delete_all = inv.opts.get("all")
    selector_text = inv.opts.get("selector") or ""
    if inv.opts.get("kustomize") or inv.opts.get("raw") or inv.opts.get("interactive") \
            or inv.opts.get("field-selector"):
        raise KubectlError("this delete option is not available in this simulated cluster")
    ignore_not_found = inv.opts.get("ignore-not-found")
    if (delete_all or selector_text) and not inv.opts.changed("ignore-not-found"):
        ignore_not_found = True
    grace = inv.opts.get("grace-period")
    force = inv.opts.get("force")
    if inv.opts.get("now"):
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1  # delete.go: --grace-period=0 without --force means 1
    if force and grace < 0:
        grace = 0
    dry_run = parse_dry_run(inv)

    targets, errs = _targets(inv, selector_text, delete_all)

    # Validate() runs after the builder
    if output not in ("", "name"):
        raise KubectlError(f"unexpected -o output mode: {output}. We only support '-o name'")
    if delete_all and selector_text:
        raise KubectlError("cannot set --all and --selector at the same time")
    if grace == 0 and force:
        inv.warn(FORCE_WARNING)
    elif grace > 0 and force:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")

    operation = "force deleted" if grace == 0 else "deleted"
    operation += {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    found = 0
    deleted: list[tuple] = []
    for rt, ns, name, source in targets:
        if isinstance(name, Exception):
            errs.append(name)
            continue
        if dry_run == "client":
            found += 1
            _print(inv, rt, name, operation, output)
            continue
        found += 1  # delete.go counts the object before the DELETE is sent
        if not name:
            # client-go's Request.Name("") fails before anything is sent; AddSourceToErr adds the file
            msg = "resource name may not be empty"
            errs.append(KubectlError(f'error when deleting "{source}": {msg}' if source else msg))
            continue
        try:
            resp = inv.api.delete(rt, ns, name, grace_period=grace if grace >= 0 else None,
                                  propagation=PROPAGATION[cascade], dry_run=dry_run == "server")
        except StatusError as e:
            if ignore_not_found and e.reason == "NotFound":
                continue
            errs.append(with_source(e, "deleting", source) if source else e)
            continue
        _print(inv, rt, name, operation, output)
        deleted.append((rt, ns, name, (resp.get("metadata") or {}).get("uid")))
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
        return
    if found == 0:
        inv.println("No resources found")
        return
    if inv.opts.get("wait") and dry_run == "none":
        _wait_for_deletion(inv, deleted)


def _print(inv, rt, name: str, operation: str, output: str) -> None:
    if output == "name":
        inv.println(f"{kind_string(rt)}/{name}")
    else:
        inv.println(f'{kind_string(rt)} "{name}" {operation}')


def _targets(inv, selector_text: str, delete_all: bool) -> tuple[list[tuple], list[Exception]]:
    """(rt, namespace, name | error, source) in the builder's order."""
    filenames = inv.opts.get("filename") or []
    args = inv.args
    errs: list[Exception] = []
    out: list[tuple] = []
    if filenames:
        if args:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        for m in read_manifests(inv, filenames, inv.opts.get("recursive")):
            if m.error is not None:
                errs.append(m.error)
                continue
            ns = object_namespace(inv, m.rt, m.obj)
            out.append((m.rt, ns, (m.obj.get("metadata") or {}).get("name", ""), m.source))
        return out, errs
    if not args:
        raise KubectlError(PROVIDE_RESOURCES)
    parsed = parse_resource_args(args)
    if parsed.named:
        if delete_all or selector_text:
            pass
        for rt, names in parsed.selections:
            for name in names:
                out.append((rt, inv.namespace if rt.namespaced else None, name, ""))
        return out, errs
    if not delete_all and not selector_text:
        raise KubectlError(NO_NAME)
    selector = None
    if selector_text:
        try:
            selector = labels.parse(selector_text)
        except labels.SelectorParseError as e:
            for rt, _ in parsed.selections:
                errs.append(StatusError("BadRequest", 400,
                                        f'Unable to find "{rt.gvr}" that match label selector "{selector_text}", '
                                        f'field selector "": {e}'))
            return out, errs
    all_ns = inv.opts.get("all-namespaces")
    for rt, _ in parsed.selections:
        ns = None if (all_ns or not rt.namespaced) else inv.namespace
        items = inv.api.list(rt, ns)
        for obj in items:
            md = obj.get("metadata") or {}
            if selector is not None and not selector.matches(md.get("labels") or {}):
                continue
            out.append((rt, md.get("namespace") if rt.namespaced else None, md.get("name", ""), ""))
    return out, errs


#: when no --timeout is given kubectl waits a week; the simulator stops earlier when nothing is pending
WEEK = 168 * 3600.0


def _wait_for_deletion(inv, deleted: list[tuple]) -> None:
    clock = inv.cluster.clock
    timeout = inv.opts.get("timeout") or 0.0
    deadline = clock.now + (timeout if timeout > 0 else WEEK)

    def remaining():
        out = []
        for rt, ns, name, uid in deleted:
            obj = inv.api.try_get(rt, ns, name)
            if obj is not None and (uid is None or obj["metadata"].get("uid") == uid):
                out.append((rt, name))
        return out

    inv.cluster.settle()
    while True:
        left = remaining()
        if not left:
            return
        nxt = clock.next_time()
        if nxt is None or nxt > deadline:
            if timeout > 0:
                clock.run_until(deadline)
                left = remaining()
                if left:
                    rt, name = left[0]
                    raise KubectlError(f"timed out waiting for the condition on {rt.plural}/{name}")
            return
        clock.run_until(nxt)
