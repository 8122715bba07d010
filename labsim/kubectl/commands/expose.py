"""``kubectl expose (-f FILENAME | TYPE NAME) [--port] [--target-port] [--name] [--type] ...``
(kubernetes/kubectl: pkg/cmd/expose/expose.go and pkg/polymorphichelpers at v0.32).

For each object named (read from the server) or read from ``-f`` (used as written, without a GET):

1. ``CanBeExposed``: Pod, Service, ReplicationController, Deployment, ReplicaSet, else
   ``cannot expose a <Kind[.group]>``;
2. the default name is the object's, cut to 63 characters;
3. without ``--selector``: ``MapBasedSelectorForObject`` (a pod's labels, a Service's selector, a
   deployment's or replica set's ``matchLabels``; their errors prefixed with ``couldn't retrieve
   selectors via --selector flag or introspection: ``);
4. without ``--port``: the object's container ports (Service: its ports), deduplicated; one port is
   used as ``--port``, several become ports ``port-1``, ``port-2``...; none is an error unless
   ``--cluster-ip=None``;
5. the protocols of the object's ports are kept per port (``--protocol`` overrides them);
6. without ``--labels``: the object's labels;
7. ``createService``, then ``--overrides``, ``--record``; a client dry run prints, otherwise the
   Service is POSTed (field manager ``kubectl-expose``) and printed as ``service/<name> exposed``.

Like upstream, what step 3, 4 and 6 find for the first object is kept for the next ones (the
options struct is filled once). ``kubectl run --expose`` builds its Service with
:func:`generate_service` too.
"""
from __future__ import annotations

import json

from labsim.api.registry import REGISTRY
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.resource import PROVIDE_RESOURCES, parse_dry_run, parse_resource_args, read_manifests

SERVICE = REGISTRY.for_api_version("v1", "Service")
EXPOSABLE = {("", "Pod"), ("", "Service"), ("", "ReplicationController"), ("apps", "Deployment"),
             ("apps", "ReplicaSet"), ("extensions", "Deployment"), ("extensions", "ReplicaSet")}
DNS1035_LABEL_MAX_LENGTH = 63


def _atoi(s: str) -> int:
    """``strconv.Atoi`` with its error text."""
    import re

    if not re.fullmatch(r"[+-]?[0-9]+", s):
        raise KubectlError(f'strconv.Atoi: parsing {json.dumps(s)}: invalid syntax')
    v = int(s)
    if not -(1 << 63) <= v < (1 << 63):
        raise KubectlError(f'strconv.Atoi: parsing {json.dumps(s)}: value out of range')
    return v


def _int32(v: int) -> int:
    """Go's ``int32(port)`` conversion wraps."""
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= (1 << 31) else v


def parse_labels(spec: str) -> dict[str, str]:
    """expose.go ``parseLabels``."""
    if not spec:
        raise KubectlError("no label spec passed")
    labels: dict[str, str] = {}
    for item in spec.split(","):
        kv = item.split("=")
        if len(kv) != 2:
            raise KubectlError(f"unexpected label spec: {item}")
        if not kv[0]:
            raise KubectlError("unexpected empty label key")
        labels[kv[0]] = kv[1]
    return labels


def make_labels(labels: dict[str, str]) -> str:
    """``polymorphichelpers.MakeLabels`` (Go map order is random; the map is parsed back)."""
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _intstr(value: str):
    """``intstr.Parse``: an integer when it parses as one (int32), else the string."""
    try:
        v = int(value, 10)
    except ValueError:
        return value
    if not value.strip().lstrip("+-").isdigit() or not -(1 << 31) <= v < (1 << 31):
        return value
    return v


def generate_service(name: str, selector: str, *, labels: str = "", port: str = "", ports: str = "",
                     protocol: str = "", protocols: dict[str, list[str]] | None = None, target_port: str = "",
                     port_name: str = "", external_ip: str = "", service_type: str = "",
                     load_balancer_ip: str = "", session_affinity: str = "", cluster_ip: str = "") -> dict:
    """expose.go ``createService``: the Service a ``kubectl expose`` (or ``run --expose``) sends."""
    if not selector:
        raise KubectlError("selector must be specified")
    sel = parse_labels(selector)
    lab = parse_labels(labels) if labels else None
    if not name:
        raise KubectlError("name must be specified")
    port_string = ports or port
    svc_ports: list[dict] = []
    if port_string:
        items = port_string.split(",")
        for i, item in enumerate(items):
            num = _int32(_atoi(item))
            pname = f"port-{i + 1}" if len(items) > 1 else port_name
            proto = protocol
            if not proto and not protocols:
                proto = "TCP"
            elif not proto and protocols:
                proto = "TCP"
                found = protocols.get(item)
                if found is not None:
                    if len(found) == 1:
                        proto = found[0]
                    else:
                        for p in found:
                            svc_ports.append({"name": f"port-{i + 1}-{p.lower()}", "port": num, "protocol": p})
                        continue
            entry: dict = {}
            if pname:
                entry["name"] = pname
            entry.update({"port": num, "protocol": proto})
            svc_ports.append(entry)
    md: dict = {"name": name}
    if lab:
        md["labels"] = lab
    spec: dict = {"ports": svc_ports, "selector": sel}
    if target_port:
        tp = _intstr(target_port)
        for p in svc_ports:
            p["targetPort"] = tp
    else:
        for p in svc_ports:
            p["targetPort"] = p["port"]
    if external_ip:
        spec["externalIPs"] = [external_ip]
    if service_type:
        spec["type"] = service_type
    if service_type == "LoadBalancer" and load_balancer_ip:
        spec["loadBalancerIP"] = load_balancer_ip
    if session_affinity:
        if session_affinity not in ("None", "ClientIP"):
            raise KubectlError(f"unknown session affinity: {session_affinity}")
        spec["sessionAffinity"] = session_affinity
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if not svc_ports:
        del spec["ports"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": md, "spec": spec}


# -- polymorphichelpers ------------------------------------------------------------------------------

def _group_kind(rt) -> str:
    return f"{rt.kind}.{rt.group}" if rt.group else rt.kind


def _go_expressions(exprs: list[dict]) -> str:
    """``%+v`` of a []LabelSelectorRequirement."""
    parts = []
    for e in exprs:
        values = " ".join(e.get("values") or [])
        parts.append(f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} Values:[{values}]}}")
    return "[" + " ".join(parts) + "]"


def selector_for_object(rt, obj: dict) -> str:
    """``mapBasedSelectorForObject``."""
    kind = rt.kind
    spec = obj.get("spec") or {}
    if kind == "ReplicationController":
        return make_labels(spec.get("selector") or {})
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise KubectlError("the pod has no labels and cannot be exposed")
        return make_labels(labels)
    if kind == "Service":
        if spec.get("selector") is None:
            raise KubectlError("the service has no pod selector set")
        return make_labels(spec["selector"])
    what = "deployment" if kind == "Deployment" else "replicaset"
    sel = spec.get("selector")
    if rt.group == "extensions":
        if sel is not None:
            if sel.get("matchExpressions"):
                raise KubectlError(f'couldn\'t convert expressions - "{_go_expressions(sel["matchExpressions"])}" '
                                   "to map-based selector format")
            labels = sel.get("matchLabels") or {}
        else:
            labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not labels:
            noun = "deployment" if kind == "Deployment" else "replica set"
            raise KubectlError(f"the {noun} has no labels or selectors and cannot be exposed")
        return make_labels(labels)
    if sel is None or not sel.get("matchLabels"):
        raise KubectlError(f"invalid {what}: no selectors, therefore cannot be exposed")
    if sel.get("matchExpressions"):
        raise KubectlError(f'couldn\'t convert expressions - "{_go_expressions(sel["matchExpressions"])}" '
                           "to map-based selector format")
    return make_labels(sel["matchLabels"])


def _pod_spec(rt, obj: dict) -> dict:
    spec = obj.get("spec") or {}
    if rt.kind == "Pod":
        return spec
    return ((spec.get("template") or {}).get("spec")) or {}


def ports_for_object(rt, obj: dict) -> list[str]:
    """``portsForObject``: container (or Service) ports, deduplicated, in order."""
    out: list[str] = []
    if rt.kind == "Service":
        for p in (obj.get("spec") or {}).get("ports") or []:
            k = str(p.get("port"))
            if k not in out:
                out.append(k)
        return out
    for c in _pod_spec(rt, obj).get("containers") or []:
        for p in c.get("ports") or []:
            k = str(p.get("containerPort"))
            if k not in out:
                out.append(k)
    return out


def protocols_for_object(rt, obj: dict) -> dict[str, list[str]]:
    """``multiProtocolsForObject``: port -> protocols (TCP when unset)."""
    out: dict[str, list[str]] = {}
    if rt.kind == "Service":
        for p in (obj.get("spec") or {}).get("ports") or []:
            out.setdefault(str(p.get("port")), []).append(p.get("protocol") or "TCP")
        return out
    for c in _pod_spec(rt, obj).get("containers") or []:
        for p in c.get("ports") or []:
            out.setdefault(str(p.get("containerPort")), []).append(p.get("protocol") or "TCP")
    return out


# -- the command --------------------------------------------------------------------------------------

def _apply_overrides(inv, obj: dict) -> dict:
    """``cmdutil.Overrider`` on a Service (the same code as ``run``'s)."""
    from labsim.kubectl.commands.run import apply_overrides

    return apply_overrides(inv, obj, SERVICE)


def _targets(inv) -> list[tuple[object, dict | None, Exception | None]]:
    """The builder: ``(resource type, object, error)`` per object, in order."""
    filenames = inv.opts.get("filename") or []
    if inv.opts.get("kustomize"):
        raise KubectlError("kustomize directories are not available in this simulated cluster")
    out: list[tuple[object, dict | None, Exception | None]] = []
    if filenames:
        for m in read_manifests(inv, filenames, bool(inv.opts.get("recursive"))):
            if m.error is not None:
                raise m.error
            out.append((m.rt, m.obj, None))
        return out
    if not inv.args:
        raise KubectlError(PROVIDE_RESOURCES)
    ra = parse_resource_args(inv.args)
    if not ra.named:
        raise KubectlError("resource(s) were provided, but no name was specified")
    for rt, names in ra.selections:
        for name in names:
            try:
                obj = inv.api.get(rt, inv.namespace if rt.namespaced else None, name)
            except StatusError as e:
                out.append((rt, None, e))
                continue
            out.append((rt, obj, None))
    return out


@command("expose")
def expose(inv) -> None:
    from labsim.kubectl.commands.apply import CHANGE_CAUSE, prune_nulls, warn_all
    from labsim.kubectl.commands.create_generators import _Output, _with_typed_last_applied
    from labsim.kubectl.printers.typed import to_typed
    from labsim.kubectl.resource import success_line

    opts = inv.opts
    dry_run = parse_dry_run(inv)
    printer = _Output(inv)
    o = {k: opts.get(k) or "" for k in ("selector", "port", "labels", "protocol", "target-port", "name",
                                         "external-ip", "type", "load-balancer-ip", "session-affinity",
                                         "cluster-ip")}
    o["ports"] = ""
    o["protocols"] = None
    errs: list[Exception] = []
    printed = 0
    for rt, obj, err in _targets(inv):
        if err is not None:
            errs.append(err)
            continue
        try:
            if (rt.group, rt.kind) not in EXPOSABLE:
                raise KubectlError(f"cannot expose a {_group_kind(rt)}")
            default_name = (obj.get("metadata") or {}).get("name", "")[:DNS1035_LABEL_MAX_LENGTH]
            if not o["selector"]:
                try:
                    o["selector"] = selector_for_object(rt, obj)
                except KubectlError as e:
                    raise KubectlError("couldn't retrieve selectors via --selector flag or introspection: "
                                       + e.message) from None
            headless = o["cluster-ip"] == "None"
            if not o["port"]:
                found = ports_for_object(rt, obj)
                if not found:
                    if not headless:
                        raise KubectlError("couldn't find port via --port flag or introspection")
                elif len(found) == 1:
                    o["port"] = found[0]
                else:
                    o["ports"] = ",".join(found)
            protocols = protocols_for_object(rt, obj)
            if protocols:
                o["protocols"] = protocols
            if not o["labels"]:
                o["labels"] = make_labels((obj.get("metadata") or {}).get("labels") or {})
            service = generate_service(
                o["name"] or default_name, o["selector"], labels=o["labels"], port=o["port"], ports=o["ports"],
                protocol=o["protocol"], protocols=o["protocols"], target_port=o["target-port"],
                external_ip=o["external-ip"], service_type=o["type"], load_balancer_ip=o["load-balancer-ip"],
                session_affinity=o["session-affinity"], cluster_ip=o["cluster-ip"])
            service = _apply_overrides(inv, service)
            if opts.get("record"):
                md = service["metadata"]
                md["annotations"] = {**(md.get("annotations") or {}), CHANGE_CAUSE: inv.change_cause()}
            if dry_run == "client":
                if inv.namespace_explicit:
                    service["metadata"]["namespace"] = inv.namespace
                result = service
            else:
                if opts.get("save-config"):
                    service = _with_typed_last_applied(service)
                warnings: list[str] = []
                try:
                    result = inv.api.create(prune_nulls(to_typed(service)), inv.namespace,
                                            dry_run=dry_run == "server", field_validation="Strict",
                                            warnings=warnings)
                finally:
                    warn_all(inv, warnings)
            if printer.format == "":
                inv.println(success_line(SERVICE, result["metadata"]["name"], "exposed", dry_run))
            else:
                if printer.format == "yaml" and printed:
                    # cli-runtime's YAMLPrinter writes "---" before every object after the first
                    inv.println("---")
                printer.print(SERVICE, result, dry_run)
            printed += 1
        except (StatusError, KubectlError) as e:
            errs.append(e)
    if errs:
        from labsim.kubectl.errors import format_errors

        if len(errs) == 1:
            raise errs[0]
        inv.err(format_errors(errs))
        inv.result.exit_code = 1
