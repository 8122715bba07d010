"""``kubectl apply -f`` (client-side apply), as ``kubernetes/kubectl: pkg/cmd/apply/apply.go`` and
``patcher.go`` do it:

for every object of the files, in order: GET the live object; if absent, add the
``kubectl.kubernetes.io/last-applied-configuration`` annotation and create it (``created``);
otherwise compute the three-way strategic merge patch (last-applied, file, live) and send it,
``unchanged`` when the patch is ``{}`` (nothing is sent), else ``configured``. Successes print as
they happen; errors are collected and printed at the end (``format_errors``).

Also the helpers the other write verbs share (validation directive, object printing).

Limitations: no ``--server-side``, ``--prune``, ``-k``; no conflict retries (the simulated server
never races a client within one command).
"""
from __future__ import annotations

import json

from labsim.api import strategic
from labsim.api.meta import deep_copy
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.errors import format_errors, with_source
from labsim.kubectl.resource import (object_namespace, parse_dry_run, read_manifests,
                                     success_line)

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CHANGE_CAUSE = "kubernetes.io/change-cause"

WARNING_NO_LAST_APPLIED = (
    "Warning: resource {0} is missing the {1} annotation which is required by {2} apply. {2} apply should only be "
    "used on resources created declaratively by either {2} create --save-config or {2} apply. The missing "
    "annotation will be patched automatically.")
WARNING_DELETING = "Warning: Detected changes to resource {0} which is currently being deleted."


# -- shared by the write verbs ----------------------------------------------------------------------

def validation_directive(inv) -> str:
    """``--validate`` -> the server's ``fieldValidation`` (cmdutil.GetValidationDirective)."""
    value = inv.opts.get("validate")
    lowered = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
               "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
    if value in lowered:
        return "Strict" if lowered[value] else "Ignore"
    if value == "strict":
        return "Strict"
    if value == "warn":
        return "Warn"
    if value == "ignore":
        return "Ignore"
    raise KubectlError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)')


def check_output_format(inv) -> str:
    """``-o`` values the write verbs accept here: ``''``, ``name``, ``yaml``, ``json``."""
    fmt = inv.opts.get("output") or ""
    if fmt not in ("", "name", "yaml", "json"):
        raise KubectlError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                           "json,name,yaml")
    return fmt


class ObjectPrinter:
    """Prints one result per object: the success line, ``-o name``, or the object (``-o yaml``
    separates documents with ``---`` as cli-runtime's YAMLPrinter does)."""

    def __init__(self, inv, fmt: str, dry_run: str = "none"):
        self.inv = inv
        self.fmt = fmt
        self.dry_run = dry_run
        self.count = 0

    def print(self, rt, obj: dict, operation: str) -> None:
        from labsim.kubectl.printers import output

        name = (obj.get("metadata") or {}).get("name", "")
        self.count += 1
        if self.fmt == "":
            self.inv.println(success_line(rt, name, operation, self.dry_run))
        elif self.fmt == "name":
            self.inv.println(output.name_line(rt, obj))
        elif self.fmt == "yaml":
            if self.count > 1:
                self.inv.out("---\n")
            self.inv.out(output.to_yaml(output.strip_managed_fields(obj)))
        else:
            self.inv.out(output.to_json(output.strip_managed_fields(obj)))


def print_objects(inv, fmt: str, items: list[tuple]) -> None:
    """apply's ``printObjects``: one object, or a ``List`` of them."""
    from labsim.kubectl.printers import output

    objs = [output.strip_managed_fields(obj) for _, obj in items]
    if not objs:
        return
    if fmt == "name":
        for rt, obj in items:
            inv.println(output.name_line(rt, obj))
        return
    doc = objs[0] if len(objs) == 1 else {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {}}
    inv.out(output.to_yaml(doc) if fmt == "yaml" else output.to_json(doc))


def source_error(err: Exception, verb: str, source: str) -> Exception:
    """``cmdutil.AddSourceToErr`` for API and client errors alike."""
    if isinstance(err, StatusError):
        return with_source(err, verb, source)
    msg = err.message if isinstance(err, KubectlError) else str(err)
    return KubectlError(f'error when {verb} "{source}": {msg}') if source else err


def info_string(rt, name: str, namespace: str | None) -> str:
    """``resource.Info.String()``."""
    return (f'Resource: "{rt.gvr}", GroupVersionKind: "{rt.gvk}"\n'
            f'Name: "{name}", Namespace: "{namespace or ""}"')


def prune_nulls(v):
    if isinstance(v, dict):
        return {k: prune_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [prune_nulls(x) for x in v]
    return v


def go_json_line(obj) -> str:
    """``json.NewEncoder(w).Encode(obj)`` (keys sorted, HTML-escaped, trailing newline)."""
    from labsim.kubectl.printers import output

    return output.to_compact_json(obj) + "\n"


def with_last_applied(obj: dict) -> dict:
    """``util.GetModifiedConfiguration(obj, annotate=true)``: the object carrying the
    last-applied annotation, whose value is the object's JSON with ``annotations`` emptied of it."""
    obj = deep_copy(obj)
    md = obj.setdefault("metadata", {})
    annotations = dict(md.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    md["annotations"] = annotations
    encoded = go_json_line(obj)
    md["annotations"] = {**annotations, LAST_APPLIED: encoded}
    return obj


def record_change_cause(inv, obj: dict) -> None:
    """``--record``: the ``kubernetes.io/change-cause`` annotation (record_flags.go)."""
    if inv.opts.get("record"):
        md = obj.setdefault("metadata", {})
        md["annotations"] = {**(md.get("annotations") or {}), CHANGE_CAUSE: inv.change_cause()}


def warn_all(inv, warnings: list[str]) -> None:
    for w in warnings:
        inv.warn(w)


# -- apply ------------------------------------------------------------------------------------------

@command("apply")
def apply(inv) -> None:
    filenames = inv.opts.get("filename") or []
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")
    if not filenames:
        raise KubectlError("must specify one of -f and -k")
    if inv.opts.get("server-side"):
        raise KubectlError("--server-side is not available in this simulated cluster")
    dry_run = parse_dry_run(inv)
    validation = validation_directive(inv)
    fmt = check_output_format(inv)
    manifests = read_manifests(inv, filenames, inv.opts.get("recursive"))
    errs: list[Exception] = []
    printer = ObjectPrinter(inv, fmt, dry_run)
    printed: list[tuple] = []
    count = 0
    for m in manifests:
        if m.error is not None:
            errs.append(m.error)
            continue
        count += 1
        try:
            result = _apply_one(inv, m, dry_run, validation, printer if fmt in ("", "name") else None)
            if result is not None:
                printed.append(result)
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if count == 0 and not errs:
        raise KubectlError("no objects passed to apply")
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
        return
    if fmt:
        print_objects(inv, fmt, printed)


def _apply_one(inv, m, dry_run: str, validation: str, printer: ObjectPrinter | None):
    rt = m.rt
    obj = deep_copy(m.obj)
    ns = object_namespace(inv, rt, obj)
    md = obj.get("metadata")
    if not isinstance(md, dict):
        md = obj["metadata"] = {}
    if rt.namespaced:
        md["namespace"] = ns
    name = md.get("name") or ""
    record_change_cause(inv, obj)
    modified = with_last_applied(obj)
    if not name:
        raise KubectlError(f"error when retrieving current configuration of:\n{info_string(rt, name, ns)}\n"
                           f'from server for: "{m.source}": resource name may not be empty')
    live = inv.api.try_get(rt, ns, name)
    warnings: list[str] = []
    if live is None:
        created = prune_nulls(modified)
        if dry_run != "client":
            try:
                created = inv.api.create(created, ns, dry_run=dry_run == "server", field_validation=validation,
                                         warnings=warnings)
            except StatusError as e:
                raise with_source(e, "creating", m.source) from None
            finally:
                warn_all(inv, warnings)
        return _report(printer, rt, created, "created")
    if dry_run == "client":
        return _report(printer, rt, modified, "configured")
    live_annotations = (live.get("metadata") or {}).get("annotations") or {}
    if LAST_APPLIED not in live_annotations:
        inv.eprintln(WARNING_NO_LAST_APPLIED.format(f"{rt.plural}/{name}", LAST_APPLIED, "kubectl"))
    original = None
    if live_annotations.get(LAST_APPLIED):
        try:
            original = json.loads(live_annotations[LAST_APPLIED])
        except ValueError:
            original = None
    meta = strategic.patch_meta_for(rt)
    try:
        patch = strategic.create_three_way_merge_patch(original, modified, live, meta)
    except strategic.PatchError as e:
        raise KubectlError(f"error when applying patch:\n{{}}\nto:\n{info_string(rt, name, ns)}\n"
                           f'for: "{m.source}": {e}') from None
    if not patch:
        result = live
        if live["metadata"].get("deletionTimestamp"):
            inv.eprintln(WARNING_DELETING.format(name))
        return _report(printer, rt, result, "unchanged")
    try:
        result = inv.api.patch(rt, ns, name, patch, "strategic", dry_run=dry_run == "server",
                               field_validation=validation, warnings=warnings)
    except StatusError as e:
        patch_text = go_json_line(patch).rstrip("\n")
        raise with_source(e, f"applying patch:\n{patch_text}\nto:\n{info_string(rt, name, ns)}\nfor:",
                          m.source) from None
    finally:
        warn_all(inv, warnings)
    if result["metadata"].get("deletionTimestamp"):
        inv.eprintln(WARNING_DELETING.format(name))
    return _report(printer, rt, result, "configured")


def _report(printer: ObjectPrinter | None, rt, obj: dict, operation: str):
    if printer is not None:
        printer.print(rt, obj, operation)
        return None
    return (rt, obj)
