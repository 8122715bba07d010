"""Defaulting and registry strategies, as the v1.32 API server applies them.

``set_defaults`` is the scheme defaulting run at decode time (``pkg/apis/<group>/<version>/
defaults.go`` and the generated ``zz_generated.defaults.go``: the same field-level defaults are
applied to a Pod's spec and to every pod template). ``prepare_for_create`` /
``prepare_for_update`` are the registry strategies (``pkg/registry/<group>/<kind>/strategy.go``):
status reset on create, Namespace finalizers, Pod phase and QoS class, the Job selector.

Quantities in resource lists are rewritten in canonical form and rounded up to milli units
(``SetDefaults_ResourceList``), as a real server stores them: ``cpu: 0.5`` reads back as ``500m``.
A quantity that does not parse fails the request with the decoder's ``BadRequest``.
"""
from __future__ import annotations

import base64
import re

from labsim import errors
from labsim.api import quantity as q

DEFAULT_TERMINATION_GRACE_PERIOD = 30
#: pod-template owners: kind -> path to the PodTemplateSpec
TEMPLATE_PATHS = {
    ("apps", "Deployment"): ("spec", "template"),
    ("apps", "ReplicaSet"): ("spec", "template"),
    ("apps", "StatefulSet"): ("spec", "template"),
    ("apps", "DaemonSet"): ("spec", "template"),
    ("batch", "Job"): ("spec", "template"),
    ("", "ReplicationController"): ("spec", "template"),
    ("", "PodTemplate"): ("template",),
}
#: kinds whose strategy resets status on create (PrepareForCreate: ``obj.Status = {}``)
_STATUS_RESET_ON_CREATE = {
    ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
    ("batch", "Job"), ("batch", "CronJob"), ("", "ReplicationController"),
    ("autoscaling", "HorizontalPodAutoscaler"), ("networking.k8s.io", "Ingress"),
    ("policy", "PodDisruptionBudget"),
}


def _bad_quantity(rt, err: Exception) -> errors.StatusError:
    # the decoder's error (runtime.Decode of the request body) as the handler reports it
    return errors.bad_request(f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: {err}')


# -- pod spec ------------------------------------------------------------------------------------

def _default_resource_list(rt, rl):
    if not isinstance(rl, dict):
        return
    for k, v in list(rl.items()):
        try:
            rl[k] = q.canonical_resource(v)
        except q.QuantityError as e:
            raise _bad_quantity(rt, e) from None


# distribution/reference grammar (ParseNormalizedNamed): optional domain, lowercase path
# components, optional tag, optional digest
_REF_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*"
_REF_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*" \
              r"|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_REFERENCE_RE = re.compile(
    r"(?:(?P<domain>" + _REF_DOMAIN + r")/)?(?P<path>" + _REF_COMPONENT + r"(?:/" + _REF_COMPONENT + r")*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*"
    r":[0-9a-fA-F]{32,}))?")


def image_pull_policy_for(image: str) -> str:
    """``SetDefaults_Container``: Always when the tag is ``latest``, IfNotPresent otherwise.

    The tag comes from ``parsers.ParseImageName``: no tag and no digest means ``latest``; a
    digest without a tag means no tag; a name that does not parse as an image reference
    (upper case, empty) yields no tag either, hence IfNotPresent."""
    m = _REFERENCE_RE.fullmatch(image)
    if not m:
        return "IfNotPresent"
    tag = m.group("tag") or ""
    if not tag and not m.group("digest"):
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_handler(h):
    if not isinstance(h, dict):
        return
    hg = h.get("httpGet")
    if isinstance(hg, dict):
        if not hg.get("path"):
            hg["path"] = "/"
        if not hg.get("scheme"):
            hg["scheme"] = "HTTP"
    grpc = h.get("grpc")
    if isinstance(grpc, dict) and grpc.get("service") is None:
        grpc["service"] = ""  # +default=""


def _default_probe(p):
    if not isinstance(p, dict):
        return
    for k, v in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        if not p.get(k):
            p[k] = v
    _default_handler(p)


def _default_container(rt, c, ephemeral=False):
    if not isinstance(c, dict):
        return
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy_for(str(c.get("image") or ""))
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    for p in c.get("ports") or []:
        if isinstance(p, dict) and not p.get("protocol"):
            p["protocol"] = "TCP"
    for e in c.get("env") or []:
        fr = ((e or {}).get("valueFrom") or {}).get("fieldRef") if isinstance(e, dict) else None
        if isinstance(fr, dict) and not fr.get("apiVersion"):
            fr["apiVersion"] = "v1"
    res = c.get("resources")
    if res is None:
        c["resources"] = {}
    elif isinstance(res, dict):
        _default_resource_list(rt, res.get("limits"))
        _default_resource_list(rt, res.get("requests"))
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(c.get(probe))
    lc = c.get("lifecycle")
    if isinstance(lc, dict):
        _default_handler(lc.get("postStart"))
        _default_handler(lc.get("preStop"))


_MODE_DEFAULTS = {"secret": 420, "configMap": 420, "downwardAPI": 420, "projected": 420}


def _default_volume(v):
    if not isinstance(v, dict):
        return
    sources = [k for k in v if k != "name"]
    if not sources:
        v["emptyDir"] = {}
        return
    for kind, mode in _MODE_DEFAULTS.items():
        src = v.get(kind)
        if isinstance(src, dict) and src.get("defaultMode") is None:
            src["defaultMode"] = mode
    hp = v.get("hostPath")
    if isinstance(hp, dict) and hp.get("type") is None:
        hp["type"] = ""
    proj = v.get("projected")
    if isinstance(proj, dict):
        for s in proj.get("sources") or []:
            sat = (s or {}).get("serviceAccountToken")
            if isinstance(sat, dict) and sat.get("expirationSeconds") is None:
                sat["expirationSeconds"] = 3600
            da = (s or {}).get("downwardAPI") or {}
            for item in da.get("items") or []:
                fr = (item or {}).get("fieldRef")
                if isinstance(fr, dict) and not fr.get("apiVersion"):
                    fr["apiVersion"] = "v1"
    da = v.get("downwardAPI")
    if isinstance(da, dict):
        for item in da.get("items") or []:
            fr = (item or {}).get("fieldRef")
            if isinstance(fr, dict) and not fr.get("apiVersion"):
                fr["apiVersion"] = "v1"


def default_pod_spec(rt, spec: dict) -> None:
    """``SetDefaults_PodSpec`` plus the nested defaults (containers, volumes, probes)."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE_PERIOD
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    # v1 conversion keeps the deprecated serviceAccount in step with serviceAccountName
    if spec.get("serviceAccountName") and not spec.get("serviceAccount"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    elif spec.get("serviceAccount") and not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    for c in spec.get("initContainers") or []:
        _default_container(rt, c)
    for c in spec.get("containers") or []:
        _default_container(rt, c)
    for c in spec.get("ephemeralContainers") or []:
        _default_container(rt, c, ephemeral=True)
    for v in spec.get("volumes") or []:
        _default_volume(v)


def _default_pod_only(spec: dict) -> None:
    """``SetDefaults_Pod``: requests from limits, enableServiceLinks, hostNetwork ports."""
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            res = c.get("resources") or {}
            limits = res.get("limits")
            if isinstance(limits, dict) and limits:
                req = res.setdefault("requests", {})
                if isinstance(req, dict):
                    for k, v in limits.items():
                        req.setdefault(k, v)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for c in spec.get(key) or []:
                for p in (c or {}).get("ports") or []:
                    if isinstance(p, dict) and not p.get("hostPort"):
                        p["hostPort"] = p.get("containerPort")


def default_pod_template(rt, tmpl) -> None:
    if not isinstance(tmpl, dict):
        return
    md = tmpl.get("metadata")
    if md is None:
        md = tmpl["metadata"] = {}
    if isinstance(md, dict) and "creationTimestamp" not in md:
        # metav1.Time is a struct: v1.32 serialises an unset one as null
        md["creationTimestamp"] = None
    spec = tmpl.get("spec")
    if spec is None:
        spec = tmpl["spec"] = {}
    default_pod_spec(rt, spec)


def _sub(obj, *path):
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def _spec(obj) -> dict:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


# -- per kind ------------------------------------------------------------------------------------

def _pod(rt, obj):
    spec = _spec(obj)
    default_pod_spec(rt, spec)
    _default_pod_only(spec)


def _deployment(rt, obj):
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = strategy["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = "25%"
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(rt, spec.get("template"))


def _replicaset(rt, obj):
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(rt, spec.get("template"))


def _replication_controller(rt, obj):
    spec = _spec(obj)
    tmpl = spec.get("template")
    labels = _sub(tmpl, "metadata", "labels") if isinstance(tmpl, dict) else None
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        md = obj.setdefault("metadata", {})
        if not md.get("labels"):
            md["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(rt, tmpl)


def _pvc_template(rt, pvc):
    if not isinstance(pvc, dict):
        return
    pvc.setdefault("apiVersion", "v1")
    pvc.setdefault("kind", "PersistentVolumeClaim")
    md = pvc.get("metadata")
    if isinstance(md, dict) and "creationTimestamp" not in md:
        md["creationTimestamp"] = None
    _pvc_spec_and_status(rt, pvc, pvc.get("spec"))


def _pvc_spec_and_status(rt, pvc: dict, spec) -> None:
    """``SetDefaults_PersistentVolumeClaimSpec`` and the Pending phase, for claims and templates."""
    if isinstance(spec, dict):
        if spec.get("volumeMode") is None:
            spec["volumeMode"] = "Filesystem"
        _default_resource_list(rt, _sub(spec, "resources", "requests"))
        _default_resource_list(rt, _sub(spec, "resources", "limits"))
    status = pvc.get("status")
    if not isinstance(status, dict):
        status = pvc["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Pending"


def _statefulset(rt, obj):
    spec = _spec(obj)
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    us = spec.get("updateStrategy")
    if not isinstance(us, dict):
        us = spec["updateStrategy"] = {}
    if not us.get("type"):
        us["type"] = "RollingUpdate"
        if us.get("rollingUpdate") is None:
            us["rollingUpdate"] = {}
    if us["type"] == "RollingUpdate" and isinstance(us.get("rollingUpdate"), dict):
        if us["rollingUpdate"].get("partition") is None:
            us["rollingUpdate"]["partition"] = 0
    pol = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(pol, dict):
        pol = spec["persistentVolumeClaimRetentionPolicy"] = {}
    if not pol.get("whenDeleted"):
        pol["whenDeleted"] = "Retain"
    if not pol.get("whenScaled"):
        pol["whenScaled"] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(rt, spec.get("template"))
    for pvc in spec.get("volumeClaimTemplates") or []:
        _pvc_template(rt, pvc)


def _daemonset(rt, obj):
    spec = _spec(obj)
    us = spec.get("updateStrategy")
    if not isinstance(us, dict):
        us = spec["updateStrategy"] = {}
    if not us.get("type"):
        us["type"] = "RollingUpdate"
    if us["type"] == "RollingUpdate":
        ru = us.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = us["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(rt, spec.get("template"))


def _job_spec(rt, spec: dict) -> None:
    """``SetDefaults_Job`` (batch/v1, v1.32 feature gates: JobPodReplacementPolicy on)."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"
    pfp = spec.get("podFailurePolicy")
    if isinstance(pfp, dict):
        for rule in pfp.get("rules") or []:
            for pat in (rule or {}).get("onPodConditions") or []:
                if isinstance(pat, dict) and not pat.get("status"):
                    pat["status"] = "True"


def _job(rt, obj):
    spec = _spec(obj)
    _job_spec(rt, spec)
    labels = _sub(spec, "template", "metadata", "labels")
    md = obj.setdefault("metadata", {})
    if labels and not md.get("labels"):
        md["labels"] = dict(labels)
    default_pod_template(rt, spec.get("template"))


def _cronjob(rt, obj):
    spec = _spec(obj)
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    jt = spec.get("jobTemplate")
    if isinstance(jt, dict):
        md = jt.get("metadata")
        if isinstance(md, dict) and "creationTimestamp" not in md:
            md["creationTimestamp"] = None
        jspec = jt.get("spec")
        if isinstance(jspec, dict):
            default_pod_template(rt, jspec.get("template"))


def _service(rt, obj):
    spec = _spec(obj)
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        cfg = spec.get("sessionAffinityConfig")
        if not (isinstance(cfg, dict) and _sub(cfg, "clientIP", "timeoutSeconds") is not None):
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for p in spec.get("ports") or []:
        if not isinstance(p, dict):
            continue
        if not p.get("protocol"):
            p["protocol"] = "TCP"
        if p.get("targetPort") in (None, 0, ""):
            p["targetPort"] = p.get("port")
    t = spec["type"]
    externally = t in ("NodePort", "LoadBalancer") or (t == "ClusterIP" and spec.get("externalIPs"))
    if externally and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and t in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if t == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if t == "LoadBalancer":
        for ing in _sub(obj, "status", "loadBalancer", "ingress") or []:
            if isinstance(ing, dict) and ing.get("ip") and ing.get("ipMode") is None:
                ing["ipMode"] = "VIP"


def _endpoints(rt, obj):
    for ss in obj.get("subsets") or []:
        for p in (ss or {}).get("ports") or []:
            if isinstance(p, dict) and not p.get("protocol"):
                p["protocol"] = "TCP"


def _namespace(rt, obj):
    md = obj.setdefault("metadata", {})
    if md.get("name"):
        labels = md.get("labels")
        if not isinstance(labels, dict):
            labels = md["labels"] = {}
        labels["kubernetes.io/metadata.name"] = md["name"]
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Active"


def _secret(rt, obj):
    if not obj.get("type"):
        obj["type"] = "Opaque"
    # v1 -> internal conversion (Convert_v1_Secret_To_core_Secret): stringData is merged into data,
    # overwriting keys present in both, and is never stored.
    sd = obj.pop("stringData", None)
    if isinstance(sd, dict) and sd:
        data = obj.get("data")
        if not isinstance(data, dict):
            data = obj["data"] = {}
        for k, v in sd.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


def _pvc(rt, obj):
    _pvc_spec_and_status(rt, obj, _spec(obj))


def _pv(rt, obj):
    spec = _spec(obj)
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    _default_resource_list(rt, spec.get("capacity"))
    hp = spec.get("hostPath")
    if isinstance(hp, dict) and hp.get("type") is None:
        hp["type"] = ""
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Pending"


def _node(rt, obj):
    status = obj.get("status")
    if isinstance(status, dict):
        _default_resource_list(rt, status.get("capacity"))
        _default_resource_list(rt, status.get("allocatable"))
        if status.get("allocatable") is None and status.get("capacity") is not None:
            status["allocatable"] = dict(status["capacity"])


def _hpa(rt, obj):
    spec = _spec(obj)
    if obj.get("apiVersion") == "autoscaling/v1":
        if spec.get("minReplicas") is None:
            spec["minReplicas"] = 1
        return
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        # GenerateHPAScaleUpRules / GenerateHPAScaleDownRules (autoscaling/v2 defaults.go)
        up = {"policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                           {"type": "Percent", "value": 100, "periodSeconds": 15}],
              "selectPolicy": "Max", "stabilizationWindowSeconds": 0}
        down = {"policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}], "selectPolicy": "Max"}
        for key, dflt in (("scaleUp", up), ("scaleDown", down)):
            given = behavior.get(key) or {}
            merged = dict(dflt)
            for f in ("selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"):
                if given.get(f) is not None:
                    merged[f] = given[f]
            behavior[key] = merged
    for m in spec.get("metrics") or []:
        for src in ("resource", "containerResource", "pods", "object", "external"):
            tgt = _sub(m, src, "target")
            if isinstance(tgt, dict):
                for f in ("value", "averageValue"):
                    if tgt.get(f) is not None:
                        try:
                            tgt[f] = q.canonical(tgt[f])
                        except q.QuantityError as e:
                            raise _bad_quantity(rt, e) from None


def _ingress(rt, obj):
    pass  # networking/v1 has no defaults for Ingress (pathType is required, not defaulted)


def _limit_range(rt, obj):
    for item in _sub(obj, "spec", "limits") or []:
        if not isinstance(item, dict):
            continue
        for f in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            _default_resource_list(rt, item.get(f))
        if item.get("type") == "Container":
            dflt = item.setdefault("default", {})
            dreq = item.setdefault("defaultRequest", {})
            for k, v in (item.get("max") or {}).items():
                dflt.setdefault(k, v)
            for k, v in dflt.items():
                dreq.setdefault(k, v)
            for k, v in (item.get("min") or {}).items():
                dreq.setdefault(k, v)


def _resource_quota(rt, obj):
    _default_resource_list(rt, _sub(obj, "spec", "hard"))


def _storage_class(rt, obj):
    """``SetDefaults_StorageClass`` (pkg/apis/storage/v1/defaults.go)."""
    if not obj.get("reclaimPolicy"):
        obj["reclaimPolicy"] = "Delete"
    if not obj.get("volumeBindingMode"):
        obj["volumeBindingMode"] = "Immediate"


def _priority_class(rt, obj):
    """``SetDefaults_PriorityClass`` (pkg/apis/scheduling/v1/defaults.go)."""
    if not obj.get("preemptionPolicy"):
        obj["preemptionPolicy"] = "PreemptLowerPriority"


def _network_policy(rt, obj):
    """``SetDefaults_NetworkPolicyPort`` and ``SetDefaults_NetworkPolicy``
    (pkg/apis/networking/v1/defaults.go): ports default to TCP; ``policyTypes`` defaults to
    Ingress, plus Egress when egress rules are given."""
    spec = _spec(obj)
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule in spec.get(direction) or []:
            if isinstance(rule, dict):
                for port in rule.get("ports") or []:
                    if isinstance(port, dict) and not port.get("protocol"):
                        port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def _pod_template(rt, obj):
    default_pod_template(rt, obj.get("template"))


_DEFAULTERS = {
    ("", "Pod"): _pod,
    ("", "PodTemplate"): _pod_template,
    ("", "ReplicationController"): _replication_controller,
    ("", "Service"): _service,
    ("", "Endpoints"): _endpoints,
    ("", "Namespace"): _namespace,
    ("", "Secret"): _secret,
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "PersistentVolume"): _pv,
    ("", "Node"): _node,
    ("", "LimitRange"): _limit_range,
    ("", "ResourceQuota"): _resource_quota,
    ("apps", "Deployment"): _deployment,
    ("apps", "ReplicaSet"): _replicaset,
    ("apps", "StatefulSet"): _statefulset,
    ("apps", "DaemonSet"): _daemonset,
    ("batch", "Job"): _job,
    ("batch", "CronJob"): _cronjob,
    ("autoscaling", "HorizontalPodAutoscaler"): _hpa,
    ("networking.k8s.io", "Ingress"): _ingress,
    ("networking.k8s.io", "NetworkPolicy"): _network_policy,
    ("storage.k8s.io", "StorageClass"): _storage_class,
    ("scheduling.k8s.io", "PriorityClass"): _priority_class,
}


def set_defaults(rt, obj) -> None:
    """Scheme defaulting of a decoded object (in place)."""
    fn = _DEFAULTERS.get((rt.group, rt.kind))
    if fn is not None:
        fn(rt, obj)


# -- strategies ----------------------------------------------------------------------------------

def pod_qos_class(pod: dict) -> str:
    """``qos.GetPodQOS`` (pkg/apis/core/helper/qos): over containers and init containers, cpu and
    memory only."""
    requests: dict[str, q.Quantity] = {}
    limits: dict[str, q.Quantity] = {}
    guaranteed = True
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for c in containers:
        res = (c or {}).get("resources") or {}
        for name, val in (res.get("requests") or {}).items():
            if name not in ("cpu", "memory"):
                continue
            try:
                qty = q.parse_quantity(val)
            except q.QuantityError:
                continue
            if qty.value != 0:
                requests[name] = q.Quantity((requests[name].value if name in requests else 0) + qty.value)
        found = set()
        for name, val in (res.get("limits") or {}).items():
            if name not in ("cpu", "memory"):
                continue
            try:
                qty = q.parse_quantity(val)
            except q.QuantityError:
                continue
            if qty.value != 0:
                found.add(name)
                limits[name] = q.Quantity((limits[name].value if name in limits else 0) + qty.value)
        if len(found) != 2:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, req in requests.items():
            lim = limits.get(name)
            if lim is None or lim.value != req.value:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _generate_job_selector(obj: dict) -> None:
    """Job strategy ``generateSelector``: selector on the controller uid, labels on the template."""
    spec = _spec(obj)
    if spec.get("manualSelector"):
        return
    md = obj.get("metadata") or {}
    uid = md.get("uid", "")
    tmpl = spec.get("template")
    if not isinstance(tmpl, dict):
        tmpl = spec["template"] = {}
    tmd = tmpl.get("metadata")
    if not isinstance(tmd, dict):
        tmd = tmpl["metadata"] = {}
    labels = tmd.get("labels")
    if not isinstance(labels, dict):
        labels = tmd["labels"] = {}
    labels.setdefault("batch.kubernetes.io/controller-uid", uid)
    labels.setdefault("batch.kubernetes.io/job-name", md.get("name", ""))
    labels.setdefault("controller-uid", uid)
    labels.setdefault("job-name", md.get("name", ""))
    if spec.get("selector") is None:
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    # the object read back from storage is defaulted again: Job labels from template labels
    if not md.get("labels"):
        obj.setdefault("metadata", {})["labels"] = dict(labels)


def prepare_for_create(rt, obj) -> None:
    key = (rt.group, rt.kind)
    if key in _STATUS_RESET_ON_CREATE:
        obj["status"] = {}
    if key == ("", "Pod"):
        obj["status"] = {"phase": "Pending", "qosClass": pod_qos_class(obj)}
    elif key == ("", "Namespace"):
        obj.setdefault("spec", {})["finalizers"] = ["kubernetes"]
        obj["status"] = {"phase": "Active"}
    elif key == ("", "Service"):
        obj["status"] = {"loadBalancer": {}}
    elif key == ("batch", "Job"):
        _generate_job_selector(obj)
    elif key == ("", "PersistentVolumeClaim"):
        obj["status"] = {"phase": "Pending"}
    elif key == ("", "PersistentVolume"):
        obj["status"] = {"phase": "Pending"}
    elif key == ("apps", "DaemonSet"):
        # pkg/registry/apps/daemonset/strategy.go PrepareForCreate: the template generation is
        # kept in an annotation for old clients
        tmpl_gen = str((obj.get("metadata") or {}).get("generation", 1))
        ann = obj.setdefault("metadata", {}).setdefault("annotations", {})
        if ann is None:
            ann = obj["metadata"]["annotations"] = {}
        ann["deprecated.daemonset.template.generation"] = tmpl_gen


def prepare_for_update(rt, obj, old) -> None:
    key = (rt.group, rt.kind)
    if key == ("apps", "DaemonSet"):
        # the template generation (kept in the annotation for apps/v1) moves with template changes
        ann_key = "deprecated.daemonset.template.generation"
        old_gen = (old["metadata"].get("annotations") or {}).get(ann_key)
        if old_gen is not None:
            changed = (obj.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template")
            ann = obj.setdefault("metadata", {}).get("annotations")
            if not isinstance(ann, dict):
                ann = obj["metadata"]["annotations"] = {}
            ann[ann_key] = str(int(old_gen) + 1) if changed else old_gen
    if key == ("", "Pod"):
        status = obj.get("status")
        if isinstance(status, dict) and not status.get("qosClass"):
            # the QoS class of a pod never changes once set (PrepareForUpdate keeps the old one)
            old_qos = (old.get("status") or {}).get("qosClass")
            status["qosClass"] = old_qos or pod_qos_class(obj)
    elif key == ("", "Namespace"):
        # spec.finalizers only change through the finalize subresource
        old_fin = (old.get("spec") or {}).get("finalizers")
        if old_fin is not None:
            obj.setdefault("spec", {})["finalizers"] = list(old_fin)
        else:
            (obj.get("spec") or {}).pop("finalizers", None)


def default_propagation(rt) -> str:
    """``DefaultGarbageCollectionPolicy`` of the registry strategy for the served version:
    batch/v1 Jobs and core/v1 ReplicationControllers orphan their dependents (kept for backward
    compatibility); everything else deletes them in the background."""
    if (rt.group, rt.kind) in (("batch", "Job"), ("", "ReplicationController")):
        return "Orphan"
    return "Background"


def deletion_grace_period(rt, obj, requested):
    """Pod ``CheckGracefulDelete`` (pkg/registry/core/pod/strategy.go): unscheduled or terminal
    pods go at once; otherwise the requested period, else ``terminationGracePeriodSeconds``.
    Other kinds have no grace period (``None``)."""
    if rt.kind == "Pod" and rt.group == "":
        spec = obj.get("spec") or {}
        phase = (obj.get("status") or {}).get("phase")
        if not spec.get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(0, int(requested))
        period = spec.get("terminationGracePeriodSeconds")
        return DEFAULT_TERMINATION_GRACE_PERIOD if period is None else max(0, int(period))
    return None
