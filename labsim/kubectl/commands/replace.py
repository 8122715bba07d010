"""``kubectl replace -f`` (``kubernetes/kubectl: pkg/cmd/replace/replace.go``): a PUT of every
object of the files (the live ``resourceVersion`` is filled in when the file has none, as
``Helper.Replace(..., overwrite=true)`` does); ``pod/db replaced``. A missing object is
``Error from server (NotFound): error when replacing "x.yaml": ...``. ``--force`` deletes the
object, waits until it is gone and creates it again.
"""
from __future__ import annotations

from labsim.api.meta import deep_copy
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import (LAST_APPLIED, ObjectPrinter, check_output_format, prune_nulls,
                                           record_change_cause, validation_directive, warn_all, with_last_applied)
from labsim.kubectl.errors import format_errors, with_source
from labsim.kubectl.resource import object_namespace, parse_dry_run, read_manifests


@command("replace")
def replace(inv) -> None:
    filenames = inv.opts.get("filename") or []
    if not filenames:
        raise KubectlError("must specify --filename to replace")
    validation = validation_directive(inv)
    dry_run = parse_dry_run(inv)
    fmt = check_output_format(inv)
    force = inv.opts.get("force")
    printer = ObjectPrinter(inv, fmt, dry_run)
    errs: list[Exception] = []
    count = 0
    for m in read_manifests(inv, filenames, inv.opts.get("recursive")):
        if m.error is not None:
            errs.append(m.error)
            continue
        try:
            obj = deep_copy(m.obj)
            ns = object_namespace(inv, m.rt, obj)
            md = obj.setdefault("metadata", {})
            if m.rt.namespaced:
                md["namespace"] = ns
            if inv.opts.get("save-config") or LAST_APPLIED in (md.get("annotations") or {}):
                obj = with_last_applied(obj) if inv.opts.get("save-config") else obj
            record_change_cause(inv, obj)
            obj = prune_nulls(obj)
            name = md.get("name", "")
            warnings: list[str] = []
            if force:
                obj = _force_replace(inv, m, obj, ns, name, dry_run, validation, warnings)
            elif dry_run != "client":
                try:
                    live = inv.api.get(m.rt, ns, name)
                    if not obj["metadata"].get("resourceVersion"):
                        obj["metadata"]["resourceVersion"] = live["metadata"].get("resourceVersion")
                    obj = inv.api.update(obj, ns, dry_run=dry_run == "server", field_validation=validation,
                                         warnings=warnings)
                except StatusError as e:
                    raise with_source(e, "replacing", m.source) from None
                finally:
                    warn_all(inv, warnings)
            count += 1
            printer.print(m.rt, obj, "replaced")
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
        return
    if count == 0:
        raise KubectlError("no objects passed to replace")


def _force_replace(inv, m, obj, ns, name, dry_run, validation, warnings):
    from labsim.kubectl.commands.delete import _wait_for_deletion

    rt = m.rt
    if dry_run == "client":
        return obj
    try:
        resp = inv.api.delete(rt, ns, name, propagation="Background", dry_run=dry_run == "server")
        inv.println(f'{rt.kind_group} "{name}" deleted')
        if dry_run == "none":
            _wait_for_deletion(inv, [(rt, ns, name, resp["metadata"].get("uid"))])
    except StatusError as e:
        if e.reason != "NotFound":
            raise with_source(e, "deleting", m.source) from None
    obj["metadata"].pop("resourceVersion", None)
    try:
        return inv.api.create(obj, ns, dry_run=dry_run == "server", field_validation=validation, warnings=warnings)
    except StatusError as e:
        raise with_source(e, "replacing", m.source) from None
    finally:
        warn_all(inv, warnings)
