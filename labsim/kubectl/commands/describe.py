"""``kubectl describe`` (kubernetes/kubectl: pkg/cmd/describe/describe.go ``DescribeOptions.Run``,
``DescribeMatchingResources``).

The builder resolves the arguments (``TYPE``, ``TYPE NAME...``, ``TYPE/NAME``, ``-f``, ``-l``,
``-A``) with ContinueOnError; every object found is described (descriptions after the first are
preceded by two newlines) and the errors are printed afterwards. ``describe TYPE NAME`` with no
object named exactly NAME describes every object of the type whose name starts with NAME (each
followed by one newline). ``--chunk-size`` only changes how kubectl pages its LIST requests, so it
has no visible effect here.
"""
from __future__ import annotations

from labsim.api import labels
from labsim.errors import KubectlError, StatusError, bad_request
from labsim.kubectl.cli import command
from labsim.kubectl.errors import format_errors
from labsim.kubectl.printers.describe import describe_object
from labsim.kubectl.resource import is_not_found, parse_resource_args, read_manifests

NO_TYPE = ('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list '
           'of supported resources.')


def _selector_error(rt, selector: str, err: Exception) -> StatusError:
    return bad_request(f'Unable to find "{rt.gvr}" that match label selector "{selector}", field selector "": {err}')


@command("describe")
def describe(inv) -> None:
    filenames = inv.opts.get("filename") or []
    if not inv.args and not filenames:
        raise KubectlError(NO_TYPE)
    all_ns = bool(inv.opts.get("all-namespaces"))
    selector_text = inv.opts.get("selector") or ""
    show_events = bool(inv.opts.get("show-events"))
    namespace = inv.namespace
    errors: list[Exception] = []
    infos: list[tuple] = []  # (rt, obj)

    if filenames:
        for m in read_manifests(inv, filenames, bool(inv.opts.get("recursive"))):
            if m.error is not None:
                errors.append(m.error)
                continue
            md = m.obj.get("metadata") or {}
            ns = None
            if m.rt.namespaced:
                own = md.get("namespace")
                if own and inv.namespace_explicit and own != namespace and not all_ns:
                    errors.append(KubectlError(
                        f'the namespace from the provided object "{own}" does not match the namespace '
                        f'"{namespace}". You must pass \'--namespace={own}\' to perform this operation.'))
                    continue
                ns = own or namespace
            try:
                infos.append((m.rt, inv.api.get(m.rt, ns, md.get("name", ""))))
            except StatusError as e:
                errors.append(e)

    if inv.args:
        args = parse_resource_args(inv.args)
        if args.named and selector_text:
            raise KubectlError("name cannot be provided when a selector is specified")
        selector = None
        if selector_text:
            try:
                selector = labels.parse(selector_text)
            except labels.SelectorParseError as err:
                selector = err
        for rt, names in args.selections:
            list_ns = None if (all_ns or not rt.namespaced) else namespace
            if names:
                for name in names:
                    try:
                        infos.append((rt, inv.api.get(rt, namespace if rt.namespaced else None, name)))
                    except StatusError as e:
                        errors.append(e)
                continue
            if isinstance(selector, Exception):
                errors.append(_selector_error(rt, selector_text, selector))
                continue
            for obj in inv.api.list(rt, list_ns):
                if selector is not None and not selector.matches((obj.get("metadata") or {}).get("labels") or {}):
                    continue
                infos.append((rt, obj))

        # DescribeMatchingResources: `describe TYPE PREFIX` when nothing is named exactly PREFIX
        if (not infos and len(errors) == 1 and is_not_found(errors[0]) and len(inv.args) == 2
                and not filenames):
            rt = parse_resource_args(inv.args[:1]).selections[0][0]
            matched = [o for o in inv.api.list(rt, namespace if rt.namespaced else None)
                       if o["metadata"]["name"].startswith(inv.args[1])]
            if matched:
                for obj in matched:
                    inv.out(describe_object(inv.api, rt, obj, inv.now, show_events) + "\n")
                return

    first = True
    for rt, obj in infos:
        text = describe_object(inv.api, rt, obj, inv.now, show_events)
        inv.out(text if first else "\n\n" + text)
        first = False

    if not infos and not errors:
        if all_ns:
            inv.eprintln("No resources found")
        else:
            inv.eprintln(f"No resources found in {namespace} namespace.")
    if errors:
        inv.err(format_errors(errors))
        inv.result.exit_code = 1
