"""``kubectl describe node`` (kubernetes/kubectl: pkg/describe/describe.go ``NodeDescriber``,
``describeNode``, ``describeNodeLease``, ``describeNodeResource``; requests and limits per pod
from pkg/util/resource ``PodRequestsAndLimits``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, search_events
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, print_annotations_multiline, print_labels_multiline, print_taints_multiline,
    tabbed_string, time_rfc1123z, translate_timestamp_since,
)

LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_LABEL_ROLE = "kubernetes.io/role"
#: IsStandardContainerResourceName (k8s.io/kubectl/pkg/util/resource)
_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}


def find_node_roles(node: dict) -> list[str]:
    roles = set()
    for k, v in ((node.get("metadata") or {}).get("labels") or {}).items():
        if k.startswith(LABEL_NODE_ROLE_PREFIX):
            role = k[len(LABEL_NODE_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif k == NODE_LABEL_ROLE and v:
            roles.add(v)
    return sorted(roles)


def describe(api, node: dict, now: float, show_events: bool = True) -> str:
    name = (node.get("metadata") or {}).get("name", "")
    pod_rt = api.registry.for_kind("", "Pod")
    pods = [p for p in api.list(pod_rt, None)
            if (p.get("spec") or {}).get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    events = None
    if show_events:
        # the controllers refer to the node by uid, the kubelet by name: kubectl merges both searches
        uid = (node.get("metadata") or {}).get("uid")
        events = search_events(api, name=name, namespace="", kind="Node", uid=uid)
        events += search_events(api, name=name, namespace="", kind="Node", uid=name)
    lease_rt = api.registry.for_kind("coordination.k8s.io", "Lease")
    lease = api.try_get(lease_rt, "kube-node-lease", name) if lease_rt is not None else None
    lease_error = None if lease is not None else f'leases.coordination.k8s.io "{name}" not found'
    return describe_node(node, pods, events, lease, lease_error, now)


def describe_node(node: dict, pods: list[dict], events: list[dict] | None, lease: dict | None,
                  lease_error: str | None, now: float) -> str:
    md = node.get("metadata") or {}
    spec = node.get("spec") or {}
    status = node.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        roles = find_node_roles(node)
        w.write(LEVEL_0, "Roles:\t%s\n", ",".join(roles) if roles else "<none>")
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "CreationTimestamp:\t%s\n", time_rfc1123z(md.get("creationTimestamp")))
        print_taints_multiline(w, "Taints", spec.get("taints"))
        w.write(LEVEL_0, "Unschedulable:\t%s\n", "true" if spec.get("unschedulable") else "false")
        if lease is not None:
            describe_node_lease(lease, w)
        else:
            w.write(LEVEL_0, "Lease:\tFailed to get lease: %s\n", lease_error or "")
        conditions = status.get("conditions") or []
        if conditions:
            w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
            w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
            for c in conditions:
                w.write(LEVEL_1, "%s \t%s \t%s \t%s \t%s \t%s\n", c.get("type", ""), c.get("status", ""),
                        time_rfc1123z(c.get("lastHeartbeatTime")), time_rfc1123z(c.get("lastTransitionTime")),
                        c.get("reason", ""), c.get("message", ""))
        w.write(LEVEL_0, "Addresses:\n")
        for a in status.get("addresses") or []:
            w.write(LEVEL_1, "%s:\t%s\n", a.get("type", ""), a.get("address", ""))

        def resource_list(rl: dict) -> None:
            for r in sorted(rl):
                w.write(LEVEL_0, "  %s:\t%s\n", r, _qty.canonical(rl[r]))

        if status.get("capacity"):
            w.write(LEVEL_0, "Capacity:\n")
            resource_list(status["capacity"])
        if status.get("allocatable"):
            w.write(LEVEL_0, "Allocatable:\n")
            resource_list(status["allocatable"])
        info = status.get("nodeInfo") or {}
        w.write(LEVEL_0, "System Info:\n")
        for label, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                           ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                           ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                           ("Container Runtime Version", "containerRuntimeVersion"),
                           ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
            w.write(LEVEL_0, "  %s:\t%s\n", label, info.get(key, "") or "")
        if spec.get("podCIDR"):
            w.write(LEVEL_0, "PodCIDR:\t%s\n", spec["podCIDR"])
        if spec.get("podCIDRs"):
            w.write(LEVEL_0, "PodCIDRs:\t%s\n", ",".join(spec["podCIDRs"]))
        if spec.get("providerID"):
            w.write(LEVEL_0, "ProviderID:\t%s\n", spec["providerID"])
        describe_node_resource(pods, node, w, now)
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)


def describe_node_lease(lease: dict, w) -> None:
    spec = lease.get("spec") or {}
    w.write(LEVEL_0, "Lease:\n")
    w.write(LEVEL_1, "HolderIdentity:\t%s\n", spec["holderIdentity"] if spec.get("holderIdentity") is not None else "<unset>")
    w.write(LEVEL_1, "AcquireTime:\t%s\n", time_rfc1123z(spec["acquireTime"]) if spec.get("acquireTime") else "<unset>")
    w.write(LEVEL_1, "RenewTime:\t%s\n", time_rfc1123z(spec["renewTime"]) if spec.get("renewTime") else "<unset>")


def _q(raw):
    return _qty.parse_qty(raw)


def _add_into(total: dict, name: str, q) -> None:
    total[name] = _qty.add(total[name], q) if name in total else q


def pod_requests_and_limits(pod: dict) -> tuple[dict, dict]:
    """``PodRequestsAndLimits``: sums over app containers (and restartable init containers, the
    sidecars), the max with each regular init container (plus the sidecars started before it),
    then the pod overhead."""
    spec = pod.get("spec") or {}
    reqs: dict = {}
    limits: dict = {}
    for c in spec.get("containers") or []:
        res = c.get("resources") or {}
        for n, v in (res.get("requests") or {}).items():
            _add_into(reqs, n, _q(v))
        for n, v in (res.get("limits") or {}).items():
            _add_into(limits, n, _q(v))
    sidecar_reqs: dict = {}
    sidecar_limits: dict = {}
    init_reqs: dict = {}
    init_limits: dict = {}
    for c in spec.get("initContainers") or []:
        res = c.get("resources") or {}
        creq = {n: _q(v) for n, v in (res.get("requests") or {}).items()}
        clim = {n: _q(v) for n, v in (res.get("limits") or {}).items()}
        if c.get("restartPolicy") == "Always":
            for n, q in creq.items():
                _add_into(reqs, n, q)
                _add_into(sidecar_reqs, n, q)
            for n, q in clim.items():
                _add_into(limits, n, q)
                _add_into(sidecar_limits, n, q)
            continue
        for n, q in sidecar_reqs.items():
            creq[n] = _qty.add(creq[n], q) if n in creq else q
        for n, q in sidecar_limits.items():
            clim[n] = _qty.add(clim[n], q) if n in clim else q
        for n, q in creq.items():
            if n not in init_reqs or q.value > init_reqs[n].value:
                init_reqs[n] = q
        for n, q in clim.items():
            if n not in init_limits or q.value > init_limits[n].value:
                init_limits[n] = q
    for n, q in init_reqs.items():
        if n not in reqs or q.value > reqs[n].value:
            reqs[n] = q
    for n, q in init_limits.items():
        if n not in limits or q.value > limits[n].value:
            limits[n] = q
    for n, v in (spec.get("overhead") or {}).items():
        _add_into(reqs, n, _q(v))
        if n in limits:
            _add_into(limits, n, _q(v))
    return reqs, limits


def _pct(part: int, whole: int) -> int:
    """``int64(float64(part) / float64(whole) * 100)``: truncated like Go's conversion (a zero
    allocatable gives NaN or +Inf in Go; kubectl guards the totals but not the per-pod cells)."""
    if whole == 0:
        return 0
    return int(float(part) / float(whole) * 100)


def describe_node_resource(pods: list[dict], node: dict, w, now: float) -> None:
    status = node.get("status") or {}
    w.write(LEVEL_0, "Non-terminated Pods:\t(%d in total)\n", len(pods))
    w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    alloc_cpu = _q(allocatable.get("cpu", 0)).milli_value()
    alloc_mem = _q(allocatable.get("memory", 0)).int_value()
    zero = _qty.ZERO
    for pod in pods:
        req, lim = pod_requests_and_limits(pod)
        cpu_req, cpu_lim = req.get("cpu", zero), lim.get("cpu", zero)
        mem_req, mem_lim = req.get("memory", zero), lim.get("memory", zero)
        md = pod.get("metadata") or {}
        w.write(LEVEL_1, "%s\t%s\t\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s\n", md.get("namespace", ""),
                md.get("name", ""), cpu_req, _pct(cpu_req.milli_value(), alloc_cpu), cpu_lim,
                _pct(cpu_lim.milli_value(), alloc_cpu), mem_req, _pct(mem_req.int_value(), alloc_mem), mem_lim,
                _pct(mem_lim.int_value(), alloc_mem), translate_timestamp_since(md.get("creationTimestamp"), now))
    w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    reqs: dict = {}
    limits: dict = {}
    for pod in pods:
        r, l = pod_requests_and_limits(pod)
        for n, q in r.items():
            _add_into(reqs, n, q)
        for n, q in l.items():
            _add_into(limits, n, q)
    alloc_eph = _q(allocatable.get("ephemeral-storage", 0)).int_value()
    for name, alloc, milli in (("cpu", alloc_cpu, True), ("memory", alloc_mem, False),
                               ("ephemeral-storage", alloc_eph, False)):
        rq, lm = reqs.get(name, zero), limits.get(name, zero)
        rv, lv = (rq.milli_value(), lm.milli_value()) if milli else (rq.int_value(), lm.int_value())
        w.write(LEVEL_1, "%s\t%s (%d%%)\t%s (%d%%)\n", name, rq, _pct(rv, alloc), lm, _pct(lv, alloc))
    huge = sorted(r for r in allocatable if r.startswith("hugepages-"))
    ext = sorted(r for r in allocatable if not r.startswith("hugepages-")
                 and r not in _STANDARD_CONTAINER_RESOURCES and r != "pods"
                 and not (r.startswith("requests.") or r.startswith("limits.")))
    for r in huge:
        rq, lm = reqs.get(r, zero), limits.get(r, zero)
        alloc = _q(allocatable[r]).int_value()
        w.write(LEVEL_1, "%s\t%s (%d%%)\t%s (%d%%)\n", r, rq, _pct(rq.int_value(), alloc), lm,
                _pct(lm.int_value(), alloc))
    for r in ext:
        w.write(LEVEL_1, "%s\t%s\t%s\n", r, reqs.get(r, zero), limits.get(r, zero))
