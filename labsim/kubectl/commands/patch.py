"""``kubectl patch`` (``kubernetes/kubectl: pkg/cmd/patch/patch.go``).

The patch text (``-p`` or ``--patch-file``) is read as YAML-or-JSON client-side and sent with the
``--type`` content type; the server applies it (:mod:`labsim.api.patch`). kubectl compares the
object it fetched with the server's answer: ``patched`` or ``patched (no change)``.
"""
from __future__ import annotations

import json

import yaml

from labsim.api.patch import apply_patch
from labsim.api.strategic import deep_equal
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import ObjectPrinter, check_output_format, record_change_cause
from labsim.kubectl.errors import format_errors
from labsim.kubectl.resource import object_namespace, parse_dry_run, parse_resource_args, read_manifests

PATCH_TYPES = ["json", "merge", "strategic"]


def _to_json(text: str, shown: str):
    """``yaml.ToJSON`` (sigs.k8s.io/yaml): JSON is YAML; an empty patch is ``null``."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise KubectlError(f'unable to parse "{shown}": error converting YAML to JSON: yaml: {line}{problem}') from None


@command("patch")
def patch(inv) -> None:
    text = inv.opts.get("patch") or ""
    patch_file = inv.opts.get("patch-file") or ""
    patch_type = inv.opts.get("type") or "strategic"
    dry_run = parse_dry_run(inv)
    if text and patch_file:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if not text and not patch_file:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    if inv.opts.get("local"):
        raise KubectlError("--local is not available in this simulated cluster")
    if patch_type.lower() not in PATCH_TYPES:
        raise KubectlError(f'--type must be one of [{" ".join(PATCH_TYPES)}], not "{patch_type}"')
    patch_type = patch_type.lower()
    fmt = check_output_format(inv)
    if patch_file:
        try:
            raw = inv.read_file(patch_file)
        except KubectlError:
            raise KubectlError(f"unable to read patch file: open {patch_file}: no such file or directory") from None
    else:
        raw = text
    body = _to_json(raw, text)
    subresource = inv.opts.get("subresource") or None
    if subresource not in (None, "status", "scale"):
        raise KubectlError(f'invalid subresource value: "{subresource}". Must be one of [status scale]')

    targets = []
    filenames = inv.opts.get("filename") or []
    if filenames:
        for m in read_manifests(inv, filenames, inv.opts.get("recursive")):
            if m.error is not None:
                raise m.error
            targets.append((m.rt, object_namespace(inv, m.rt, m.obj), (m.obj.get("metadata") or {}).get("name", "")))
    else:
        parsed = parse_resource_args(inv.args)
        if not parsed.selections:
            from labsim.kubectl.resource import PROVIDE_RESOURCES
            raise KubectlError(PROVIDE_RESOURCES)
        if not parsed.named:
            raise KubectlError("resource(s) were provided, but no name was specified")
        for rt, names in parsed.selections:
            for name in names:
                targets.append((rt, inv.namespace if rt.namespaced else None, name))
    printer = ObjectPrinter(inv, fmt, dry_run)
    errs: list[Exception] = []
    for rt, ns, name in targets:
        try:
            before = inv.api.get(rt, ns, name)
            if subresource == "scale":
                raise KubectlError("--subresource=scale is not available in this simulated cluster")
            if dry_run == "client":
                after = apply_patch(rt, before, body, patch_type)
            else:
                after = inv.api.patch(rt, ns, name, body, patch_type, subresource=subresource,
                                      dry_run=dry_run == "server")
            changed = not deep_equal(before, after)
            if inv.opts.get("record") and dry_run == "none":
                recorded = {"metadata": {"annotations": {}}}
                record_change_cause(inv, recorded)
                if (after["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause") != \
                        recorded["metadata"]["annotations"]["kubernetes.io/change-cause"]:
                    after = inv.api.patch(rt, ns, name, recorded, "merge")
            printer.print(rt, after, "patched" if changed else "patched (no change)")
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if errs:
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
    elif not targets:
        raise KubectlError("no objects passed to patch")
