"""``kubectl set image`` and ``kubectl set resources`` (``kubernetes/kubectl: pkg/cmd/set/set_image.go``,
``set_resources.go``, ``helper.go``, v1.32).

Both follow ``Complete`` -> ``Validate`` -> ``Run`` as upstream:

* ``Complete``: ``--record``, ``--dry-run``, the printer (``-o``), the arguments (``set image``:
  resources first, then ``container=image`` pairs), and the builder: with ``--local`` the objects
  come from ``-f`` files only (decoded client-side, no defaults) and resource arguments are refused;
  otherwise they are fetched from the server, and a missing one fails the whole command.
* ``Validate``: every problem at once (``at least one image update is required``, ...).
* ``Run`` (``CalculatePatches``): each object's pod template is changed in a copy and the strategic
  merge patch between the two is sent (``UpdatePodSpecForObject``: Pod, ReplicationController,
  Deployment, DaemonSet, ReplicaSet, StatefulSet, Job, CronJob). An empty patch prints nothing (the
  image is already set); unknown containers are reported after the objects that did change.
  ``--local`` and ``--dry-run=client`` print the changed object instead of sending it.

Upstream keeps the ``container=image`` pairs in a Go map, so with several unknown containers its
error order is random; here it is the command-line order.
"""
from __future__ import annotations

from labsim.api.meta import deep_copy
from labsim.api.quantity import QuantityError, canonical
from labsim.api.strategic import create_two_way_merge_patch, patch_meta_for
from labsim.errors import KubectlError, StatusError
from labsim.kubectl import polymorphic
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import CHANGE_CAUSE
from labsim.kubectl.commands.label import split_resources_and_pairs
from labsim.kubectl.commands.rollout import builder_infos, check_printer, flatten_errors, print_result
from labsim.kubectl.resource import parse_dry_run

LOCAL_RESOURCE_ERROR = ("you must specify resources by --filename when --local is set.\n"
                        "Example resource specifications include:\n"
                        "   '-f rsrc.yaml'\n"
                        "   '--filename=rsrc.json'")
def parse_pairs(pair_args: list[str], pair_type: str) -> dict[str, str]:
    """``cmdutil.ParsePairs(args, pairType, false)``."""
    pairs: dict[str, str] = {}
    invalid: list[str] = []
    for arg in pair_args:
        if "=" in arg and not arg.startswith("="):
            k, v = arg.split("=", 1)
            pairs[k] = v
        else:
            invalid.append(arg)
    if invalid:
        raise KubectlError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return pairs


def select_string(s: str, spec: str) -> bool:
    """helper.go ``selectString``: ``*`` matches everything, ``a*b`` globs (upstream's own algorithm)."""
    if spec == "*":
        return True
    if "*" not in spec:
        return s == spec
    pos = 0
    parts = spec.split("*")
    for i, part in enumerate(parts):
        if not part:
            continue
        found = s[pos:].find(part)
        if found < pos or (i == 0 and pos != 0) or (i == len(parts) - 1 and len(s) != len(part) + found):
            return False
        pos = found
    return True


def _object_name(info, local: bool) -> str:
    """``Info.ObjectName()``: ``deployments/web`` with a REST mapping; a local object has none:
    ``deployment.apps/web`` (with the newline upstream appends for grouped kinds)."""
    if not local:
        return f"{info.rt.plural}/{info.name}"
    if info.rt.group:
        return f"{info.rt.kind.lower()}.{info.rt.group}/{info.name}\n"
    return f"{info.rt.kind.lower()}/{info.name}"


def _record(inv, obj: dict) -> None:
    if inv.opts.get("record"):
        md = obj.setdefault("metadata", {})
        md["annotations"] = {**(md.get("annotations") or {}), CHANGE_CAUSE: inv.change_cause()}


def _run_patches(inv, infos, mutate, operation: str, failure: str, local: bool, dry_run: str, fmt: str,
                 all_errs: list[Exception]) -> None:
    """``CalculatePatches`` then send (or print) each non-empty patch."""
    patches = []
    for info in infos:
        after = deep_copy(info.obj)
        try:
            changed = mutate(after)
        except polymorphic.MutateError as e:
            patches.append((info, None, e))
            continue
        if not changed:
            continue
        _record(inv, after)
        patches.append((info, (after, create_two_way_merge_patch(info.obj, after, patch_meta_for(info.rt))), None))
    count = [0]
    for info, result, err in patches:
        if err is not None:
            all_errs.append(KubectlError(f"error: {_object_name(info, local)} {err}\n"))
            continue
        after, patch = result
        if not patch:
            continue
        if local or dry_run == "client":
            print_result(inv, fmt, info.rt, after, operation, dry_run, count)
            continue
        try:
            actual = inv.api.patch(info.rt, info.namespace, info.name, patch, "strategic",
                                   dry_run=dry_run == "server")
        except StatusError as e:
            all_errs.append(KubectlError(f"{failure}{e.message}"))
            continue
        print_result(inv, fmt, info.rt, actual, operation, dry_run, count)


def _builder(inv, resources: list[str], local: bool):
    filenames = list(inv.opts.get("filename") or [])
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")
    if local:
        if resources:
            raise KubectlError(LOCAL_RESOURCE_ERROR)
        if not filenames:
            from labsim.kubectl.resource import PROVIDE_RESOURCES
            raise KubectlError(PROVIDE_RESOURCES)
    select_all = bool(inv.opts.get("all"))
    infos, errs = builder_infos(inv, resources, allow_empty_selector=select_all, select_all=select_all,
                                selector="" if local else (inv.opts.get("selector") or ""), filenames=filenames,
                                local=local)
    flatten_errors(errs)  # Complete returns the builder's error: nothing is changed
    return infos, filenames


@command("set image")
def set_image(inv) -> None:
    dry_run = parse_dry_run(inv)
    fmt = check_printer(inv)
    resources, pair_args = split_resources_and_pairs(list(inv.args), "image")
    images = parse_pairs(pair_args, "image")
    local = bool(inv.opts.get("local"))
    infos, filenames = _builder(inv, resources, local)
    problems: list[Exception] = []
    if inv.opts.get("all") and inv.opts.get("selector"):
        problems.append(KubectlError("cannot set --all and --selector at the same time"))
    if not resources and not filenames:
        problems.append(KubectlError("one or more resources must be specified as <resource> <name> or "
                                     "<resource>/<name>"))
    if not images:
        problems.append(KubectlError("at least one image update is required"))
    elif len(images) > 1 and "*" in images:
        problems.append(KubectlError("all containers are already specified by *, but saw more than one "
                                     "container_name=container_image pairs"))
    if local and dry_run == "server":
        problems.append(KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?"))
    flatten_errors(problems)

    all_errs: list[Exception] = []

    def mutate(obj: dict) -> bool:
        spec = polymorphic.pod_spec_of(obj)
        for name, image in images.items():
            found = False
            for key in ("initContainers", "containers"):
                for c in spec.get(key) or []:
                    if c.get("name") == name or name == "*":
                        c["image"] = image
                        found = True
            if not found:
                all_errs.append(KubectlError(f'error: unable to find container named "{name}"'))
        return True

    _run_patches(inv, infos, mutate, "image updated", "failed to patch image update to pod template: ", local,
                 dry_run, fmt, all_errs)
    flatten_errors(all_errs)


def _resource_list(spec: str) -> dict[str, str] | None:
    """``populateResourceListV1``."""
    if spec == "":
        return None
    out: dict[str, str] = {}
    for statement in spec.split(","):
        parts = statement.split("=")
        if len(parts) != 2:
            raise KubectlError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
        try:
            out[parts[0]] = canonical(parts[1])
        except QuantityError as e:
            raise KubectlError(str(e)) from None
    return out


@command("set resources")
def set_resources(inv) -> None:
    dry_run = parse_dry_run(inv)
    fmt = check_printer(inv)
    local = bool(inv.opts.get("local"))
    infos, _ = _builder(inv, list(inv.args), local)
    if local and dry_run == "server":
        raise KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if inv.opts.get("all") and inv.opts.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    limits_spec, requests_spec = inv.opts.get("limits") or "", inv.opts.get("requests") or ""
    if not limits_spec and not requests_spec:
        raise KubectlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits = _resource_list(limits_spec)
    requests = _resource_list(requests_spec)
    selector = inv.opts.get("containers")

    all_errs: list[Exception] = []

    def mutate(obj: dict) -> bool:
        spec = polymorphic.pod_spec_of(obj)
        selected = [c for c in spec.get("containers") or [] if select_string(c.get("name", ""), selector)]
        selected += [c for c in spec.get("initContainers") or [] if select_string(c.get("name", ""), selector)]
        if not selected:
            all_errs.append(KubectlError(f"error: unable to find container named {selector}"))
            return False
        for c in selected:
            res = c.setdefault("resources", {})
            if limits_spec:
                res["limits"] = {**(res.get("limits") or {}), **(limits or {})}
            if requests_spec:
                res["requests"] = {**(res.get("requests") or {}), **(requests or {})}
        return True

    _run_patches(inv, infos, mutate, "resource requirements updated", "failed to patch resources update to pod "
                 "template ", local, dry_run, fmt, all_errs)
    flatten_errors(all_errs)
