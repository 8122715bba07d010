"""``kubectl create -f`` (``kubernetes/kubectl: pkg/cmd/create/create.go``): every object of the
files is POSTed; ``pod/mypod created`` per success, errors (``error when creating "pod.yaml": ...``)
collected and printed at the end. ``--save-config`` adds the last-applied annotation; ``--record``
the change-cause.

The ``create <generator>`` subcommands (deployment, service, configmap, ...) live in
``create_generators.py``.
"""
from __future__ import annotations

from labsim.api.meta import deep_copy
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import (ObjectPrinter, check_output_format, prune_nulls, record_change_cause,
                                           validation_directive, warn_all, with_last_applied)
from labsim.kubectl.errors import format_errors, with_source
from labsim.kubectl.resource import object_namespace, parse_dry_run, read_manifests


@command("create")
def create(inv) -> None:
    filenames = inv.opts.get("filename") or []
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")
    if not filenames:
        raise KubectlError("must specify one of -f and -k")
    if inv.opts.get("edit") or inv.opts.get("raw"):
        raise KubectlError("this create option is not available in this simulated cluster")
    validation = validation_directive(inv)
    dry_run = parse_dry_run(inv)
    fmt = check_output_format(inv)
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
            if m.rt.namespaced:
                # unstructured.SetNamespace: SetNestedField fails silently when metadata is present
                # but not a map (a flattened manifest's `metadata:` is null), so nothing is set and
                # the server's strict decoding reports the stray fields
                md = obj.setdefault("metadata", {})
                if isinstance(md, dict):
                    md["namespace"] = ns
            if inv.opts.get("save-config"):
                obj = with_last_applied(obj)
            record_change_cause(inv, obj)
            obj = prune_nulls(obj)
            if dry_run != "client":
                warnings: list[str] = []
                try:
                    obj = inv.api.create(obj, ns, dry_run=dry_run == "server", field_validation=validation,
                                         warnings=warnings)
                except StatusError as e:
                    raise with_source(e, "creating", m.source) from None
                finally:
                    warn_all(inv, warnings)
            count += 1
            printer.print(m.rt, obj, "created")
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
        return
    if count == 0:
        raise KubectlError("no objects passed to create")
