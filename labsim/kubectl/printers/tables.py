"""Server-side tables: column definitions and cells per kind, as a v1.32 API server builds them.

A port of ``pkg/printers/internalversion/printers.go`` (read in the 1.32-era fork
``yongruilin/kubernetes@144a798``). As on the server, every row carries every cell, including the
``priority: 1`` ("wide") ones; kubectl drops those columns unless ``-o wide``
(cli-runtime ``printers/tableprinter.go``). Each cell function is a pure function of
``(object, now)``.

Kinds without a printer get the server's default table (``rest.NewDefaultTableConvertor``):
``NAME  CREATED AT`` with the creation time in RFC 3339 (roles, clusterroles, limitranges).

Cells are ``str``, ``int``, ``bool`` or ``None`` (printed as nothing), as in a ``metav1.Table``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from labsim.api.labels import format_label_selector, format_labels, selector_from_label_selector, \
    LabelSelectorError
from labsim.clock import parse_rfc3339, rfc3339
from labsim.kubectl.printers.age import human_duration


@dataclass(frozen=True)
class Column:
    name: str
    priority: int = 0


CellFn = Callable[[dict, float], list]


@dataclass(frozen=True)
class TableDef:
    columns: tuple[Column, ...]
    cells: CellFn


# -- helpers ---------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _ts(s: str) -> float | None:
    try:
        return parse_rfc3339(s)
    except (ValueError, TypeError):
        return None


def since(ts: str | None, now: float) -> str:
    """``translateTimestampSince``: HumanDuration since ``ts``; ``<unknown>`` for a zero time."""
    if not ts:
        return "<unknown>"
    t = _ts(ts)
    if t is None:
        return "<unknown>"
    return human_duration(now - t)


def _age(obj: dict, now: float) -> str:
    return since((obj.get("metadata") or {}).get("creationTimestamp"), now)


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _containers_cells(pod_spec: dict | None) -> tuple[str, str]:
    """``layoutContainerCells``: names and images joined by ``,`` (init containers excluded)."""
    containers = (pod_spec or {}).get("containers") or []
    return (",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers))


def _template_spec(obj: dict) -> dict:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}


def _int(v: Any) -> int:
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def _lb_status(status: dict | None, wide: bool) -> str:
    """``loadBalancerStatusStringer``: sorted, de-duplicated IPs/hostnames, cut to 16 chars."""
    result = set()
    for ing in (status or {}).get("ingress") or []:
        if ing.get("ip"):
            result.add(ing["ip"])
        elif ing.get("hostname"):
            result.add(ing["hostname"])
    r = ",".join(sorted(result))
    if not wide and len(r) > 16:
        r = r[:13] + "..."
    return r


def _int_or_string(v: Any) -> str:
    return str(v)


# -- pods ------------------------------------------------------------------------------------
def _is_restartable_init(c: dict | None) -> bool:
    return bool(c) and c.get("restartPolicy") == "Always"


def pod_cells(pod: dict, now: float) -> list:
    """``printPod``: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED-NODE READINESS-GATES."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    md = pod.get("metadata") or {}
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart = ""  # RFC 3339 strings of the same form compare as times
    last_restartable_restart = ""
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or []
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {}
    init_list = spec.get("initContainers") or []
    for c in init_list:
        init_specs[c.get("name")] = c
        if _is_restartable_init(c):
            total += 1
    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        rc = _int(cs.get("restartCount"))
        restarts += rc
        last_term = ((cs.get("lastState") or {}).get("terminated"))
        if last_term is not None:
            fin = last_term.get("finishedAt") or ""
            if _later(fin, last_restart):
                last_restart = fin
        restartable = _is_restartable_init(init_specs.get(cs.get("name")))
        if restartable:
            restartable_restarts += rc
            if last_term is not None:
                fin = last_term.get("finishedAt") or ""
                if _later(fin, last_restartable_restart):
                    last_restartable_restart = fin
        state = cs.get("state") or {}
        term = state.get("terminated")
        waiting = state.get("waiting")
        if term is not None and _int(term.get("exitCode")) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if _int(term.get("signal")):
                    reason = f"Init:Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(term.get('exitCode'))}"
            else:
                reason = "Init:" + term["reason"]
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_list)}"
        initializing = True
        break
    initialized_true = any(c.get("type") == "Initialized" and c.get("status") == "True" for c in conditions)
    if not initializing or initialized_true:
        restarts = restartable_restarts
        last_restart = last_restartable_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            last_term = ((cs.get("lastState") or {}).get("terminated"))
            if last_term is not None:
                fin = last_term.get("finishedAt") or ""
                if _later(fin, last_restart):
                    last_restart = fin
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            term = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if _int(term.get("signal")):
                    reason = f"Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(term.get('exitCode'))}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            has_ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if has_ready else "NotReady"
    if md.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif md.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_str = str(restarts)
    if restarts != 0 and last_restart:
        restarts_str = f"{restarts} ({since(last_restart, now)} ago)"
    pod_ips = status.get("podIPs") or []
    ip = (pod_ips[0].get("ip") if pod_ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    if gates:
        true_count = 0
        for g in gates:
            for c in conditions:
                if c.get("type") == g.get("conditionType"):
                    if c.get("status") == "True":
                        true_count += 1
                    break
        readiness = f"{true_count}/{len(gates)}"
    else:
        readiness = "<none>"
    return [md.get("name", ""), f"{ready}/{total}", reason, restarts_str, _age(pod, now),
            ip, spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>", readiness]


def _later(a: str, b: str) -> bool:
    """``b.Before(a)`` for RFC 3339 times (an empty string is the zero time)."""
    if not a:
        return False
    if not b:
        return True
    ta, tb = _ts(a), _ts(b)
    if ta is None:
        return False
    if tb is None:
        return True
    return tb < ta


# -- workloads -------------------------------------------------------------------------------
def _replicas(spec: dict, default: int = 1) -> int:
    v = spec.get("replicas")
    return default if v is None else _int(v)


def replicaset_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers_cells(_template_spec(obj))
    return [_name(obj), _replicas(spec), _int(st.get("replicas")), _int(st.get("readyReplicas")), _age(obj, now),
            names, images, format_label_selector(spec.get("selector"))]


def replicationcontroller_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers_cells(_template_spec(obj))
    return [_name(obj), _replicas(spec), _int(st.get("replicas")), _int(st.get("readyReplicas")), _age(obj, now),
            names, images, format_labels(spec.get("selector"))]


def deployment_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers_cells(_template_spec(obj))
    try:
        selector = str(selector_from_label_selector(spec.get("selector")))
    except LabelSelectorError:
        selector = "<invalid>"
    return [_name(obj), f"{_int(st.get('readyReplicas'))}/{_replicas(spec)}", _int(st.get("updatedReplicas")),
            _int(st.get("availableReplicas")), _age(obj, now), names, images, selector]


def statefulset_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers_cells(_template_spec(obj))
    return [_name(obj), f"{_int(st.get('readyReplicas'))}/{_replicas(spec)}", _age(obj, now), names, images]


def daemonset_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    tspec = _template_spec(obj)
    names, images = _containers_cells(tspec)
    return [_name(obj), _int(st.get("desiredNumberScheduled")), _int(st.get("currentNumberScheduled")),
            _int(st.get("numberReady")), _int(st.get("updatedNumberScheduled")), _int(st.get("numberAvailable")),
            format_labels(tspec.get("nodeSelector")), _age(obj, now), names, images,
            format_label_selector(spec.get("selector"))]


def _condition_true(conditions: list, ctype: str) -> bool:
    # hasJobCondition: the first condition of the type decides
    for c in conditions or []:
        if c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def job_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    succeeded = _int(st.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec.get('completions'))}"
    else:
        parallelism = _int(spec.get("parallelism"))
        completions = f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"
    duration = ""
    start = _ts(st["startTime"]) if st.get("startTime") else None
    if start is not None:
        done = _ts(st["completionTime"]) if st.get("completionTime") else None
        duration = human_duration((now if done is None else done) - start)
    conds = st.get("conditions") or []
    if _condition_true(conds, "Complete"):
        status = "Complete"
    elif _condition_true(conds, "Failed"):
        status = "Failed"
    elif (obj.get("metadata") or {}).get("deletionTimestamp"):
        status = "Terminating"
    elif _condition_true(conds, "Suspended"):
        status = "Suspended"
    elif _condition_true(conds, "FailureTarget"):
        status = "FailureTarget"
    else:
        status = "Running"
    names, images = _containers_cells(_template_spec(obj))
    return [_name(obj), status, completions, duration, _age(obj, now), names, images,
            format_label_selector(spec.get("selector"))]


def _bool_ptr(v: Any) -> str:
    """``printBoolPtr``: ``True``/``False`` or ``<unset>``."""
    if v is None:
        return "<unset>"
    return "True" if v else "False"


def cronjob_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    last = since(st["lastScheduleTime"], now) if st.get("lastScheduleTime") else "<none>"
    job_spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    names, images = _containers_cells(((job_spec.get("template") or {}).get("spec")) or {})
    tz = spec.get("timeZone")
    return [_name(obj), spec.get("schedule", ""), "<none>" if tz is None else tz, _bool_ptr(spec.get("suspend")),
            len(st.get("active") or []), last, _age(obj, now), names, images,
            format_label_selector(job_spec.get("selector"))]


def hpa_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    min_pods = "<unset>" if spec.get("minReplicas") is None else str(_int(spec.get("minReplicas")))
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}",
            format_hpa_metrics(spec.get("metrics") or [], st.get("currentMetrics") or []), min_pods,
            _int(spec.get("maxReplicas")), _int(st.get("currentReplicas")), _age(obj, now)]


def _q(v: Any) -> str:
    """A Quantity as the API returns it (the wire form is already canonical)."""
    if v is None:
        return "0"
    return str(v)


def format_hpa_metrics(specs: list, statuses: list) -> str:
    """``formatHPAMetrics``: at most 2 metrics, then `` + N more...``."""
    if not specs:
        return "<none>"
    out: list[str] = []
    for i, s in enumerate(specs):
        t = s.get("type")
        st = statuses[i] if len(statuses) > i else {}
        if t == "External":
            ext = s.get("external") or {}
            target = ext.get("target") or {}
            cur = (st.get("external") or {}).get("current") if st.get("external") is not None else None
            if target.get("averageValue") is not None:
                c = _q(cur.get("averageValue")) if cur is not None and cur.get("averageValue") is not None else "<unknown>"
                out.append(f"{c}/{_q(target.get('averageValue'))} (avg)")
            else:
                c = _q((cur or {}).get("value")) if cur is not None else "<unknown>"
                out.append(f"{c}/{_q(target.get('value'))}")
        elif t == "Pods":
            target = (s.get("pods") or {}).get("target") or {}
            c = _q(((st.get("pods") or {}).get("current") or {}).get("averageValue")) \
                if st.get("pods") is not None else "<unknown>"
            out.append(f"{c}/{_q(target.get('averageValue'))}")
        elif t == "Object":
            target = (s.get("object") or {}).get("target") or {}
            cur = ((st.get("object") or {}).get("current")) if st.get("object") is not None else None
            if target.get("averageValue") is not None:
                c = _q(cur.get("averageValue")) if cur is not None and cur.get("averageValue") is not None else "<unknown>"
                out.append(f"{c}/{_q(target.get('averageValue'))} (avg)")
            else:
                c = _q((cur or {}).get("value")) if cur is not None else "<unknown>"
                out.append(f"{c}/{_q(target.get('value'))}")
        elif t in ("Resource", "ContainerResource"):
            key = "resource" if t == "Resource" else "containerResource"
            res = s.get(key) or {}
            target = res.get("target") or {}
            cur_src = st.get(key)
            if target.get("averageValue") is not None:
                c = _q(((cur_src or {}).get("current") or {}).get("averageValue")) if cur_src is not None \
                    else "<unknown>"
                out.append(f"{res.get('name', '')}: {c}/{_q(target.get('averageValue'))}")
            else:
                cur = ((cur_src or {}).get("current") or {}).get("averageUtilization") if cur_src is not None else None
                c = f"{_int(cur)}%" if cur is not None else "<unknown>"
                tgt = f"{_int(target['averageUtilization'])}%" if target.get("averageUtilization") is not None \
                    else "<auto>"
                out.append(f"{res.get('name', '')}: {c}/{tgt}")
        else:
            out.append("<unknown type>")
    count = len(out)
    if count > 2:
        return ", ".join(out[:2]) + f" + {count - 2} more..."
    return ", ".join(out)


# -- core kinds --------------------------------------------------------------------------------
def node_cells(obj: dict, now: float) -> list:
    st = obj.get("status") or {}
    spec = obj.get("spec") or {}
    status: list[str] = []
    for c in st.get("conditions") or []:
        pass
    ready = None
    for c in st.get("conditions") or []:
        if c.get("type") == "Ready":
            ready = c  # conditionMap keeps the last of a type
    if ready is not None:
        status.append("Ready" if ready.get("status") == "True" else "NotReady")
    if not status:
        status.append("Unknown")
    if spec.get("unschedulable"):
        status.append("SchedulingDisabled")
    roles = set()
    for k, v in ((obj.get("metadata") or {}).get("labels") or {}).items():
        if k.startswith("node-role.kubernetes.io/"):
            role = k[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    info = st.get("nodeInfo") or {}
    addrs = st.get("addresses") or []
    internal = next((a.get("address", "") for a in addrs if a.get("type") == "InternalIP"), "<none>")
    external = next((a.get("address", "") for a in addrs if a.get("type") == "ExternalIP"), "<none>")
    return [_name(obj), ",".join(status), ",".join(sorted(roles)) or "<none>", _age(obj, now),
            info.get("kubeletVersion", ""), internal, external, info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>", info.get("containerRuntimeVersion") or "<unknown>"]


def namespace_cells(obj: dict, now: float) -> list:
    return [_name(obj), (obj.get("status") or {}).get("phase", ""), _age(obj, now)]


def _service_external_ip(spec: dict, status: dict, wide: bool) -> str:
    t = spec.get("type")
    ext = spec.get("externalIPs") or []
    if t in ("ClusterIP", "NodePort"):
        return ",".join(ext) if ext else "<none>"
    if t == "LoadBalancer":
        lb = _lb_status((status or {}).get("loadBalancer"), wide)
        if ext:
            results = (lb.split(",") if lb else []) + list(ext)
            return ",".join(results)
        return lb or "<pending>"
    if t == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def service_cells(obj: dict, now: float, wide: bool = False) -> list:
    spec = obj.get("spec") or {}
    ips = spec.get("clusterIPs") or []
    pieces = []
    for p in spec.get("ports") or []:
        if _int(p.get("nodePort")) > 0:
            pieces.append(f"{_int(p.get('port'))}:{_int(p.get('nodePort'))}/{p.get('protocol', '')}")
        else:
            pieces.append(f"{_int(p.get('port'))}/{p.get('protocol', '')}")
    return [_name(obj), spec.get("type", ""), ips[0] if ips else "<none>",
            _service_external_ip(spec, obj.get("status") or {}, wide), ",".join(pieces) or "<none>",
            _age(obj, now), format_labels(spec.get("selector"))]


def _join_host_port(ip: str, port: int) -> str:
    # net.JoinHostPort brackets IPv6 addresses
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(obj: dict) -> str:
    """``formatEndpoints``: ready addresses as ``ip:port``, at most 3, then `` + N more...``."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    out: list[str] = []
    more = False
    count = 0
    for ss in subsets:
        addrs = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == 3:
                    more = True
                    break
                out.append(a.get("ip", ""))
            continue
        for p in ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == 3:
                    more = True
                    break
                out.append(_join_host_port(a.get("ip", ""), _int(p.get("port"))))
    ret = ",".join(out)
    if more:
        return f"{ret} + {count - 3} more..."
    return ret


def endpoints_cells(obj: dict, now: float) -> list:
    return [_name(obj), format_endpoints(obj), _age(obj, now)]


def _list_with_more(items: list[str], count: int) -> str:
    if count > 3:
        return ",".join(items[:3]) + f" + {count - 3} more..."
    return ",".join(items) or "<unset>"


def endpointslice_cells(obj: dict, now: float) -> list:
    ports = []
    for p in obj.get("ports") or []:
        if p.get("port") is not None:
            ports.append(str(_int(p.get("port"))))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addrs = [a for e in obj.get("endpoints") or [] for a in (e.get("addresses") or [])]
    return [_name(obj), obj.get("addressType", ""), _list_with_more(ports, len(ports)),
            _list_with_more(addrs, len(addrs)), _age(obj, now)]


def ingress_cells(obj: dict, now: float, wide: bool = False) -> list:
    spec = obj.get("spec") or {}
    rules = spec.get("rules") or []
    hosts: list[str] = []
    more = False
    for r in rules:
        if len(hosts) == 3:
            more = True
        if not more and r.get("host"):
            hosts.append(r["host"])
    if not hosts:
        hosts_str = "*"
    else:
        hosts_str = ",".join(hosts) + (f" + {len(rules) - 3} more..." if more else "")
    cls = spec.get("ingressClassName")
    return [_name(obj), "<none>" if cls is None else cls, hosts_str,
            _lb_status((obj.get("status") or {}).get("loadBalancer"), wide),
            "80, 443" if spec.get("tls") else "80", _age(obj, now)]


def ingressclass_cells(obj: dict, now: float) -> list:
    spec = obj.get("spec") or {}
    params = spec.get("parameters")
    if params is not None:
        p = params.get("kind", "")
        if params.get("apiGroup") is not None:
            p += "." + params["apiGroup"]
        p += "/" + params.get("name", "")
    else:
        p = "<none>"
    return [_name(obj), spec.get("controller", ""), p, _age(obj, now)]


def configmap_cells(obj: dict, now: float) -> list:
    return [_name(obj), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), _age(obj, now)]


def secret_cells(obj: dict, now: float) -> list:
    return [_name(obj), obj.get("type", ""), len(obj.get("data") or {}), _age(obj, now)]


def serviceaccount_cells(obj: dict, now: float) -> list:
    return [_name(obj), len(obj.get("secrets") or []), _age(obj, now)]


_ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                 ("ReadWriteOncePod", "RWOP"))


def access_modes(modes: list | None) -> str:
    """``helper.GetAccessModesAsString``: fixed order, de-duplicated."""
    modes = modes or []
    return ",".join(short for long, short in _ACCESS_MODES if long in modes)


def _storage_class(obj: dict) -> str:
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    beta = ann.get("volume.beta.kubernetes.io/storage-class")
    if beta is not None:
        return beta
    return (obj.get("spec") or {}).get("storageClassName") or ""


def pv_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    claim = spec.get("claimRef")
    claim_str = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim is not None else ""
    phase = "Terminating" if (obj.get("metadata") or {}).get("deletionTimestamp") else st.get("phase", "")
    vac = spec.get("volumeAttributesClassName")
    return [_name(obj), _q((spec.get("capacity") or {}).get("storage")), access_modes(spec.get("accessModes")),
            spec.get("persistentVolumeReclaimPolicy", ""), phase, claim_str, _storage_class(obj),
            "<unset>" if vac is None else vac, st.get("reason", ""), _age(obj, now),
            spec.get("volumeMode") or "<unset>"]


def pvc_cells(obj: dict, now: float) -> list:
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    phase = "Terminating" if (obj.get("metadata") or {}).get("deletionTimestamp") else st.get("phase", "")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(st.get("accessModes"))
        capacity = _q((st.get("capacity") or {}).get("storage"))
    vac = spec.get("volumeAttributesClassName")
    return [_name(obj), phase, spec.get("volumeName", ""), capacity, modes, _storage_class(obj),
            "<unset>" if vac is None else vac, _age(obj, now), spec.get("volumeMode") or "<unset>"]


def storageclass_cells(obj: dict, now: float) -> list:
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    name = _name(obj)
    if ann.get("storageclass.kubernetes.io/is-default-class") == "true" or \
            ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true":
        name += " (default)"
    return [name, obj.get("provisioner", ""), obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate", bool(obj.get("allowVolumeExpansion") or False),
            _age(obj, now)]


def event_cells(obj: dict, now: float) -> list:
    first = since(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else \
        since(obj.get("eventTime"), now)
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = _int(obj.get("count"))
    series = obj.get("series")
    if series is not None:
        last = since(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    inv = obj.get("involvedObject") or {}
    target = f"{inv.get('kind', '').lower()}/{inv['name']}" if inv.get("name") else inv.get("kind", "").lower()
    src = obj.get("source") or {}
    component = src.get("component") or obj.get("reportingController") or ""
    host = src.get("host") or obj.get("reportingInstance") or ""
    source = f"{component}, {host}" if host else component
    message = (obj.get("message") or "").strip()
    return [last, obj.get("type", ""), obj.get("reason", ""), target, inv.get("fieldPath", ""), source, message,
            first, count, _name(obj)]


def lease_cells(obj: dict, now: float) -> list:
    return [_name(obj), (obj.get("spec") or {}).get("holderIdentity") or "", _age(obj, now)]


def controllerrevision_cells(obj: dict, now: float) -> list:
    controller = "<none>"
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref.get("apiVersion", "").rpartition("/")[0]
            gk = ref.get("kind", "") + ("." + group if group else "")
            controller = f"{gk.lower()}/{ref.get('name', '')}" if ref.get("kind") or group else ref.get("name", "")
            break
    return [_name(obj), controller, _int(obj.get("revision")), _age(obj, now)]


# Standard resources first, in ``SortableResourceNames`` order (resource names as strings).
def resourcequota_cells(obj: dict, now: float) -> list:
    st = obj.get("status") or {}
    hard = st.get("hard") or {}
    used = st.get("used") or {}
    request, limit = [], []
    for res in sorted(hard):
        w = limit if (len(res.split(".")) > 1 and res.split(".")[0] == "limits") else request
        w.append(f"{res}: {_q(used.get(res))}/{_q(hard[res])}")
    return [_name(obj), ", ".join(request), ", ".join(limit), _age(obj, now)]


def pdb_cells(obj: dict, now: float) -> list:
    spec = obj.get("spec") or {}
    mn = spec.get("minAvailable")
    mx = spec.get("maxUnavailable")
    return [_name(obj), "N/A" if mn is None else _int_or_string(mn), "N/A" if mx is None else _int_or_string(mx),
            _int((obj.get("status") or {}).get("disruptionsAllowed")), _age(obj, now)]


def networkpolicy_cells(obj: dict, now: float) -> list:
    return [_name(obj), format_label_selector((obj.get("spec") or {}).get("podSelector") or {}), _age(obj, now)]


def priorityclass_cells(obj: dict, now: float) -> list:
    return [_name(obj), _int(obj.get("value")), bool(obj.get("globalDefault") or False), _age(obj, now),
            obj.get("preemptionPolicy") or ""]


def _subjects(subjects: list | None) -> tuple[str, str, str]:
    """``rbac.SubjectsStrings``: users, groups, service accounts (``ns/name``)."""
    users, groups, sas = [], [], []
    for s in subjects or []:
        kind = s.get("kind")
        if kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
        elif kind == "User":
            users.append(s.get("name", ""))
        elif kind == "Group":
            groups.append(s.get("name", ""))
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def rolebinding_cells(obj: dict, now: float) -> list:
    ref = obj.get("roleRef") or {}
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now), *_subjects(obj.get("subjects"))]


def podtemplate_cells(obj: dict, now: float) -> list:
    tmpl = obj.get("template") or {}
    names, images = _containers_cells(tmpl.get("spec"))
    return [_name(obj), names, images, format_labels((tmpl.get("metadata") or {}).get("labels"))]


def componentstatus_cells(obj: dict, now: float) -> list:
    status, message, error = "Unknown", "", ""
    for c in obj.get("conditions") or []:
        if c.get("type") == "Healthy":
            status = "Healthy" if c.get("status") == "True" else "Unhealthy"
            message, error = c.get("message", ""), c.get("error", "")
            break
    return [_name(obj), status, message, error]


def csidriver_cells(obj: dict, now: float) -> list:
    spec = obj.get("spec") or {}
    tr = spec.get("tokenRequests")
    tokens = "<unset>" if tr is None else ",".join(t.get("audience", "") for t in tr)
    modes = ",".join(spec.get("volumeLifecycleModes") or []) or "<none>"
    attach = spec.get("attachRequired")
    return [_name(obj), True if attach is None else bool(attach), bool(spec.get("podInfoOnMount") or False),
            bool(spec.get("storageCapacity") or False), tokens, bool(spec.get("requiresRepublish") or False), modes,
            _age(obj, now)]


def csinode_cells(obj: dict, now: float) -> list:
    return [_name(obj), len((obj.get("spec") or {}).get("drivers") or []), _age(obj, now)]


def volumeattachment_cells(obj: dict, now: float) -> list:
    spec = obj.get("spec") or {}
    return [_name(obj), spec.get("attacher", ""), (spec.get("source") or {}).get("persistentVolumeName") or "",
            spec.get("nodeName", ""), bool((obj.get("status") or {}).get("attached") or False), _age(obj, now)]


def default_cells(obj: dict, now: float) -> list:
    """``rest.NewDefaultTableConvertor``: name and creation time in RFC 3339 UTC."""
    ts = (obj.get("metadata") or {}).get("creationTimestamp") or ""
    t = _ts(ts) if ts else None
    return [_name(obj), rfc3339(t) if t is not None else "0001-01-01T00:00:00Z"]


def _cols(*names: str, wide: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(Column(n) for n in names) + tuple(Column(n, 1) for n in wide)


_CIS = ("Containers", "Images", "Selector")

#: (group, kind) -> table. Column names as the server sends them; kubectl upper-cases them.
TABLES: dict[tuple[str, str], TableDef] = {
    ("", "Pod"): TableDef(_cols("Name", "Ready", "Status", "Restarts", "Age",
                                wide=("IP", "Node", "Nominated Node", "Readiness Gates")), pod_cells),
    ("", "PodTemplate"): TableDef(_cols("Name", "Containers", "Images", "Pod Labels"), podtemplate_cells),
    ("policy", "PodDisruptionBudget"): TableDef(
        _cols("Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"), pdb_cells),
    ("", "ReplicationController"): TableDef(_cols("Name", "Desired", "Current", "Ready", "Age", wide=_CIS),
                                            replicationcontroller_cells),
    ("apps", "ReplicaSet"): TableDef(_cols("Name", "Desired", "Current", "Ready", "Age", wide=_CIS),
                                     replicaset_cells),
    ("apps", "DaemonSet"): TableDef(_cols("Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                          "Node Selector", "Age", wide=_CIS), daemonset_cells),
    ("batch", "Job"): TableDef(_cols("Name", "Status", "Completions", "Duration", "Age", wide=_CIS), job_cells),
    ("batch", "CronJob"): TableDef(_cols("Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule",
                                         "Age", wide=_CIS), cronjob_cells),
    ("", "Service"): TableDef(_cols("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age",
                                    wide=("Selector",)), service_cells),
    ("networking.k8s.io", "Ingress"): TableDef(_cols("Name", "Class", "Hosts", "Address", "Ports", "Age"),
                                               ingress_cells),
    ("networking.k8s.io", "IngressClass"): TableDef(_cols("Name", "Controller", "Parameters", "Age"),
                                                    ingressclass_cells),
    ("apps", "StatefulSet"): TableDef(_cols("Name", "Ready", "Age", wide=("Containers", "Images")),
                                      statefulset_cells),
    ("", "Endpoints"): TableDef(_cols("Name", "Endpoints", "Age"), endpoints_cells),
    ("", "Node"): TableDef(_cols("Name", "Status", "Roles", "Age", "Version",
                                 wide=("Internal-IP", "External-IP", "OS-Image", "Kernel-Version",
                                       "Container-Runtime")), node_cells),
    ("", "Event"): TableDef((Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"),
                             Column("Subobject", 1), Column("Source", 1), Column("Message"), Column("First Seen", 1),
                             Column("Count", 1), Column("Name", 1)), event_cells),
    ("", "Namespace"): TableDef(_cols("Name", "Status", "Age"), namespace_cells),
    ("", "Secret"): TableDef(_cols("Name", "Type", "Data", "Age"), secret_cells),
    ("", "ServiceAccount"): TableDef(_cols("Name", "Secrets", "Age"), serviceaccount_cells),
    ("", "PersistentVolume"): TableDef(_cols("Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                                             "StorageClass", "VolumeAttributesClass", "Reason", "Age",
                                             wide=("VolumeMode",)), pv_cells),
    ("", "PersistentVolumeClaim"): TableDef(_cols("Name", "Status", "Volume", "Capacity", "Access Modes",
                                                  "StorageClass", "VolumeAttributesClass", "Age",
                                                  wide=("VolumeMode",)), pvc_cells),
    ("", "ComponentStatus"): TableDef(_cols("Name", "Status", "Message", "Error"), componentstatus_cells),
    ("apps", "Deployment"): TableDef(_cols("Name", "Ready", "Up-to-date", "Available", "Age", wide=_CIS),
                                     deployment_cells),
    ("autoscaling", "HorizontalPodAutoscaler"): TableDef(
        _cols("Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"), hpa_cells),
    ("", "ConfigMap"): TableDef(_cols("Name", "Data", "Age"), configmap_cells),
    ("networking.k8s.io", "NetworkPolicy"): TableDef(_cols("Name", "Pod-Selector", "Age"), networkpolicy_cells),
    ("rbac.authorization.k8s.io", "RoleBinding"): TableDef(
        _cols("Name", "Role", "Age", wide=("Users", "Groups", "ServiceAccounts")), rolebinding_cells),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): TableDef(
        _cols("Name", "Role", "Age", wide=("Users", "Groups", "ServiceAccounts")), rolebinding_cells),
    ("coordination.k8s.io", "Lease"): TableDef(_cols("Name", "Holder", "Age"), lease_cells),
    ("storage.k8s.io", "StorageClass"): TableDef(
        _cols("Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"),
        storageclass_cells),
    ("apps", "ControllerRevision"): TableDef(_cols("Name", "Controller", "Revision", "Age"),
                                             controllerrevision_cells),
    ("", "ResourceQuota"): TableDef(_cols("Name", "Request", "Limit", "Age"), resourcequota_cells),
    ("scheduling.k8s.io", "PriorityClass"): TableDef(
        _cols("Name", "Value", "Global-Default", "Age", wide=("PreemptionPolicy",)), priorityclass_cells),
    ("storage.k8s.io", "VolumeAttachment"): TableDef(_cols("Name", "Attacher", "PV", "Node", "Attached", "Age"),
                                                     volumeattachment_cells),
    ("discovery.k8s.io", "EndpointSlice"): TableDef(_cols("Name", "AddressType", "Ports", "Endpoints", "Age"),
                                                    endpointslice_cells),
    ("storage.k8s.io", "CSINode"): TableDef(_cols("Name", "Drivers", "Age"), csinode_cells),
    ("storage.k8s.io", "CSIDriver"): TableDef(
        _cols("Name", "AttachRequired", "PodInfoOnMount", "StorageCapacity", "TokenRequests", "RequiresRepublish",
              "Modes", "Age"), csidriver_cells),
}
# events.k8s.io Events are the same objects as core Events and use the same printer
TABLES[("events.k8s.io", "Event")] = TABLES[("", "Event")]

DEFAULT_TABLE = TableDef((Column("Name"), Column("Created At")), default_cells)

#: cell functions that need to know whether the output is wide (load balancer addresses are cut)
_WIDE_AWARE = {service_cells, ingress_cells}


def table_for(group: str, kind: str) -> TableDef:
    return TABLES.get((group, kind), DEFAULT_TABLE)


def row_cells(table: TableDef, obj: dict, now: float, wide: bool) -> list:
    if table.cells in _WIDE_AWARE:
        return table.cells(obj, now, wide)  # type: ignore[call-arg]
    return table.cells(obj, now)


def cell_text(v: Any) -> str:
    """How kubectl prints a cell: strings cut at the first line break (``...`` added), numbers and
    booleans with ``%v``, nil as nothing (cli-runtime tableprinter ``printRows``)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        if "\n" in v or "\r" in v or "\f" in v:
            for i, ch in enumerate(v):
                if ch in "\n\r\f":
                    return v[:i] + "..."
        return v
    return str(v)
