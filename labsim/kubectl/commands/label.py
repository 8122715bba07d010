"""``kubectl label`` (``kubernetes/kubectl: pkg/cmd/label/label.go``); ``annotate`` shares the
machinery (``annotate.go`` differs in messages only).

Each object is fetched, changed locally (``key=value``, ``key-``; existing keys need
``--overwrite``), and the difference is sent as a JSON merge patch; the server validates the
keys and values. Output: ``pod/db labeled`` / ``unlabeled`` / ``not labeled`` (annotate always
says ``annotated``); ``--list`` prints the current set instead.
"""
from __future__ import annotations

from labsim.api import labels as labelsel
from labsim.api.meta import deep_copy
from labsim.api.patch import create_merge_patch
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import ObjectPrinter, check_output_format, go_json_line, record_change_cause
from labsim.kubectl.errors import format_errors, with_source
from labsim.kubectl.resource import (object_namespace, parse_dry_run, parse_resource_args,
                                     read_manifests)

RESOURCES_REQUIRED = "one or more resources must be specified as <resource> <name> or <resource>/<name>"


def split_resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """``cmdutil.GetResourcesAndPairs``."""
    resources: list[str] = []
    pairs: list[str] = []
    found = False
    for s in args:
        non_resource = ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-")
        if non_resource:
            found = True
            pairs.append(s)
        elif not found:
            resources.append(s)
        else:
            raise KubectlError(f"all resources must be specified before {pair_type} changes: {s}")
    return resources, pairs


def parse_label_specs(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go ``parseLabels``: values are checked client-side, keys by the server."""
    new: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KubectlError(f"invalid label spec: {spec}")
            errs = labelsel.is_valid_label_value(parts[1])
            if errs:
                raise KubectlError(f'invalid label value: "{spec}": {";".join(errs)}')
            new[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown label spec: {spec}")
    for r in remove:
        if r in new:
            raise KubectlError("can not both modify and remove a label in the same command")
    return new, remove


def parse_annotation_specs(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """``cmdutil.ParsePairs(args, "annotation", true)`` + ``validateAnnotations``."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            k, v = spec.split("=", 1)
            new[k] = v
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise KubectlError(f"invalid annotation format: {', '.join(invalid)}")
    both = [r for r in remove if r in new]
    if both:
        raise KubectlError("can not both modify and remove the following annotation(s) in the same command: "
                           + ", ".join(both))
    return new, remove


def _go_json_len(obj: dict) -> int:
    return len(go_json_line(obj).encode())


def run_metadata_verb(inv, kind: str) -> None:
    """label (``kind="labels"``) or annotate (``kind="annotations"``)."""
    is_label = kind == "labels"
    pair_type = "label" if is_label else "annotation"
    if inv.opts.get("list") and inv.opts.get("output"):
        raise KubectlError("--list and --output may not be specified together")
    if inv.opts.get("all") and inv.opts.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    resources, pairs = split_resources_and_pairs(inv.args, pair_type)
    filenames = inv.opts.get("filename") or []
    if inv.opts.get("local"):
        raise KubectlError("--local is not available in this simulated cluster")
    if not resources and not filenames:
        raise KubectlError(RESOURCES_REQUIRED)
    new, remove = parse_label_specs(pairs) if is_label else parse_annotation_specs(pairs)
    if not new and not remove and not inv.opts.get("list"):
        raise KubectlError(f"at least one {pair_type} update is required")
    dry_run = parse_dry_run(inv)
    fmt = check_output_format(inv)
    overwrite = inv.opts.get("overwrite")
    resource_version = inv.opts.get("resource-version") or ""

    targets = _objects(inv, resources, filenames)
    if resource_version and len(targets) != 1:
        raise KubectlError("--resource-version may only be used with a single resource")
    printer = ObjectPrinter(inv, fmt, dry_run)
    errs: list[Exception] = []
    for rt, obj, source in targets:
        try:
            _one(inv, rt, obj, source, kind, new, remove, overwrite, resource_version, dry_run, printer,
                 one=len(targets) == 1)
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1


def _objects(inv, resources: list[str], filenames: list[str]) -> list[tuple]:
    """The builder with ``.Latest()``: every object fetched from the server."""
    out: list[tuple] = []
    if filenames:
        for m in read_manifests(inv, filenames, inv.opts.get("recursive")):
            if m.error is not None:
                raise m.error
            ns = object_namespace(inv, m.rt, m.obj)
            name = (m.obj.get("metadata") or {}).get("name", "")
            try:
                out.append((m.rt, inv.api.get(m.rt, ns, name), m.source))
            except StatusError as e:
                raise with_source(e, "retrieving", m.source) from None
        return out
    parsed = parse_resource_args(resources)
    selector_text = inv.opts.get("selector") or ""
    if parsed.named:
        for rt, names in parsed.selections:
            for name in names:
                out.append((rt, inv.api.get(rt, inv.namespace, name), ""))
        return out
    if not inv.opts.get("all") and not selector_text:
        raise KubectlError("resource(s) were provided, but no name was specified")
    selector = labelsel.parse(selector_text) if selector_text else None
    for rt, _ in parsed.selections:
        ns = None if inv.opts.get("all-namespaces") else inv.namespace
        for obj in inv.api.list(rt, ns):
            if selector is None or selector.matches((obj.get("metadata") or {}).get("labels") or {}):
                out.append((rt, obj, ""))
    return out


def _one(inv, rt, live: dict, source: str, kind: str, new: dict, remove: list, overwrite: bool,
         resource_version: str, dry_run: str, printer: ObjectPrinter, one: bool) -> None:
    is_label = kind == "labels"
    obj = deep_copy(live)
    md = obj.setdefault("metadata", {})
    if resource_version:
        md["resourceVersion"] = ""
    old = deep_copy(obj)
    current = md.get(kind) or {}
    if not inv.opts.get("list") and dry_run != "client" and is_label:
        for key in remove:
            if key not in current:
                inv.println(f'label "{key}" not found.')
    if not overwrite:
        if is_label:
            clashes = [KubectlError(f"'{k}' already has a value ({current[k]}), and --overwrite is false")
                       for k, v in new.items() if k in current and current[k] != v]
            if clashes:
                raise clashes[0] if len(clashes) == 1 else KubectlError(
                    "[" + ", ".join(e.message for e in clashes) + "]")
        else:
            found = [f"'{k}' already has a value ({current[k]})" for k, v in new.items()
                     if k != "kubernetes.io/change-cause" and k in current and current[k] != v]
            if found:
                raise KubectlError("--overwrite is false but found the following declared annotation(s): "
                                   + "; ".join(found))
    updated = dict(current)
    updated.update(new)
    for key in remove:
        updated.pop(key, None)
    md[kind] = updated
    if resource_version:
        md["resourceVersion"] = resource_version
    if not inv.opts.get("list") and dry_run != "client":
        record_change_cause(inv, obj)
    if is_label:
        if old == obj:
            msg = "not labeled"
        elif not overwrite and _go_json_len(obj) < _go_json_len(old):
            msg = "unlabeled"
        else:
            msg = "labeled"
    else:
        msg = "annotated"
    result = obj
    if dry_run != "client" and not inv.opts.get("list"):
        patch = create_merge_patch(old, obj)
        ns = md.get("namespace") if rt.namespaced else None
        result = inv.api.patch(rt, ns, md.get("name", ""), patch, "merge", dry_run=dry_run == "server")
    if inv.opts.get("list"):
        indent = ""
        if not one:
            indent = " "
            inv.println(f"Listing {kind} for {rt.kind}.{rt.group}/{md.get('name', '')}:")
        for k, v in sorted(((result.get("metadata") or {}).get(kind) or {}).items()):
            inv.println(f"{indent}{k}={v}")
        return
    printer.print(rt, result, msg)


@command("label")
def label(inv) -> None:
    run_metadata_verb(inv, "labels")
