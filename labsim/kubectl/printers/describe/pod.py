"""``kubectl describe pod`` (kubernetes/kubectl: pkg/describe/describe.go ``describePod``,
``describeContainers``, ``describeVolumes``, ``DescribeProbe``, ``DescribePodTemplate``).

Pure functions of the stored Pod, its events and ``now``: whatever the kubelet and the
controllers write into the store shows up here without changes to this module.
"""
from __future__ import annotations

import math
import re

from labsim.kubectl.printers.describe import qty as _qty
from labsim.kubectl.printers.describe.events import describe_events, search_events
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, controlled_by, go_bool, go_list, print_annotations_multiline,
    print_bool, print_labels_multiline, print_tolerations_multiline, string_or_none, tabbed_string,
    time_rfc1123z, translate_timestamp_since,
)

MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"


def describe(api, pod: dict, now: float, show_events: bool = True) -> str:
    """``PodDescriber.Describe``: events are searched by name, namespace and uid (the reference's
    kind is cleared; a mirror pod uses the uid in its mirror annotation)."""
    events = None
    if show_events:
        md = pod.get("metadata") or {}
        uid = (md.get("annotations") or {}).get(MIRROR_POD_ANNOTATION) or md.get("uid")
        events = search_events(api, name=md.get("name", ""), namespace=md.get("namespace", ""), uid=uid)
    return describe_pod(pod, events, now)


def describe_pod(pod: dict, events: list[dict] | None, now: float) -> str:
    md = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        if spec.get("priority") is not None:
            w.write(LEVEL_0, "Priority:\t%d\n", int(spec["priority"]))
        if spec.get("priorityClassName"):
            w.write(LEVEL_0, "Priority Class Name:\t%s\n", spec["priorityClassName"])
        if spec.get("runtimeClassName"):
            w.write(LEVEL_0, "Runtime Class Name:\t%s\n", spec["runtimeClassName"])
        if spec.get("serviceAccountName"):
            w.write(LEVEL_0, "Service Account:\t%s\n", spec["serviceAccountName"])
        if not spec.get("nodeName"):
            w.write(LEVEL_0, "Node:\t<none>\n")
        else:
            w.write(LEVEL_0, "Node:\t%s\n", spec["nodeName"] + "/" + (status.get("hostIP") or ""))
        if status.get("startTime"):
            w.write(LEVEL_0, "Start Time:\t%s\n", time_rfc1123z(status["startTime"]))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        phase = status.get("phase", "") or ""
        if md.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
            w.write(LEVEL_0, "Status:\tTerminating (lasts %s)\n", translate_timestamp_since(md["deletionTimestamp"], now))
            w.write(LEVEL_0, "Termination Grace Period:\t%ds\n", int(md.get("deletionGracePeriodSeconds") or 0))
        else:
            w.write(LEVEL_0, "Status:\t%s\n", phase)
        if status.get("reason"):
            w.write(LEVEL_0, "Reason:\t%s\n", status["reason"])
        if status.get("message"):
            w.write(LEVEL_0, "Message:\t%s\n", status["message"])
        seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
        if seccomp:
            w.write(LEVEL_0, "SeccompProfile:\t%s\n", seccomp.get("type", ""))
            if seccomp.get("type") == "Localhost":
                w.write(LEVEL_0, "LocalhostProfile:\t%s\n", seccomp.get("localhostProfile", ""))
        w.write(LEVEL_0, "IP:\t%s\n", status.get("podIP", "") or "")
        describe_pod_ips(pod, w, "")
        owner = controlled_by(pod)
        if owner:
            w.write(LEVEL_0, "Controlled By:\t%s\n", owner)
        if status.get("nominatedNodeName"):
            w.write(LEVEL_0, "NominatedNodeName:\t%s\n", status["nominatedNodeName"])
        if spec.get("resources") is not None:
            w.write(LEVEL_0, "Resources:\n")
            describe_resources(spec["resources"], w, LEVEL_1)
        resolver = env_value_retriever(pod)
        if spec.get("initContainers"):
            describe_containers("Init Containers", spec["initContainers"], status.get("initContainerStatuses"),
                                resolver, w, "")
        describe_containers("Containers", spec.get("containers") or [], status.get("containerStatuses"),
                            resolver, w, "")
        if spec.get("ephemeralContainers"):
            describe_containers("Ephemeral Containers", spec["ephemeralContainers"],
                                status.get("ephemeralContainerStatuses"), resolver, w, "")
        conditions = status.get("conditions") or []
        if spec.get("readinessGates"):
            w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
            for g in spec["readinessGates"]:
                st = next((c.get("status", "") for c in conditions if c.get("type") == g.get("conditionType")),
                          "<none>")
                w.write(LEVEL_1, "%s \t%s \n", g.get("conditionType", ""), st)
        if conditions:
            w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
            for c in conditions:
                w.write(LEVEL_1, "%s \t%s \n", c.get("type", ""), c.get("status", ""))
        describe_volumes(spec.get("volumes"), w, "")
        w.write(LEVEL_0, "QoS Class:\t%s\n", pod_qos(pod))
        print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
        print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
        describe_topology_spread_constraints(spec.get("topologySpreadConstraints"), w, "")
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)


def describe_pod_ips(pod: dict, w, space: str) -> None:
    ips = (pod.get("status") or {}).get("podIPs") or []
    if not ips:
        w.write(LEVEL_0, "%sIPs:\t<none>\n", space)
        return
    w.write(LEVEL_0, "%sIPs:\n", space)
    for ip in ips:
        w.write(LEVEL_1, "IP:\t%s\n", ip.get("ip", ""))


def describe_topology_spread_constraints(tscs: list | None, w, space: str) -> None:
    if not tscs:
        return
    from labsim.kubectl.printers.describe.selectors import format_label_selector

    w.write(LEVEL_0, "%sTopology Spread Constraints:\t", space)
    for i, tsc in enumerate(sorted(tscs, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(LEVEL_0, "%s", space)
            w.write(LEVEL_0, "%s", "\t")
        w.write(LEVEL_0, "%s:", tsc.get("topologyKey", ""))
        w.write(LEVEL_0, "%s", tsc.get("whenUnsatisfiable", ""))
        w.write(LEVEL_0, " when max skew %d is exceeded", int(tsc.get("maxSkew") or 0))
        if tsc.get("labelSelector") is not None:
            w.write(LEVEL_0, " for selector %s", format_label_selector(tsc["labelSelector"]))
        w.write(LEVEL_0, "\n")


# -- containers --------------------------------------------------------------------------------

def describe_containers(label: str, containers: list, statuses: list | None, resolver, w, space: str) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(LEVEL_0, "%s%s:%s\n", space, label, "" if containers else " <none>")
    for c in containers:
        st = by_name.get(c.get("name"))
        describe_container_basic_info(c, st, space, w)
        describe_container_command(c, w)
        if st is not None:
            describe_container_state(st, w)
        describe_resources(c.get("resources") or {}, w, LEVEL_2)
        describe_container_probe(c, w)
        if c.get("envFrom"):
            describe_container_env_from(c, w)
        describe_container_env_vars(c, resolver, w)
        describe_container_volumes(c, w)


def _protocol(p: dict) -> str:
    return p.get("protocol", "") or ""


def describe_container_basic_info(c: dict, st: dict | None, space: str, w) -> None:
    name_indent = " " if space else ""
    w.write(LEVEL_1, "%s%s:\n", name_indent, c.get("name", ""))
    if st is not None:
        w.write(LEVEL_2, "Container ID:\t%s\n", st.get("containerID", "") or "")
    w.write(LEVEL_2, "Image:\t%s\n", c.get("image", "") or "")
    if st is not None:
        w.write(LEVEL_2, "Image ID:\t%s\n", st.get("imageID", "") or "")
    ports = c.get("ports") or []
    port_string = ", ".join(f"{int(p.get('containerPort') or 0)}/{_protocol(p)}" for p in ports)
    if "," in port_string:
        w.write(LEVEL_2, "Ports:\t%s\n", port_string)
    else:
        w.write(LEVEL_2, "Port:\t%s\n", string_or_none(port_string))
    host_string = ", ".join(f"{int(p.get('hostPort') or 0)}/{_protocol(p)}" for p in ports)
    if "," in host_string:
        w.write(LEVEL_2, "Host Ports:\t%s\n", host_string)
    else:
        w.write(LEVEL_2, "Host Port:\t%s\n", string_or_none(host_string))
    seccomp = (c.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(LEVEL_2, "SeccompProfile:\t%s\n", seccomp.get("type", ""))
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_3, "LocalhostProfile:\t%s\n", seccomp.get("localhostProfile", ""))


def describe_container_command(c: dict, w) -> None:
    if c.get("command"):
        w.write(LEVEL_2, "Command:\n")
        for item in c["command"]:
            for s in str(item).split("\n"):
                w.write(LEVEL_3, "%s\n", s)
    if c.get("args"):
        w.write(LEVEL_2, "Args:\n")
        for item in c["args"]:
            for s in str(item).split("\n"):
                w.write(LEVEL_3, "%s\n", s)


def describe_resources(resources: dict | None, w, level: int) -> None:
    if resources is None:
        return
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    if limits:
        w.write(level, "Limits:\n")
    for name in sorted(limits):
        w.write(level + 1, "%s:\t%s\n", name, _qty.canonical(limits[name]))
    if requests:
        w.write(level, "Requests:\n")
    for name in sorted(requests):
        w.write(level + 1, "%s:\t%s\n", name, _qty.canonical(requests[name]))


def describe_container_state(st: dict, w) -> None:
    describe_status("State", st.get("state") or {}, w)
    last = st.get("lastState") or {}
    if last.get("terminated") is not None:
        describe_status("Last State", last, w)
    w.write(LEVEL_2, "Ready:\t%s\n", print_bool(st.get("ready")))
    w.write(LEVEL_2, "Restart Count:\t%d\n", int(st.get("restartCount") or 0))


def describe_status(state_name: str, state: dict, w) -> None:
    if state.get("running") is not None:
        w.write(LEVEL_2, "%s:\tRunning\n", state_name)
        w.write(LEVEL_3, "Started:\t%s\n", time_rfc1123z(state["running"].get("startedAt")))
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, "%s:\tWaiting\n", state_name)
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, "Reason:\t%s\n", state["waiting"]["reason"])
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(LEVEL_2, "%s:\tTerminated\n", state_name)
        if t.get("reason"):
            w.write(LEVEL_3, "Reason:\t%s\n", t["reason"])
        if t.get("message"):
            w.write(LEVEL_3, "Message:\t%s\n", t["message"])
        w.write(LEVEL_3, "Exit Code:\t%d\n", int(t.get("exitCode") or 0))
        if int(t.get("signal") or 0) > 0:
            w.write(LEVEL_3, "Signal:\t%d\n", int(t["signal"]))
        w.write(LEVEL_3, "Started:\t%s\n", time_rfc1123z(t.get("startedAt")))
        w.write(LEVEL_3, "Finished:\t%s\n", time_rfc1123z(t.get("finishedAt")))
    else:
        w.write(LEVEL_2, "%s:\tWaiting\n", state_name)


def _int_or_string(v) -> str:
    return "" if v is None else str(v)


def _join_host_port(host: str, port: str) -> str:
    """net.JoinHostPort: brackets around hosts containing a colon (IPv6)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def describe_probe(probe: dict) -> str:
    """``DescribeProbe``: the handler, then the timing attributes as stored."""
    attrs = (f"delay={int(probe.get('initialDelaySeconds') or 0)}s timeout={int(probe.get('timeoutSeconds') or 0)}s "
             f"period={int(probe.get('periodSeconds') or 0)}s #success={int(probe.get('successThreshold') or 0)} "
             f"#failure={int(probe.get('failureThreshold') or 0)}")
    if probe.get("exec") is not None:
        return f"exec {go_list(probe['exec'].get('command'))} {attrs}"
    if probe.get("httpGet") is not None:
        h = probe["httpGet"]
        scheme = str(h.get("scheme", "") or "").lower()
        port = _int_or_string(h.get("port"))
        host = _join_host_port(h.get("host", "") or "", port) if port else (h.get("host", "") or "")
        url = ""
        if scheme:
            url += scheme + ":"
        if scheme or host:
            url += "//" + host
        path = h.get("path", "") or ""
        if path and not path.startswith("/") and (scheme or host):
            path = "/" + path
        url += path
        return f"http-get {url} {attrs}"
    if probe.get("tcpSocket") is not None:
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '') or ''}:{_int_or_string(t.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        g = probe["grpc"]
        return f"grpc <pod>:{int(g.get('port') or 0)} {g.get('service', '') or ''} {attrs}"
    return f"unknown {attrs}"


def describe_container_probe(c: dict, w) -> None:
    for key, label in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")):
        if c.get(key) is not None:
            w.write(LEVEL_2, "%s:\t%s\n", label, describe_probe(c[key]))


def describe_container_env_from(c: dict, w) -> None:
    w.write(LEVEL_2, "Environment Variables from:%s\n", "" if c.get("envFrom") else "\t<none>")
    for e in c.get("envFrom") or []:
        source, name, optional = "", "", False
        if e.get("configMapRef") is not None:
            source, name = "ConfigMap", e["configMapRef"].get("name", "")
            optional = bool(e["configMapRef"].get("optional"))
        elif e.get("secretRef") is not None:
            source, name = "Secret", e["secretRef"].get("name", "")
            optional = bool(e["secretRef"].get("optional"))
        if not e.get("prefix"):
            w.write(LEVEL_3, "%s\t%s\tOptional: %s\n", name, source, go_bool(optional))
        else:
            w.write(LEVEL_3, "%s\t%s with prefix '%s'\tOptional: %s\n", name, source, e["prefix"], go_bool(optional))


def describe_container_env_vars(c: dict, resolver, w) -> None:
    env = c.get("env") or []
    w.write(LEVEL_2, "Environment:%s\n", "" if env else "\t<none>")
    for e in env:
        vf = e.get("valueFrom")
        name = e.get("name", "")
        if vf is None:
            for i, s in enumerate(str(e.get("value", "") or "").split("\n")):
                if i == 0:
                    w.write(LEVEL_3, "%s:\t%s\n", name, s)
                else:
                    w.write(LEVEL_3, "\t%s\n", s)
            continue
        if vf.get("fieldRef") is not None:
            fr = vf["fieldRef"]
            value = resolver(e) if resolver is not None else ""
            w.write(LEVEL_3, "%s:\t%s (%s:%s)\n", name, value, fr.get("apiVersion", ""), fr.get("fieldPath", ""))
        elif vf.get("resourceFieldRef") is not None:
            rf = vf["resourceFieldRef"]
            value = container_resource_value(rf, c)
            resource = rf.get("resource", "")
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, "%s:\t%s (%s)\n", name, value, resource)
        elif vf.get("secretKeyRef") is not None:
            r = vf["secretKeyRef"]
            w.write(LEVEL_3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %s\n", name, r.get("key", ""),
                    r.get("name", ""), go_bool(r.get("optional")))
        elif vf.get("configMapKeyRef") is not None:
            r = vf["configMapKeyRef"]
            w.write(LEVEL_3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %s\n", name, r.get("key", ""),
                    r.get("name", ""), go_bool(r.get("optional")))


def container_resource_value(ref: dict, c: dict) -> str:
    """k8s.io/kubectl/pkg/util/resource ``ExtractContainerResourceValue``: the value divided by the
    divisor, rounded up (cpu in cores by default, memory/storage in bytes)."""
    resource = ref.get("resource", "")
    section, _, name = resource.partition(".")
    res = c.get("resources") or {}
    raw = (res.get(section) or {}).get(name) if section in ("limits", "requests") else None
    q = _qty.parse_qty(raw)
    divisor = _qty.parse_qty(ref.get("divisor") or "1")
    if divisor.value == 0:
        divisor = _qty.parse_qty("1")
    return str(math.ceil(q.value / divisor.value))


def describe_container_volumes(c: dict, w) -> None:
    mounts = c.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(LEVEL_2, "Mounts:%s\n", none)
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append('path="%s"' % m["subPath"].replace("\\", "\\\\").replace('"', '\\"'))
        w.write(LEVEL_3, "%s from %s (%s)\n", m.get("mountPath", ""), m.get("name", ""), ",".join(flags))
    devices = c.get("volumeDevices") or []
    if devices:
        w.write(LEVEL_2, "Devices:%s\n", none)
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(LEVEL_3, "%s from %s\n", d.get("devicePath", ""), d.get("name", ""))


# -- env fieldRef ------------------------------------------------------------------------------

_SUBSCRIPT = re.compile(r"^metadata\.(labels|annotations)\['(.*)'\]$")


def env_value_retriever(pod: dict):
    """``EnvValueRetriever``: resolve a fieldRef against the pod (k8s.io/kubectl/pkg/util/fieldpath)."""
    md = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}

    def resolve(e: dict) -> str:
        path = ((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath", "")
        m = _SUBSCRIPT.match(path)
        if m:
            return str((md.get(m.group(1)) or {}).get(m.group(2), ""))
        if path == "metadata.labels":
            return "\n".join(f'{k}="{v}"' for k, v in sorted((md.get("labels") or {}).items()))
        if path == "metadata.annotations":
            return "\n".join(f'{k}="{v}"' for k, v in sorted((md.get("annotations") or {}).items()))
        table = {
            "metadata.name": md.get("name", ""),
            "metadata.namespace": md.get("namespace", ""),
            "metadata.uid": md.get("uid", ""),
            "spec.nodeName": spec.get("nodeName", ""),
            "spec.serviceAccountName": spec.get("serviceAccountName", ""),
            "status.hostIP": status.get("hostIP", ""),
            "status.podIP": status.get("podIP", ""),
            "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or []),
            "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
        }
        return str(table.get(path, "") or "")

    return resolve


# -- volumes -----------------------------------------------------------------------------------

def describe_volumes(volumes: list | None, w, space: str) -> None:
    if not volumes:
        w.write(LEVEL_0, "%sVolumes:\t<none>\n", space)
        return
    w.write(LEVEL_0, "%sVolumes:\n", space)
    for v in volumes:
        w.write(LEVEL_1, "%s%s:\n", " " if space else "", v.get("name", ""))
        if v.get("hostPath") is not None:
            hp = v["hostPath"]
            w.write(LEVEL_2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n    HostPathType:\t%s\n",
                    hp.get("path", ""), hp.get("type") if hp.get("type") is not None else "<none>")
        elif v.get("emptyDir") is not None:
            ed = v["emptyDir"]
            size = ed.get("sizeLimit")
            size_text = _qty.canonical(size) if size not in (None, "") and _positive(size) else "<unset>"
            w.write(LEVEL_2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                             "    Medium:\t%s\n    SizeLimit:\t%s\n", ed.get("medium", "") or "", size_text)
        elif v.get("secret") is not None:
            s = v["secret"]
            w.write(LEVEL_2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%s\n    Optional:\t%s\n",
                    s.get("secretName", ""), go_bool(s.get("optional")))
        elif v.get("configMap") is not None:
            cm = v["configMap"]
            w.write(LEVEL_2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%s\n    Optional:\t%s\n",
                    cm.get("name", ""), go_bool(cm.get("optional")))
        elif v.get("nfs") is not None:
            n = v["nfs"]
            w.write(LEVEL_2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t%s\n"
                             "    Path:\t%s\n    ReadOnly:\t%s\n", n.get("server", ""), n.get("path", ""),
                    go_bool(n.get("readOnly")))
        elif v.get("persistentVolumeClaim") is not None:
            p = v["persistentVolumeClaim"]
            w.write(LEVEL_2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                             "namespace)\n    ClaimName:\t%s\n    ReadOnly:\t%s\n", p.get("claimName", ""),
                    go_bool(p.get("readOnly")))
        elif v.get("ephemeral") is not None:
            w.write(LEVEL_2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and "
                             "deleted with the pod)\n")
        elif v.get("downwardAPI") is not None:
            w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in v["downwardAPI"].get("items") or []:
                if item.get("fieldRef") is not None:
                    w.write(LEVEL_3, "%s -> %s\n", item["fieldRef"].get("fieldPath", ""), item.get("path", ""))
                if item.get("resourceFieldRef") is not None:
                    w.write(LEVEL_3, "%s -> %s\n", item["resourceFieldRef"].get("resource", ""), item.get("path", ""))
        elif v.get("projected") is not None:
            w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for src in v["projected"].get("sources") or []:
                if src.get("secret") is not None:
                    w.write(LEVEL_2, "SecretName:\t%s\n    SecretOptionalName:\t%s\n", src["secret"].get("name", ""),
                            _go_bool_ptr(src["secret"].get("optional")))
                elif src.get("downwardAPI") is not None:
                    w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
                elif src.get("configMap") is not None:
                    w.write(LEVEL_2, "ConfigMapName:\t%s\n    ConfigMapOptional:\t%s\n",
                            src["configMap"].get("name", ""), _go_bool_ptr(src["configMap"].get("optional")))
                elif src.get("serviceAccountToken") is not None:
                    w.write(LEVEL_2, "TokenExpirationSeconds:\t%d\n",
                            int(src["serviceAccountToken"].get("expirationSeconds") or 0))
        elif v.get("csi") is not None:
            csi = v["csi"]
            w.write(LEVEL_2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t%s\n"
                             "    FSType:\t%s\n    ReadOnly:\t%s\n", csi.get("driver", ""),
                    csi.get("fsType") or "<none>", go_bool(csi.get("readOnly")))
        elif v.get("image") is not None:
            im = v["image"]
            w.write(LEVEL_2, "Type:\tImage (a container image or OCI artifact)\n    Reference:\t%s\n"
                             "    PullPolicy:\t%s\n", im.get("reference", ""), im.get("pullPolicy", ""))
        else:
            w.write(LEVEL_1, "<unknown>\n")


def _go_bool_ptr(v) -> str:
    """``%v`` of a ``*bool``: ``<nil>``, ``true`` or ``false`` (a pointer prints its address in
    Go; kubectl shows ``<nil>`` for the unset case, the only one a server produces by default)."""
    if v is None:
        return "<nil>"
    return go_bool(v)


def _positive(q) -> bool:
    return _qty.parse_qty(q).value > 0


# -- QoS ---------------------------------------------------------------------------------------

def pod_qos(pod: dict) -> str:
    """``qos.GetPodQOS``: ``status.qosClass`` when set, else ``ComputePodQOS`` (only cpu and
    memory count; Guaranteed needs limits for both in every container, equal to the requests)."""
    stored = (pod.get("status") or {}).get("qosClass")
    if stored:
        return stored
    return compute_pod_qos(pod)


def compute_pod_qos(pod: dict) -> str:
    spec = pod.get("spec") or {}
    requests: dict[str, object] = {}
    limits: dict[str, object] = {}
    guaranteed = True
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for c in containers:
        res = c.get("resources") or {}
        for name, raw in (res.get("requests") or {}).items():
            if name not in ("cpu", "memory"):
                continue
            q = _safe(raw)
            if q.value != 0:
                requests[name] = _qty.add(requests[name], q) if name in requests else q
        found = set()
        for name, raw in (res.get("limits") or {}).items():
            if name not in ("cpu", "memory"):
                continue
            q = _safe(raw)
            if q.value != 0:
                found.add(name)
                limits[name] = _qty.add(limits[name], q) if name in limits else q
        if not {"cpu", "memory"} <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, q in requests.items():
            if name not in limits or limits[name].value != q.value:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _safe(raw):
    return _qty.parse_qty(raw)


# -- pod templates (deployments, replica sets, ...) -------------------------------------------

def describe_pod_template(template: dict | None, w) -> None:
    """``DescribePodTemplate``: container names at 3 spaces, no status lines."""
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    md = template.get("metadata") or {}
    spec = template.get("spec") or {}
    print_labels_multiline(w, "  Labels", md.get("labels"))
    if md.get("annotations"):
        print_annotations_multiline(w, "  Annotations", md["annotations"])
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, "Service Account:\t%s\n", spec["serviceAccountName"])
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], None, None, w, "  ")
    describe_containers("Containers", spec.get("containers") or [], None, None, w, "  ")
    describe_volumes(spec.get("volumes"), w, "  ")
    describe_topology_spread_constraints(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, "Priority Class Name:\t%s\n", spec["priorityClassName"])
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
