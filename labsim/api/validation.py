"""Semantic validation of API objects, as the v1.32 API server runs it after defaulting.

``validate(rt, obj, old)`` is the registry strategy's ``Validate`` (create, ``old is None``) or
``ValidateUpdate`` (update): it returns the field errors in the order upstream appends them —
metadata first, then the spec top-down — rendered with Go's value formatting
(:mod:`labsim.api.gofmt`), so kubectl prints them byte for byte::

    validate(deployment_rt, {... selector app=web, template labels app=web2 ...}, None)
    -> [FieldError("spec.template.metadata.labels", "FieldValueInvalid",
                   'Invalid value: map[string]string{"app":"web2"}: `selector` does not match template `labels`')]

Sources (read for this port; the kubernetes/kubernetes copy at 2dd1588c for apps, apimachinery
``util/validation/validation.go`` and ``field/errors.go`` of the 1.30-1.32 era, the rest from the
1.32 tree as published, cross-checked against observed 1.3x error transcripts):

* ``k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` (ValidateObjectMeta, annotations),
  ``pkg/apis/meta/v1/validation`` (labels, label selectors), ``pkg/util/validation`` (names, ports,
  percent, config keys, env names).
* ``pkg/apis/core/validation/validation.go`` (pods, pod templates, services, config maps,
  secrets, namespaces, PV/PVC, pod and service updates), ``pkg/apis/apps/validation``,
  ``pkg/apis/batch/validation``, ``pkg/apis/networking/validation``,
  ``pkg/apis/autoscaling/validation``; the registry strategies for update-only rules.

Deliberate differences, all for determinism: Go iterates maps (labels, annotations, resource
lists, config map data) in random order, so errors about several map entries come out in an
unstable order upstream; here the keys are visited sorted.
"""
from __future__ import annotations

import base64
import ipaddress
import re
from typing import Any, Iterable

from labsim.api import quantity as q
from labsim.api.gofmt import (go_int_or_string, go_label_selector, go_quote, go_string_map, go_string_slice,
                              go_value)
from labsim.errors import FieldError

# -- field.Error constructors (k8s.io/apimachinery/pkg/util/validation/field/errors.go, v0.32) ----


class GoRendered(str):
    """A bad value already rendered the way ``ErrorBody`` prints it (``%#v`` of a struct, a map)."""


def render(value: Any) -> str:
    """``ErrorBody``'s value: int/bool plain, strings ``%q``, nil pointers ``"null"`` (the nil is
    replaced by the *string* "null" and then printed with ``%q``), pre-rendered values as given."""
    if isinstance(value, GoRendered):
        return str(value)
    if value is None:
        return '"null"'
    return go_value(value)


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(path, "FieldValueRequired", "Required value" + (f": {detail}" if detail else ""))


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError(path, "FieldValueInvalid", f"Invalid value: {render(value)}" + (f": {detail}" if detail else ""))


def not_supported(path: str, value: Any, supported: Iterable[str]) -> FieldError:
    vals = ", ".join(go_quote(str(v)) for v in supported)
    detail = f": supported values: {vals}" if vals else ""
    return FieldError(path, "FieldValueNotSupported", f"Unsupported value: {render(value)}{detail}")


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(path, "FieldValueDuplicate", f"Duplicate value: {render(value)}")


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(path, "FieldValueForbidden", f"Forbidden: {detail}")


def not_found(path: str, value: Any) -> FieldError:
    return FieldError(path, "FieldValueNotFound", f"Not found: {render(value)}")


def too_long(path: str, max_length: int) -> FieldError:
    """``field.TooLong``: the value is never printed (v1.32 wording ``must have at most N bytes``)."""
    unit = "byte" if max_length == 1 else "bytes"
    return FieldError(path, "FieldValueTooLong", f"Too long: must have at most {max_length} {unit}")


def too_many(path: str, actual: int, max_items: int) -> FieldError:
    unit = "item" if max_items == 1 else "items"
    return FieldError(path, "FieldValueTooMany", f"Too many: {actual}: must have at most {max_items} {unit}")


def child(path: str, *names: str) -> str:
    out = path
    for n in names:
        out = f"{out}.{n}" if out else n
    return out


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def key(path: str, k: str) -> str:
    return f"{path}[{k}]"


# -- k8s.io/apimachinery/pkg/util/validation: see labsim.api.utilvalidation ----------------------
from labsim.api.utilvalidation import (  # noqa: E402,F401  (re-exported for callers of this module)
    CONFIG_KEY_ERR,
    CONFIG_KEY_FMT,
    DNS1035_LABEL_ERR,
    DNS1035_LABEL_FMT,
    DNS1123_LABEL_ERR,
    DNS1123_LABEL_FMT,
    DNS1123_SUBDOMAIN_ERR,
    DNS1123_SUBDOMAIN_FMT,
    HTTP_HEADER_ERR,
    HTTP_HEADER_FMT,
    LABEL_VALUE_ERR,
    LABEL_VALUE_FMT,
    PERCENT_ERR,
    PERCENT_FMT,
    QUALIFIED_NAME_ERR,
    QUALIFIED_NAME_FMT,
    RELAXED_ENV_ERR,
    _CONFIG_KEY_RE,
    _DNS1035_LABEL_RE,
    _DNS1123_LABEL_RE,
    _DNS1123_SUBDOMAIN_RE,
    _HTTP_HEADER_RE,
    _LABEL_VALUE_RE,
    _PERCENT_RE,
    _PORT_NAME_CHARSET_RE,
    _PORT_NAME_ONE_LETTER_RE,
    _QUALIFIED_NAME_RE,
    _full,
    _has_chdir_prefix,
    inclusive_range_error,
    is_config_map_key,
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_relaxed_env_var_name,
    is_valid_label_value,
    is_valid_percent,
    is_valid_port_name,
    is_valid_port_num,
    mask_trailing_dash,
    max_len_error,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    regex_error,
)


# -- small helpers over wire-format dicts --------------------------------------------------------

def _d(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


def _int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def validate_nonnegative(value, path: str) -> list[FieldError]:
    """``ValidateNonnegativeField``."""
    v = _int(value)
    if v is not None and v < 0:
        return [invalid(path, v, "must be greater than or equal to 0")]
    return []


def validate_dns1123_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_dns1123_label(value)]


def validate_dns1123_subdomain(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_dns1123_subdomain(value)]


def validate_qualified_name(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in is_qualified_name(value)]


# -- metadata (apimachinery api/validation/objectmeta.go, meta/v1/validation) --------------------

TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
MAX_SECRET_SIZE = 1024 * 1024


def validate_labels(labels, path: str) -> list[FieldError]:
    """``ValidateLabels`` (keys visited sorted; Go's map order is random)."""
    errs: list[FieldError] = []
    for k, v in sorted(_d(labels).items()):
        errs.extend(invalid(path, k, m) for m in is_qualified_name(k))
        errs.extend(invalid(path, str(v), m) for m in is_valid_label_value(str(v)))
    return errs


def validate_annotations(annotations, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    ann = _d(annotations)
    for k in sorted(ann):
        # the rule is QualifiedName except that case does not matter
        errs.extend(invalid(path, k, m) for m in is_qualified_name(k.lower()))
    size = sum(len(k.encode()) + len(str(v).encode()) for k, v in ann.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_object_meta(md, namespaced: bool, name_fn, path: str = "metadata") -> list[FieldError]:
    """``ValidateObjectMetaAccessor``."""
    md = _d(md)
    errs: list[FieldError] = []
    gen = md.get("generateName") or ""
    if gen:
        errs.extend(invalid(child(path, "generateName"), gen, m) for m in name_fn(gen, True))
    name = md.get("name") or ""
    if not name:
        errs.append(required(child(path, "name"), "name or generateName is required"))
    else:
        errs.extend(invalid(child(path, "name"), name, m) for m in name_fn(name, False))
    ns = md.get("namespace") or ""
    if namespaced:
        if not ns:
            errs.append(required(child(path, "namespace")))
        else:
            errs.extend(invalid(child(path, "namespace"), ns, m) for m in name_is_dns_label(ns))
    elif ns:
        errs.append(forbidden(child(path, "namespace"), "not allowed on this type"))
    errs.extend(validate_nonnegative(md.get("generation"), child(path, "generation")))
    errs.extend(validate_labels(md.get("labels"), child(path, "labels")))
    errs.extend(validate_annotations(md.get("annotations"), child(path, "annotations")))
    errs.extend(_validate_owner_references(md.get("ownerReferences"), child(path, "ownerReferences")))
    for f in _l(md.get("finalizers")):
        errs.extend(invalid(child(path, "finalizers"), str(f), m) for m in is_qualified_name(str(f)))
    return errs


def _validate_owner_references(refs, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    controllers = []
    for ref in _l(refs):
        ref = _d(ref)
        av = ref.get("apiVersion") or ""
        version = av.split("/")[-1] if av else ""
        if not version:
            errs.append(invalid(child(path, "apiVersion"), version, "version must not be empty"))
        if not ref.get("kind"):
            errs.append(invalid(child(path, "kind"), ref.get("kind") or "", "kind must not be empty"))
        if not ref.get("name"):
            errs.append(invalid(child(path, "name"), ref.get("name") or "", "name must not be empty"))
        if not ref.get("uid"):
            errs.append(invalid(child(path, "uid"), ref.get("uid") or "", "uid must not be empty"))
        if ref.get("controller"):
            controllers.append(ref.get("name"))
    if len(controllers) > 1:
        errs.append(invalid(path, GoRendered("[]v1.OwnerReference{...}"),
                            "Only one reference can have Controller set to true. Found \"true\" in references for "
                            + " and ".join(f"{r}" for r in controllers)))
    return errs


# -- label selectors -----------------------------------------------------------------------------

_SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_label_selector(sel, path: str) -> list[FieldError]:
    """``ValidateLabelSelector`` (strict: invalid values in selectors are errors)."""
    if sel is None:
        return []
    sel = _d(sel)
    errs = validate_labels(sel.get("matchLabels"), child(path, "matchLabels"))
    for i, expr in enumerate(_l(sel.get("matchExpressions"))):
        expr = _d(expr)
        p = index(child(path, "matchExpressions"), i)
        op = expr.get("operator") or ""
        values = _l(expr.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(child(p, "values"),
                                      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(child(p, "operator"), op, "not a valid selector operator"))
        k = expr.get("key") or ""
        errs.extend(invalid(child(p, "key"), k, m) for m in is_qualified_name(k))
        for j, v in enumerate(values):
            errs.extend(invalid(index(child(p, "values"), j), str(v), m) for m in is_valid_label_value(str(v)))
    return errs


def _selector_parses(sel) -> bool:
    """Whether ``metav1.LabelSelectorAsSelector`` succeeds (every requirement is valid)."""
    sel = _d(sel)
    for k, v in _d(sel.get("matchLabels")).items():
        if is_qualified_name(k) or is_valid_label_value(str(v)):
            return False
    for expr in _l(sel.get("matchExpressions")):
        expr = _d(expr)
        op = expr.get("operator")
        if op not in _SELECTOR_OPS or is_qualified_name(expr.get("key") or ""):
            return False
        values = _l(expr.get("values"))
        if op in ("In", "NotIn") and not values:
            return False
        if op in ("Exists", "DoesNotExist") and values:
            return False
        if any(is_valid_label_value(str(v)) for v in values):
            return False
    return True


def _selector_empty(sel) -> bool:
    sel = _d(sel)
    return not sel.get("matchLabels") and not sel.get("matchExpressions")


def selector_matches(sel, labels) -> bool:
    """``LabelSelectorAsSelector(sel).Matches(labels)``; a nil selector selects nothing."""
    if sel is None:
        return False
    sel = _d(sel)
    labels = _d(labels)
    for k, v in _d(sel.get("matchLabels")).items():
        if labels.get(k) != v:
            return False
    for expr in _l(sel.get("matchExpressions")):
        expr = _d(expr)
        k = expr.get("key")
        op = expr.get("operator")
        values = [str(v) for v in _l(expr.get("values"))]
        if op == "In" and labels.get(k) not in values:
            return False
        if op == "NotIn" and k in labels and labels[k] in values:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


# -- Go renderings of internal types that appear as bad values -----------------------------------

_FAKE_POINTER = "0xc000a1c000"  # Go prints a heap address for non-nil pointers inside %#v (never stable)


def go_ptr(type_name: str, value) -> str:
    return f"(*{type_name})(nil)" if value is None else f"(*{type_name})({_FAKE_POINTER})"


def go_toleration(t: dict) -> str:
    return (f"core.Toleration{{Key:{go_quote(str(t.get('key') or ''))}, "
            f"Operator:{go_quote(str(t.get('operator') or ''))}, Value:{go_quote(str(t.get('value') or ''))}, "
            f"Effect:{go_quote(str(t.get('effect') or ''))}, "
            f"TolerationSeconds:{go_ptr('int64', t.get('tolerationSeconds'))}}}")


def go_service_port_key(protocol: str, port) -> str:
    """``%#v`` of the ``core.ServicePort{Protocol, Port}`` key used for duplicate detection."""
    return (f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), '
            f'Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}')


def go_deployment_strategy(s: dict) -> str:
    return (f"apps.DeploymentStrategy{{Type:{go_quote(str(s.get('type') or ''))}, "
            f"RollingUpdate:{go_ptr('apps.RollingUpdateDeployment', s.get('rollingUpdate'))}}}")


def go_struct(type_name: str, value) -> str:
    """An approximate ``%#v`` of a nested wire-format object (used only where upstream prints a
    whole ``core.PodTemplateSpec``): Go field names are the JSON names capitalised, nested structs
    are untyped. APPROXIMATION: real output names every nested type and lists zero-valued fields."""
    def conv(v):
        if isinstance(v, dict):
            return "{" + ", ".join(f"{_go_field_name(k)}:{conv(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "{" + ", ".join(conv(x) for x in v) + "}"
        if isinstance(v, str):
            return go_quote(v)
        if v is None:
            return "nil"
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    return type_name + conv(value if value is not None else {})


_GO_INITIALISMS = {"api": "API", "dns": "DNS", "ip": "IP", "ips": "IPs", "id": "ID", "uid": "UID", "url": "URL",
                   "tcp": "TCP", "udp": "UDP", "http": "HTTP", "ipc": "IPC", "pid": "PID", "os": "OS",
                   "tls": "TLS", "grpc": "GRPC", "cidr": "CIDR"}


def _go_field_name(json_name: str) -> str:
    """``nodeName`` -> ``NodeName``, ``dnsPolicy`` -> ``DNSPolicy``, ``hostIPC`` -> ``HostIPC``."""
    m = re.match(r"[a-z]+", json_name)
    if not m:
        return json_name
    head = m.group(0)
    rest = json_name[len(head):]
    head = _GO_INITIALISMS.get(head, head[:1].upper() + head[1:])
    return head + rest


# -- pods (pkg/apis/core/validation/validation.go) ----------------------------------------------

SUPPORTED_PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_VOLUME_SOURCES = ("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
                   "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
                   "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
                   "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
                   "image")


def validate_port_num_or_name(port, path: str) -> list[FieldError]:
    """``ValidatePortNumOrName`` over an IntOrString."""
    if isinstance(port, str):
        return [invalid(path, port, m) for m in is_valid_port_name(port)]
    p = _int(port) if port is not None else 0
    if p is None:
        return []
    return [invalid(path, p, m) for m in is_valid_port_num(p)]


def _validate_volume_source(vol: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for src in _VOLUME_SOURCES:
        if vol.get(src) is None:
            continue
        if count > 0:
            errs.append(forbidden(child(path, src), "may not specify more than 1 volume type"))
            continue
        count += 1
        s = _d(vol.get(src))
        sp = child(path, src)
        if src == "hostPath":
            if not s.get("path"):
                errs.append(required(child(sp, "path")))
        elif src == "secret":
            if not s.get("secretName"):
                errs.append(required(child(sp, "secretName")))
        elif src == "configMap":
            if not s.get("name"):
                errs.append(required(child(sp, "name")))
        elif src == "persistentVolumeClaim":
            if not s.get("claimName"):
                errs.append(required(child(sp, "claimName")))
        elif src == "nfs":
            if not s.get("server"):
                errs.append(required(child(sp, "server")))
            if not s.get("path"):
                errs.append(required(child(sp, "path")))
            elif not str(s["path"]).startswith("/"):
                errs.append(invalid(child(sp, "path"), s["path"], "must be an absolute path"))
        elif src == "emptyDir":
            medium = s.get("medium") or ""
            if medium not in ("", "Memory", "HugePages") and not medium.startswith("HugePages-"):
                errs.append(not_supported(child(sp, "medium"), medium, ("", "Memory", "HugePages")))
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def validate_volumes(volumes, path: str) -> tuple[set[str], list[FieldError]]:
    """``ValidateVolumes``: returns the names of the valid volumes and the errors."""
    names: set[str] = set()
    errs: list[FieldError] = []
    for i, vol in enumerate(_l(volumes)):
        vol = _d(vol)
        p = index(path, i)
        name = vol.get("name") or ""
        el = _validate_volume_source(vol, p)
        if not name:
            el.append(required(child(p, "name")))
        else:
            el.extend(validate_dns1123_label(name, child(p, "name")))
        if name in names:
            el.append(duplicate(child(p, "name"), name))
        if not el:
            names.add(name)
        else:
            errs.extend(el)
    return names, errs


def _validate_container_ports(ports, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port = _d(port)
        p = index(path, i)
        name = port.get("name") or ""
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs.extend(invalid(child(p, "name"), name, m) for m in msgs)
            elif name in names:
                errs.append(duplicate(child(p, "name"), name))
            else:
                names.add(name)
        cp = _int(port.get("containerPort")) or 0
        if cp == 0:
            errs.append(required(child(p, "containerPort")))
        else:
            errs.extend(invalid(child(p, "containerPort"), cp, m) for m in is_valid_port_num(cp))
        hp = _int(port.get("hostPort")) or 0
        if hp != 0:
            errs.extend(invalid(child(p, "hostPort"), hp, m) for m in is_valid_port_num(hp))
        proto = port.get("protocol") or ""
        if not proto:
            errs.append(required(child(p, "protocol")))
        elif proto not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(not_supported(child(p, "protocol"), proto, SUPPORTED_PORT_PROTOCOLS))
    return errs


def _validate_key_selector(sel: dict, path: str, key_required: bool = True) -> list[FieldError]:
    errs: list[FieldError] = []
    if not sel.get("name"):
        errs.append(required(child(path, "name")))
    k = sel.get("key") or ""
    if not k:
        errs.append(required(child(path, "key")))
    else:
        errs.extend(invalid(child(path, "key"), k, m) for m in is_config_map_key(k))
    return errs


def _validate_env(env, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ev in enumerate(_l(env)):
        ev = _d(ev)
        p = index(path, i)
        name = ev.get("name") or ""
        if not name:
            errs.append(required(child(p, "name")))
        errs.extend(invalid(child(p, "name"), name, m) for m in is_relaxed_env_var_name(name))
        vf = ev.get("valueFrom")
        if vf is None:
            continue
        vf = _d(vf)
        vp = child(p, "valueFrom")
        n = 0
        sub: list[FieldError] = []
        if vf.get("fieldRef") is not None:
            n += 1
            if not _d(vf["fieldRef"]).get("fieldPath"):
                sub.append(required(child(vp, "fieldRef", "fieldPath")))
        if vf.get("resourceFieldRef") is not None:
            n += 1
            if not _d(vf["resourceFieldRef"]).get("resource"):
                sub.append(required(child(vp, "resourceFieldRef", "resource")))
        if vf.get("configMapKeyRef") is not None:
            n += 1
            sub.extend(_validate_key_selector(_d(vf["configMapKeyRef"]), child(vp, "configMapKeyRef")))
        if vf.get("secretKeyRef") is not None:
            n += 1
            sub.extend(_validate_key_selector(_d(vf["secretKeyRef"]), child(vp, "secretKeyRef")))
        if n == 0:
            errs.append(invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` "
                                        "or `secretKeyRef`"))
            continue
        if ev.get("value"):
            errs.append(invalid(vp, "", "may not be specified when `value` is not empty"))
        elif n > 1:
            errs.append(invalid(vp, "", "may not have more than one field specified at a time"))
        else:
            errs.extend(sub)
    return errs


def _validate_env_from(env_from, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ev in enumerate(_l(env_from)):
        ev = _d(ev)
        p = index(path, i)
        prefix = ev.get("prefix") or ""
        if prefix:
            errs.extend(invalid(child(p, "prefix"), prefix, m) for m in is_relaxed_env_var_name(prefix))
        n = 0
        for src in ("configMapRef", "secretRef"):
            if ev.get(src) is None:
                continue
            n += 1
            if n > 1:
                errs.append(invalid(p, "", "may not have more than one field specified at a time"))
                break
            nm = _d(ev[src]).get("name") or ""
            if not nm:
                errs.append(required(child(p, src, "name")))
            else:
                errs.extend(invalid(child(p, src, "name"), nm, m) for m in is_dns1123_subdomain(nm))
        if n == 0:
            errs.append(invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"))
    return errs


def _validate_volume_mounts(mounts, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, m in enumerate(_l(mounts)):
        m = _d(m)
        p = index(path, i)
        name = m.get("name") or ""
        if not name:
            errs.append(required(child(p, "name")))
        if name not in volumes:
            errs.append(not_found(child(p, "name"), name))
        mp = m.get("mountPath") or ""
        if not mp:
            errs.append(required(child(p, "mountPath")))
        if mp in seen:
            errs.append(invalid(child(p, "mountPath"), mp, "must be unique"))
        seen.add(mp)
        sub = m.get("subPath") or ""
        if sub:
            if sub.startswith("/"):
                errs.append(invalid(child(path, "subPath"), sub, "must be a relative path"))
            elif ".." in sub.replace("\\", "/").split("/"):
                errs.append(invalid(child(path, "subPath"), sub, "must not contain '..'"))
    return errs


def _validate_pull_policy(policy, path: str) -> list[FieldError]:
    policy = policy or ""
    if policy in PULL_POLICIES:
        return []
    if not policy:
        return [required(path)]
    return [not_supported(path, policy, PULL_POLICIES)]


def _is_standard_container_resource(name: str) -> bool:
    return name in STANDARD_CONTAINER_RESOURCES or name.startswith("hugepages-")


def _validate_container_resource_name(name: str, path: str) -> list[FieldError]:
    errs = [invalid(path, name, m) for m in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name:
        if not _is_standard_container_resource(name):
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not name.startswith("kubernetes.io/") and (name.startswith("requests.") or "kubernetes.io/" in name):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _overcommit_allowed(name: str) -> bool:
    # helper.IsOvercommitAllowed: native resources (no domain or kubernetes.io/) except hugepages
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith("hugepages-")


def validate_resource_requirements(res, path: str) -> list[FieldError]:
    """``validateResourceRequirements`` for a container."""
    res = _d(res)
    errs: list[FieldError] = []
    lim_path = child(path, "limits")
    req_path = child(path, "requests")
    limits = _d(res.get("limits"))
    requests = _d(res.get("requests"))
    parsed_limits: dict[str, q.Quantity] = {}
    for name in sorted(limits):
        p = key(lim_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        try:
            qty = q.parse_quantity(limits[name])
        except q.QuantityError:
            continue  # the decoder already refused it (labsim.api.defaults)
        parsed_limits[name] = qty
        if qty.value < 0:
            errs.append(invalid(p, qty.canonical(), "must be greater than or equal to 0"))
    for name in sorted(requests):
        p = key(req_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        try:
            qty = q.parse_quantity(requests[name])
        except q.QuantityError:
            continue
        if qty.value < 0:
            errs.append(invalid(p, qty.canonical(), "must be greater than or equal to 0"))
        lim = parsed_limits.get(name)
        if lim is not None:
            if qty.value != lim.value and not _overcommit_allowed(name):
                errs.append(invalid(req_path, qty.canonical(),
                                    f"must be equal to {name} limit of {lim.canonical()}"))
            elif qty.value > lim.value:
                errs.append(invalid(req_path, qty.canonical(),
                                    f"must be less than or equal to {name} limit of {lim.canonical()}"))
        elif not _overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
    return errs


_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")


def _validate_handler(h: dict, path: str, allow_sleep: bool = False) -> list[FieldError]:
    errs: list[FieldError] = []
    n = 0
    for kind in _HANDLERS:
        if h.get(kind) is None or (kind == "sleep" and not allow_sleep):
            continue
        hp = child(path, kind)
        if n > 0:
            errs.append(forbidden(hp, "may not specify more than 1 handler type"))
            continue
        n += 1
        a = _d(h.get(kind))
        if kind == "exec":
            if not _l(a.get("command")):
                errs.append(required(child(hp, "command")))
        elif kind == "httpGet":
            if not a.get("path"):
                errs.append(required(child(hp, "path")))
            errs.extend(validate_port_num_or_name(a.get("port"), child(hp, "port")))
            scheme = a.get("scheme") or ""
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(not_supported(child(hp, "scheme"), scheme, ("HTTP", "HTTPS")))
            for hdr in _l(a.get("httpHeaders")):
                hn = _d(hdr).get("name") or ""
                if not _full(_HTTP_HEADER_RE, hn):
                    errs.append(invalid(child(hp, "httpHeaders"), hn,
                                        regex_error(HTTP_HEADER_ERR, HTTP_HEADER_FMT, "X-Header-Name")))
        elif kind == "tcpSocket":
            errs.extend(validate_port_num_or_name(a.get("port"), child(hp, "port")))
        elif kind == "grpc":
            port = _int(a.get("port")) or 0
            errs.extend(invalid(child(hp, "port"), port, m) for m in is_valid_port_num(port))
        elif kind == "sleep":
            secs = _int(a.get("seconds")) or 0
            if secs <= 0:
                errs.append(invalid(hp, secs, "must be greater than 0 and less than terminationGracePeriodSeconds"))
    if n == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe, path: str, kind: str) -> list[FieldError]:
    if probe is None:
        return []
    p = _d(probe)
    errs = _validate_handler(p, path)
    for f in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs.extend(validate_nonnegative(p.get(f), child(path, f)))
    tgp = p.get("terminationGracePeriodSeconds")
    if tgp is not None and _int(tgp) is not None and _int(tgp) <= 0:
        errs.append(invalid(child(path, "terminationGracePeriodSeconds"), _int(tgp), "must be greater than 0"))
    if kind in ("liveness", "startup"):
        st = _int(p.get("successThreshold"))
        if st is not None and st != 1:
            errs.append(invalid(child(path, "successThreshold"), st, "must be 1"))
    elif kind == "readiness" and tgp is not None:
        errs.append(invalid(child(path, "terminationGracePeriodSeconds"), _int(tgp),
                            "must not be set for readinessProbes"))
    return errs


def _validate_container_common(c: dict, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = c.get("name") or ""
    if not name:
        errs.append(required(child(path, "name")))
    else:
        errs.extend(validate_dns1123_label(name, child(path, "name")))
    image = c.get("image") or ""
    if len(image) != len(image.strip()):
        errs.append(invalid(child(path, "image"), image, "must not have leading or trailing whitespace"))
    errs.extend(_validate_container_ports(c.get("ports"), child(path, "ports")))
    errs.extend(_validate_env(c.get("env"), child(path, "env")))
    errs.extend(_validate_env_from(c.get("envFrom"), child(path, "envFrom")))
    errs.extend(_validate_volume_mounts(c.get("volumeMounts"), volumes, child(path, "volumeMounts")))
    errs.extend(_validate_pull_policy(c.get("imagePullPolicy"), child(path, "imagePullPolicy")))
    errs.extend(validate_resource_requirements(c.get("resources"), child(path, "resources")))
    return errs


def _validate_containers(containers, volumes: set[str], path: str) -> list[FieldError]:
    if not _l(containers):
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, c in enumerate(_l(containers)):
        c = _d(c)
        p = index(path, i)
        errs.extend(_validate_container_common(c, volumes, p))
        name = c.get("name") or ""
        if name in names:
            errs.append(duplicate(child(p, "name"), name))
        else:
            names.add(name)
        if not c.get("image"):
            errs.append(required(child(p, "image")))
        errs.extend(_validate_probe(c.get("livenessProbe"), child(p, "livenessProbe"), "liveness"))
        errs.extend(_validate_probe(c.get("readinessProbe"), child(p, "readinessProbe"), "readiness"))
        errs.extend(_validate_probe(c.get("startupProbe"), child(p, "startupProbe"), "startup"))
        if c.get("restartPolicy") is not None:
            errs.append(forbidden(child(p, "restartPolicy"), "may not be set for non-init containers"))
    errs.extend(_check_host_port_conflicts(containers, path))
    return errs


def _check_host_port_conflicts(containers, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, c in enumerate(_l(containers)):
        for j, port in enumerate(_l(_d(c).get("ports"))):
            port = _d(port)
            hp = _int(port.get("hostPort")) or 0
            if hp == 0:
                continue
            k = f"{port.get('protocol') or ''}/{port.get('hostIP') or ''}/{hp}"
            if k in seen:
                errs.append(duplicate(index(child(index(path, i), "ports"), j), k))
            seen.add(k)
    return errs


def _validate_init_containers(init, containers, volumes: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    regular = {(_d(c).get("name") or "") for c in _l(containers)}
    names: set[str] = set()
    for i, c in enumerate(_l(init)):
        c = _d(c)
        p = index(path, i)
        errs.extend(_validate_container_common(c, volumes, p))
        name = c.get("name") or ""
        if name in names or name in regular:
            errs.append(duplicate(child(p, "name"), name))
        else:
            names.add(name)
        if not c.get("image"):
            errs.append(required(child(p, "image")))
        rp = c.get("restartPolicy")
        if rp is not None and rp != "Always":
            errs.append(not_supported(child(p, "restartPolicy"), rp, ("Always",)))
        sidecar = rp == "Always"
        if not sidecar:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                if c.get(probe) is not None:
                    errs.append(forbidden(child(p, probe), f"may not be set for init containers without "
                                                           f"restartPolicy=Always"))
        else:
            errs.extend(_validate_probe(c.get("livenessProbe"), child(p, "livenessProbe"), "liveness"))
            errs.extend(_validate_probe(c.get("readinessProbe"), child(p, "readinessProbe"), "readiness"))
            errs.extend(_validate_probe(c.get("startupProbe"), child(p, "startupProbe"), "startup"))
    return errs


def validate_tolerations(tolerations, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, t in enumerate(_l(tolerations)):
        t = _d(t)
        p = index(path, i)
        k = t.get("key") or ""
        op = t.get("operator") or ""
        effect = t.get("effect") or ""
        value = t.get("value") or ""
        if k:
            errs.extend(invalid(child(p, "key"), k, m) for m in is_qualified_name(k))
        if not k and op != "Exists":
            errs.append(invalid(child(p, "operator"), op,
                                'operator must be Exists when `key` is empty, which means "match all values and '
                                'all keys"'))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(child(p, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = is_valid_label_value(value)
            if msgs:
                errs.append(invalid(child(p, "operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid(child(p, "operator"), GoRendered(go_toleration(t)),
                                    "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(child(p, "operator"), op, ("Equal", "Exists")))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(child(p, "effect"), effect, TAINT_EFFECTS))
    return errs


def validate_pod_spec(spec, path: str) -> list[FieldError]:
    """``ValidatePodSpec`` (the parts a course meets), in upstream order."""
    spec = _d(spec)
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(child(path, "terminationGracePeriodSeconds"), "must be set"))
    vols, verrs = validate_volumes(spec.get("volumes"), child(path, "volumes"))
    errs.extend(verrs)
    errs.extend(_validate_init_containers(spec.get("initContainers"), spec.get("containers"), vols,
                                          child(path, "initContainers")))
    errs.extend(_validate_containers(spec.get("containers"), vols, child(path, "containers")))
    rp = spec.get("restartPolicy") or ""
    if not rp:
        errs.append(required(child(path, "restartPolicy")))
    elif rp not in RESTART_POLICIES:
        errs.append(not_supported(child(path, "restartPolicy"), rp, RESTART_POLICIES))
    dp = spec.get("dnsPolicy") or ""
    if not dp:
        errs.append(required(child(path, "dnsPolicy")))
    elif dp not in DNS_POLICIES:
        errs.append(not_supported(child(path, "dnsPolicy"), dp, DNS_POLICIES))
    errs.extend(validate_labels(spec.get("nodeSelector"), child(path, "nodeSelector")))
    sa = spec.get("serviceAccountName") or ""
    if sa:
        errs.extend(invalid(child(path, "serviceAccountName"), sa, m) for m in is_dns1123_subdomain(sa))
    node = spec.get("nodeName") or ""
    if node:
        errs.extend(invalid(child(path, "nodeName"), node, m) for m in is_dns1123_subdomain(node))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and _int(ads) is not None and not (1 <= _int(ads) <= 2**31 - 1):
        errs.append(invalid(child(path, "activeDeadlineSeconds"), _int(ads), inclusive_range_error(1, 2**31 - 1)))
    for f in ("hostname", "subdomain"):
        if spec.get(f):
            errs.extend(validate_dns1123_label(str(spec[f]), child(path, f)))
    if _l(spec.get("tolerations")):
        errs.extend(validate_tolerations(spec.get("tolerations"), child(path, "tolerations")))
    pcn = spec.get("priorityClassName") or ""
    if pcn:
        errs.extend(invalid(child(path, "priorityClassName"), pcn, m) for m in is_dns1123_subdomain(pcn))
    pp = spec.get("preemptionPolicy")
    if pp is not None and pp not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(child(path, "preemptionPolicy"), pp, ("Never", "PreemptLowerPriority")))
    return errs


def validate_pod_template_spec(tmpl, path: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: note the label path is ``<path>.labels`` upstream (not
    ``metadata.labels``)."""
    tmpl = _d(tmpl)
    md = _d(tmpl.get("metadata"))
    errs = validate_labels(md.get("labels"), child(path, "labels"))
    errs.extend(validate_annotations(md.get("annotations"), child(path, "annotations")))
    spec = _d(tmpl.get("spec"))
    errs.extend(validate_pod_spec(spec, child(path, "spec")))
    if _l(spec.get("ephemeralContainers")):
        errs.append(forbidden(child(path, "spec", "ephemeralContainers"),
                              "ephemeral containers not allowed in pod template"))
    return errs


def _validate_pod(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(validate_pod_spec(spec, "spec"))
    return errs


def _validate_pod_create(obj: dict) -> list[FieldError]:
    errs = _validate_pod(obj)
    spec = _d(obj.get("spec"))
    if _l(spec.get("ephemeralContainers")):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and _l(spec.get("schedulingGates")):
        errs.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errs


UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _validate_pod_update(obj: dict, old: dict) -> list[FieldError]:
    """``ValidatePodUpdate`` (InPlacePodVerticalScaling is off by default in v1.32)."""
    errs = _validate_pod(obj)
    spec = _d(obj.get("spec"))
    old_spec = _d(old.get("spec"))
    for field_name in ("containers", "initContainers"):
        new_c = _l(spec.get(field_name))
        old_c = _l(old_spec.get(field_name))
        p = child("spec", field_name)
        if len(new_c) != len(old_c):
            errs.append(forbidden(p, "pod updates may not add or remove containers"))
            return errs
        for i, c in enumerate(new_c):
            image = _d(c).get("image") or ""
            if not image:
                errs.append(required(child(index(p, i), "image")))
            if len(image.strip()) != len(image):
                errs.append(invalid(child(index(p, i), "image"), image, "must not have leading or trailing whitespace"))
    ads = spec.get("activeDeadlineSeconds")
    old_ads = old_spec.get("activeDeadlineSeconds")
    if ads is not None:
        if not (0 <= ads <= 2**31 - 1):
            errs.append(invalid("spec.activeDeadlineSeconds", ads, inclusive_range_error(0, 2**31 - 1)))
            return errs
        if old_ads is not None and old_ads < ads:
            errs.append(invalid("spec.activeDeadlineSeconds", ads, "must be less than or equal to previous value"))
            return errs
    elif old_ads is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil value"))
    # only additions to tolerations (validateOnlyAddedTolerations)
    new_tol = _l(spec.get("tolerations"))
    for i, t in enumerate(_l(old_spec.get("tolerations"))):
        if not any(_toleration_kept(t, n) for n in new_tol):
            errs.append(forbidden(index("spec.tolerations", i), "existing toleration can not be modified except "
                                                                 "its tolerationSeconds"))
    if spec == old_spec:
        return errs
    munged = dict(spec)
    for field_name in ("containers", "initContainers"):
        if field_name in munged:
            munged[field_name] = [
                {**_d(c), "image": _d(oc).get("image")} if "image" in _d(oc) else
                {k: v for k, v in _d(c).items() if k != "image"}
                for c, oc in zip(_l(spec.get(field_name)), _l(old_spec.get(field_name)))]
    for f in ("activeDeadlineSeconds", "tolerations", "schedulingGates"):
        if f in old_spec:
            munged[f] = old_spec[f]
        else:
            munged.pop(f, None)
    otgp = old_spec.get("terminationGracePeriodSeconds")
    if otgp is not None and otgp < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = otgp
    # spec.nodeName is set only through the pods/binding subresource (APIServer.bind)
    if munged != old_spec:
        errs.append(forbidden("spec", "pod updates may not change fields other than "
                              + ",".join(UPDATABLE_POD_SPEC_FIELDS) + "\n" + pod_spec_diff(old_spec, munged)))
    return errs


def _toleration_kept(old: dict, new: dict) -> bool:
    a = {k: v for k, v in _d(old).items() if k != "tolerationSeconds"}
    b = {k: v for k, v in _d(new).items() if k != "tolerationSeconds"}
    return a == b


#: core.PodSpec field order (pkg/apis/core/types.go), JSON names
_POD_SPEC_FIELDS = (
    "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName",
    "automountServiceAccountToken", "nodeName", "securityContext", "imagePullSecrets", "hostname", "subdomain",
    "setHostnameAsFQDN", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority",
    "preemptionPolicy", "dnsConfig", "readinessGates", "runtimeClassName", "overhead", "enableServiceLinks",
    "topologySpreadConstraints", "os", "schedulingGates", "resourceClaims", "resources",
)
_GO_SPEC_NAMES = {"securityContext": "SecurityContext", "dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig",
                  "os": "OS", "setHostnameAsFQDN": "SetHostnameAsFQDN"}


def _go_short(v) -> str:
    """Values as cmp.Diff prints them inside a struct literal (no type names for composites)."""
    if isinstance(v, str):
        return go_quote(v)
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_go_field_name(k)}: {_go_short(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "{" + ", ".join(_go_short(x) for x in v) + "}"
    return str(v)


def pod_spec_diff(old: dict, new: dict) -> str:
    """A ``cmp.Diff(oldPod.Spec, mungedPodSpec)``-shaped report.

    APPROXIMATED: cmp.Diff walks the internal ``core.PodSpec`` Go struct and recurses into
    changed containers; this prints the changed top-level fields of the wire-format spec in Go
    struct order, with runs of unchanged fields elided as ``... // N identical fields`` and
    composite values in cmp's untyped literal form. The layout (two-space prefix, ``-``/``+``
    markers followed by a tab) follows cmp's reporter."""
    lines = ["  core.PodSpec{"]
    same = 0
    keys = list(_POD_SPEC_FIELDS) + sorted(k for k in set(old) | set(new) if k not in _POD_SPEC_FIELDS)

    def flush():
        nonlocal same
        if same:
            lines.append(f"  \t... // {same} identical field{'s' if same != 1 else ''}")
            same = 0

    for k in keys:
        a, b = old.get(k), new.get(k)
        if a == b:
            same += 1
            continue
        flush()
        name = _GO_SPEC_NAMES.get(k) or _go_field_name(k)
        lines.append(f"- \t{name}: {_go_short(a)},")
        lines.append(f"+ \t{name}: {_go_short(b)},")
    flush()
    lines.append("  }")
    return "\n".join(lines) + "\n"


# -- apps (pkg/apis/apps/validation/validation.go) -----------------------------------------------

def _validate_template_for_replica_set(spec: dict, path: str) -> list[FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet`` after ``LabelSelectorAsSelector``."""
    errs: list[FieldError] = []
    sel = spec.get("selector")
    tmpl = spec.get("template")
    tpath = child(path, "template")
    if sel is not None and not _selector_parses(sel):
        return [invalid(child(path, "selector"), GoRendered(go_label_selector(_d(sel))), "invalid label selector")]
    if tmpl is None:
        return [required(tpath)]
    tmpl = _d(tmpl)
    labels = _d(tmpl.get("metadata")).get("labels")
    # a nil selector is labels.Nothing(), which is not Empty() and matches nothing
    if sel is None or not _selector_empty(sel):
        if not selector_matches(sel, labels):
            errs.append(invalid(child(tpath, "metadata", "labels"),
                                GoRendered(go_string_map(labels if isinstance(labels, dict) else None)),
                                "`selector` does not match template `labels`"))
    errs.extend(validate_pod_template_spec(tmpl, tpath))
    rp = _d(tmpl.get("spec")).get("restartPolicy") or ""
    if rp != "Always":
        errs.append(not_supported(child(tpath, "spec", "restartPolicy"), rp, ("Always",)))
    if _d(tmpl.get("spec")).get("activeDeadlineSeconds") is not None:
        owner = "ReplicaSet"
        errs.append(forbidden(child(tpath, "spec", "activeDeadlineSeconds"),
                              f"activeDeadlineSeconds in {owner} is not Supported"))
    return errs


def _validate_selector_field(spec: dict, path: str, what: str) -> list[FieldError]:
    sel = spec.get("selector")
    if sel is None:
        return [required(child(path, "selector"))]
    errs = validate_label_selector(sel, child(path, "selector"))
    if _selector_empty(sel):
        errs.append(invalid(child(path, "selector"), GoRendered(go_label_selector(_d(sel))),
                            f"empty selector is invalid for {what}"))
    return errs


def _validate_positive_int_or_percent(v, path: str) -> list[FieldError]:
    if isinstance(v, str):
        return [invalid(path, GoRendered(go_int_or_string(v)), m) for m in is_valid_percent(v)]
    return validate_nonnegative(v, path)


def _percent_value(v) -> int | None:
    if isinstance(v, str) and not is_valid_percent(v):
        return int(v[:-1])
    return None


def _int_or_percent_value(v) -> int:
    p = _percent_value(v)
    if p is not None:
        return p
    if isinstance(v, str):
        # IntOrString.IntValue() of a string: strconv.Atoi, 0 when it fails
        try:
            return int(v)
        except ValueError:
            return 0
    return _int(v) or 0


def _not_more_than_100_percent(v, path: str) -> list[FieldError]:
    p = _percent_value(v)
    if p is None or p <= 100:
        return []
    return [invalid(path, GoRendered(go_int_or_string(v)), "must not be greater than 100%")]


def _validate_deployment_strategy(strategy, path: str) -> list[FieldError]:
    s = _d(strategy)
    t = s.get("type") or ""
    errs: list[FieldError] = []
    if t == "Recreate":
        if s.get("rollingUpdate") is not None:
            errs.append(forbidden(child(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
    elif t == "RollingUpdate":
        ru = s.get("rollingUpdate")
        rp = child(path, "rollingUpdate")
        if ru is None:
            errs.append(required(rp, "this should be defaulted and never be nil"))
        else:
            ru = _d(ru)
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs.extend(_validate_positive_int_or_percent(mu, child(rp, "maxUnavailable")))
            errs.extend(_validate_positive_int_or_percent(ms, child(rp, "maxSurge")))
            if _int_or_percent_value(mu) == 0 and _int_or_percent_value(ms) == 0:
                errs.append(invalid(child(rp, "maxUnavailable"), GoRendered(go_int_or_string(mu if mu is not None else 0)),
                                    "may not be 0 when `maxSurge` is 0"))
            errs.extend(_not_more_than_100_percent(mu, child(rp, "maxUnavailable")))
    else:
        errs.append(not_supported(path, GoRendered(go_deployment_strategy(s)), ("Recreate", "RollingUpdate")))
    return errs


def _validate_deployment(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    errs.extend(_validate_selector_field(spec, "spec", "deployment"))
    errs.extend(_validate_template_for_replica_set(spec, "spec"))
    errs.extend(_validate_deployment_strategy(spec.get("strategy"), "spec.strategy"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(validate_nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        errs.extend(validate_nonnegative(pds, "spec.progressDeadlineSeconds"))
        if _int(pds) is not None and _int(pds) <= (_int(spec.get("minReadySeconds")) or 0):
            errs.append(invalid("spec.progressDeadlineSeconds", _int(pds), "must be greater than minReadySeconds"))
    return errs


def _validate_replica_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    # upstream says "deployment" for ReplicaSets too (copied code)
    errs.extend(_validate_selector_field(spec, "spec", "deployment"))
    errs.extend(_validate_template_for_replica_set(spec, "spec"))
    return errs


def _validate_statefulset(obj: dict) -> list[FieldError]:
    # StatefulSet names are DNS labels since v1.27 (kubernetes#114172)
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_label)
    errs.extend(_validate_statefulset_spec(_d(obj.get("spec")), "spec"))
    return errs


def _validate_statefulset_spec(spec: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    pmp = spec.get("podManagementPolicy") or ""
    if not pmp:
        errs.append(required(child(path, "podManagementPolicy")))
    elif pmp not in ("OrderedReady", "Parallel"):
        errs.append(invalid(child(path, "podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"))
    us = _d(spec.get("updateStrategy"))
    ut = us.get("type") or ""
    up = child(path, "updateStrategy")
    if not ut:
        errs.append(required(up))
    elif ut == "OnDelete":
        if us.get("rollingUpdate") is not None:
            errs.append(invalid(child(up, "rollingUpdate"),
                                GoRendered(go_ptr("apps.RollingUpdateStatefulSetStrategy", us["rollingUpdate"])),
                                "only allowed for updateStrategy 'RollingUpdate'"))
    elif ut == "RollingUpdate":
        ru = us.get("rollingUpdate")
        if ru is not None:
            ru = _d(ru)
            rp = child(up, "rollingUpdate")
            errs.extend(validate_nonnegative(ru.get("partition"), child(rp, "partition")))
            mu = ru.get("maxUnavailable")
            if mu is not None:
                errs.extend(_validate_positive_int_or_percent(mu, child(rp, "maxUnavailable")))
                if _int_or_percent_value(mu) == 0:
                    errs.append(invalid(child(rp, "maxUnavailable"), GoRendered(go_int_or_string(mu)), "cannot be 0"))
                errs.extend(_not_more_than_100_percent(mu, child(rp, "maxUnavailable")))
    else:
        errs.append(invalid(up, GoRendered(f"apps.StatefulSetUpdateStrategy{{Type:{go_quote(ut)}, RollingUpdate:"
                                           f"{go_ptr('apps.RollingUpdateStatefulSetStrategy', us.get('rollingUpdate'))}}}"),
                            "must be 'RollingUpdate' or 'OnDelete'"))
    pol = spec.get("persistentVolumeClaimRetentionPolicy")
    if pol is not None:
        for f in ("whenDeleted", "whenScaled"):
            v = _d(pol).get(f) or ""
            if v not in ("Retain", "Delete"):
                errs.append(not_supported(child(path, "persistentVolumeClaimRetentionPolicy", f), v,
                                          ("Retain", "Delete")))
    errs.extend(validate_nonnegative(spec.get("replicas"), child(path, "replicas")))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), child(path, "minReadySeconds")))
    ordinals = spec.get("ordinals")
    if ordinals is not None:
        errs.extend(validate_nonnegative(_d(ordinals).get("start"), child(path, "ordinals.start")))
    sel = spec.get("selector")
    if sel is None:
        errs.append(required(child(path, "selector")))
    else:
        errs.extend(validate_label_selector(sel, child(path, "selector")))
        if _selector_empty(sel):
            errs.append(invalid(child(path, "selector"), GoRendered(go_label_selector(_d(sel))),
                                "empty selector is invalid for statefulset"))
    if sel is not None and not _selector_parses(sel):
        errs.append(invalid(child(path, "selector"), GoRendered(go_label_selector(_d(sel))), ""))
    else:
        # ValidatePodTemplateSpecForStatefulSet: upstream does NOT validate the pod spec of a
        # StatefulSet template (a TODO there), only labels/annotations and the selector match.
        tmpl = _d(spec.get("template"))
        tpath = child(path, "template")
        md = _d(tmpl.get("metadata"))
        if sel is None or not _selector_empty(sel):
            if not selector_matches(sel, md.get("labels")):
                labels = md.get("labels")
                errs.append(invalid(child(tpath, "metadata", "labels"),
                                    GoRendered(go_string_map(labels if isinstance(labels, dict) else None)),
                                    "`selector` does not match template `labels`"))
        errs.extend(validate_labels(md.get("labels"), child(tpath, "labels")))
        errs.extend(validate_annotations(md.get("annotations"), child(tpath, "annotations")))
    tspec = _d(_d(spec.get("template")).get("spec"))
    rp = tspec.get("restartPolicy") or ""
    if rp != "Always":
        errs.append(not_supported(child(path, "template", "spec", "restartPolicy"), rp, ("Always",)))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(child(path, "template", "spec", "activeDeadlineSeconds"),
                              "activeDeadlineSeconds in StatefulSet is not Supported"))
    return errs


_STS_UPDATABLE = ("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                  "persistentVolumeClaimRetentionPolicy")


def _validate_statefulset_update(obj: dict, old: dict) -> list[FieldError]:
    # the name is not re-validated on update (kubernetes#114510)
    errs: list[FieldError] = []
    spec = _d(obj.get("spec"))
    old_spec = _d(old.get("spec"))
    errs.extend(_validate_statefulset_spec(spec, "spec"))
    a = {k: v for k, v in spec.items() if k not in _STS_UPDATABLE}
    b = {k: v for k, v in old_spec.items() if k not in _STS_UPDATABLE}
    if a != b:
        errs.append(forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                      "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                                      "'minReadySeconds' are forbidden"))
    return errs


def _validate_daemonset(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    path = "spec"
    sel = spec.get("selector")
    errs.extend(validate_label_selector(sel, "spec.selector"))
    tmpl = _d(spec.get("template"))
    labels = _d(tmpl.get("metadata")).get("labels")
    if (sel is None or _selector_parses(sel)) and not (sel is not None and _selector_empty(sel)) \
            and not selector_matches(sel, labels):
        errs.append(invalid("spec.template.metadata.labels",
                            GoRendered(go_string_map(labels if isinstance(labels, dict) else None)),
                            "`selector` does not match template `labels`"))
    if sel is not None and _selector_empty(sel):
        errs.append(invalid("spec.selector", GoRendered(go_label_selector(_d(sel))),
                            "empty selector is invalid for daemonset"))
    errs.extend(validate_pod_template_spec(tmpl, "spec.template"))
    tspec = _d(tmpl.get("spec"))
    rp = tspec.get("restartPolicy") or ""
    if rp != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", rp, ("Always",)))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), child(path, "minReadySeconds")))
    us = _d(spec.get("updateStrategy"))
    up = "spec.updateStrategy"
    ut = us.get("type") or ""
    if ut == "RollingUpdate":
        ru = us.get("rollingUpdate")
        if ru is None:
            errs.append(required(child(up, "rollingUpdate")))
        else:
            ru = _d(ru)
            rp = child(up, "rollingUpdate")
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs.extend(_validate_positive_int_or_percent(mu, child(rp, "maxUnavailable")))
            errs.extend(_validate_positive_int_or_percent(ms, child(rp, "maxSurge")))
            errs.extend(_not_more_than_100_percent(mu, child(rp, "maxUnavailable")))
            errs.extend(_not_more_than_100_percent(ms, child(rp, "maxSurge")))
            has_u = _int_or_percent_value(mu) != 0
            has_s = _int_or_percent_value(ms) != 0
            if has_u and has_s:
                errs.append(invalid(child(rp, "maxSurge"), GoRendered(go_int_or_string(ms)),
                                    "may not be set when maxUnavailable is non-zero"))
            elif not has_u and not has_s:
                errs.append(required(child(rp, "maxUnavailable"), "cannot be 0 when maxSurge is 0"))
    elif ut != "OnDelete":
        errs.append(not_supported(up, GoRendered(
            f"apps.DaemonSetUpdateStrategy{{Type:{go_quote(ut)}, RollingUpdate:"
            f"{go_ptr('apps.RollingUpdateDaemonSet', us.get('rollingUpdate'))}}}"), ("RollingUpdate", "OnDelete")))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(validate_nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit"))
    return errs


def _immutable_selector(obj: dict, old: dict) -> list[FieldError]:
    """The registry strategies' selector immutability (apps/v1), checked after the spec."""
    new_sel = _d(obj.get("spec")).get("selector")
    old_sel = _d(old.get("spec")).get("selector")
    if _norm_selector(new_sel) != _norm_selector(old_sel):
        return [invalid("spec.selector", GoRendered(go_label_selector(new_sel if new_sel is None else _d(new_sel))),
                        "field is immutable")]
    return []


def _norm_selector(sel):
    # apiequality.Semantic.DeepEqual: nil and empty maps/slices differ in Go; keep them distinct
    return sel


# -- core: services ------------------------------------------------------------------------------

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _is_headless(spec: dict) -> bool:
    ips = _l(spec.get("clusterIPs"))
    return spec.get("clusterIP") == "None" or (bool(ips) and ips[0] == "None")


def _validate_service(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns1035_label)
    spec = _d(obj.get("spec"))
    t = spec.get("type") or ""
    headless = _is_headless(spec)
    ports = _l(spec.get("ports"))
    if not ports and not headless and t != "ExternalName":
        errs.append(required("spec.ports"))
    ips = _l(spec.get("clusterIPs"))
    if t == "LoadBalancer" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0] if ips else "None",
                            "may not be set to 'None' for LoadBalancer services"))
    elif t == "NodePort" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0] if ips else "None",
                            "may not be set to 'None' for NodePort services"))
    elif t == "ExternalName":
        if ips:
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if _l(spec.get("ipFamilies")):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "")
        if cname.endswith("."):
            cname = cname[:-1]
        if cname:
            errs.extend(validate_dns1123_subdomain(cname, "spec.externalName"))
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        p = index("spec.ports", i)
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(required(child(p, "name")))
        elif name:
            errs.extend(validate_dns1123_label(name, child(p, "name")))
            if name in names:
                errs.append(duplicate(child(p, "name"), name))
            else:
                names.add(name)
        pn = _int(port.get("port")) or 0
        errs.extend(invalid(child(p, "port"), pn, m) for m in is_valid_port_num(pn))
        proto = port.get("protocol") or ""
        if not proto:
            errs.append(required(child(p, "protocol")))
        elif proto not in SUPPORTED_PORT_PROTOCOLS:
            errs.append(not_supported(child(p, "protocol"), proto, SUPPORTED_PORT_PROTOCOLS))
        errs.extend(validate_port_num_or_name(port.get("targetPort"), child(p, "targetPort")))
        if port.get("appProtocol") is not None:
            errs.extend(validate_qualified_name(str(port["appProtocol"]), child(p, "appProtocol")))
    if spec.get("selector") is not None:
        errs.extend(validate_labels(spec.get("selector"), "spec.selector"))
    sa = spec.get("sessionAffinity") or ""
    if not sa:
        errs.append(required("spec.sessionAffinity"))
    elif sa not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", sa, ("ClientIP", "None")))
    if sa == "ClientIP":
        cfg = _d(_d(spec.get("sessionAffinityConfig")).get("clientIP"))
        ts = _int(cfg.get("timeoutSeconds"))
        if ts is None or not (0 < ts <= 86400):
            errs.append(invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", ts,
                                inclusive_range_error(1, 86400)))
    elif sa == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    for i, ip in enumerate(_l(spec.get("externalIPs"))):
        try:
            ipaddress.ip_address(str(ip))
        except ValueError:
            errs.append(invalid(index("spec.externalIPs", i), str(ip), "must be a valid IP address, (e.g. 10.9.8.7 "
                                                                       "or 2001:db8::ffff)"))
    if not t:
        errs.append(required("spec.type"))
    elif t not in SERVICE_TYPES:
        errs.append(not_supported("spec.type", t, SERVICE_TYPES))
    if t == "ClusterIP":
        for i, port in enumerate(ports):
            if _int(_d(port).get("nodePort")):
                errs.append(forbidden(child(index("spec.ports", i), "nodePort"),
                                      "may not be used when `type` is 'ClusterIP'"))
    seen_np: set[tuple] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        np = _int(port.get("nodePort")) or 0
        if not np:
            continue
        k = (port.get("protocol") or "", np)
        if k in seen_np:
            errs.append(duplicate(child(index("spec.ports", i), "nodePort"), np))
        seen_np.add(k)
    seen: set[tuple] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        k = (port.get("protocol") or "", _int(port.get("port")) or 0)
        if k in seen:
            errs.append(duplicate(index("spec.ports", i), GoRendered(go_service_port_key(*k))))
        seen.add(k)
    etp = spec.get("externalTrafficPolicy")
    if etp:
        if t not in ("NodePort", "LoadBalancer") and not (t == "ClusterIP" and spec.get("externalIPs")):
            errs.append(invalid("spec.externalTrafficPolicy", etp,
                                "may only be set for externally-accessible services"))
        elif etp not in ("Cluster", "Local"):
            errs.append(not_supported("spec.externalTrafficPolicy", etp, ("Cluster", "Local")))
    itp = spec.get("internalTrafficPolicy")
    if itp is not None and t != "ExternalName" and itp not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", itp, ("Cluster", "Local")))
    return errs


def _validate_service_update(obj: dict, old: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    spec = _d(obj.get("spec"))
    old_spec = _d(old.get("spec"))
    if spec.get("type") != "ExternalName" and old_spec.get("type") != "ExternalName" \
            and not (_is_headless(spec) and _is_headless(old_spec)):
        new_ips = _l(spec.get("clusterIPs"))
        old_ips = _l(old_spec.get("clusterIPs"))
        if len(new_ips) == len(old_ips):
            for i, ip in enumerate(old_ips):
                if ip != new_ips[i]:
                    errs.append(invalid(index("spec.clusterIPs", i), GoRendered(go_string_slice(new_ips)),
                                        "may not change once set"))
        elif len(old_ips) > len(new_ips) and not new_ips:
            errs.append(invalid("spec.clusterIPs[0]", GoRendered(go_string_slice(new_ips or None)),
                                "primary clusterIP can not be unset"))
    errs.extend(_validate_service(obj))
    return errs


# -- core: config maps, secrets, namespaces, service accounts, storage ---------------------------

def _validate_config_map(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    total = 0
    data = _d(obj.get("data"))
    binary = _d(obj.get("binaryData"))
    for k in sorted(data):
        errs.extend(invalid(key("data", k), k, m) for m in is_config_map_key(k))
        if k in binary:
            errs.append(invalid(key("data", k), k, "duplicate of key present in binaryData"))
        total += len(str(data[k]).encode())
    for k in sorted(binary):
        errs.extend(invalid(key("binaryData", k), k, m) for m in is_config_map_key(k))
        total += _b64_len(binary[k])
    if total > MAX_SECRET_SIZE:
        # the path is empty upstream: the error refers to the whole object
        errs.append(too_long("", MAX_SECRET_SIZE))
    return errs


def _b64_len(v) -> int:
    try:
        return len(base64.b64decode(str(v), validate=False))
    except (ValueError, TypeError):
        return len(str(v))


def _immutable_data(obj: dict, old: dict, fields: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    if old.get("immutable") is True:
        if obj.get("immutable") is not True:
            errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        for f in fields:
            if (obj.get(f) or None) != (old.get(f) or None):
                errs.append(forbidden(f, "field is immutable when `immutable` is set"))
    return errs


def _validate_secret(obj: dict) -> list[FieldError]:
    md = _d(obj.get("metadata"))
    errs = validate_object_meta(md, True, name_is_dns_subdomain)
    data = _d(obj.get("data"))
    total = 0
    for k in sorted(data):
        errs.extend(invalid(key("data", k), k, m) for m in is_config_map_key(k))
        total += _b64_len(data[k])
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    t = obj.get("type") or ""
    if t == "kubernetes.io/service-account-token":
        if not _d(md.get("annotations")).get("kubernetes.io/service-account.name"):
            errs.append(required(key("metadata.annotations", "kubernetes.io/service-account.name")))
    elif t == "kubernetes.io/dockercfg":
        if not data.get(".dockercfg"):
            errs.append(required(key("data", ".dockercfg")))
    elif t == "kubernetes.io/dockerconfigjson":
        if not data.get(".dockerconfigjson"):
            errs.append(required(key("data", ".dockerconfigjson")))
    elif t == "kubernetes.io/basic-auth":
        if not data.get("username") and not data.get("password"):
            errs.append(required(key("data", "username")))
            errs.append(required(key("data", "password")))
    elif t == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(required(key("data", "ssh-privatekey")))
    elif t == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(required(key("data", "tls.crt")))
        if "tls.key" not in data:
            errs.append(required(key("data", "tls.key")))
    return errs


def _validate_secret_update(obj: dict, old: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    if (obj.get("type") or "") != (old.get("type") or ""):
        errs.append(invalid("type", obj.get("type") or "", "field is immutable"))
    errs.extend(_immutable_data(obj, old, ("data",)))
    errs.extend(_validate_secret(obj))
    return errs


def _validate_namespace(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), False, name_is_dns_label)
    for f in _l(_d(obj.get("spec")).get("finalizers")):
        errs.extend(invalid("spec.finalizers", str(f), m) for m in is_qualified_name(str(f)))
    return errs


ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")


def _validate_access_modes(modes, path: str, required_detail: str) -> list[FieldError]:
    errs: list[FieldError] = []
    modes = _l(modes)
    if not modes:
        errs.append(required(path, required_detail))
    rwop = other = False
    for m in modes:
        if m not in ACCESS_MODES:
            errs.append(not_supported(path, m, ACCESS_MODES))
        if m == "ReadWriteOncePod":
            rwop = True
        else:
            other = True
    if rwop and other:
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _validate_pvc_spec(spec: dict, path: str) -> list[FieldError]:
    errs = _validate_access_modes(spec.get("accessModes"), child(path, "accessModes"),
                                  "at least 1 access mode is required")
    if spec.get("selector") is not None:
        errs.extend(validate_label_selector(spec.get("selector"), child(path, "selector")))
    requests = _d(_d(spec.get("resources")).get("requests"))
    sp = key(child(path, "resources"), "storage")
    if "storage" not in requests:
        errs.append(required(sp))
    else:
        try:
            qty = q.parse_quantity(requests["storage"])
            if qty.value <= 0:
                errs.append(invalid(sp, qty.canonical(), "must be greater than zero"))
        except q.QuantityError:
            pass
    scn = spec.get("storageClassName")
    if scn:
        errs.extend(invalid(child(path, "storageClassName"), scn, m) for m in is_dns1123_subdomain(scn))
    vm = spec.get("volumeMode")
    if vm is not None and vm not in ("Block", "Filesystem"):
        errs.append(not_supported(child(path, "volumeMode"), vm, ("Block", "Filesystem")))
    return errs


def _validate_pvc(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    errs.extend(_validate_pvc_spec(_d(obj.get("spec")), "spec"))
    return errs


def _validate_pv(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), False, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(_validate_access_modes(spec.get("accessModes"), "spec.accessModes", ""))
    cap = _d(spec.get("capacity"))
    if not cap:
        errs.append(required("spec.capacity"))
    if "storage" not in cap or len(cap) > 1:
        rendered = "core.ResourceList(nil)" if spec.get("capacity") is None else (
            "core.ResourceList{" + ", ".join(f"{go_quote(k)}:{q.quantity_text(v)}" for k, v in sorted(cap.items()))
            + "}")  # APPROXIMATED: Go prints each resource.Quantity struct in full
        errs.append(not_supported("spec.capacity", GoRendered(rendered), ("storage",)))
    for r in sorted(cap):
        try:
            qty = q.parse_quantity(cap[r])
        except q.QuantityError:
            continue
        if qty.value < 0:
            errs.append(invalid(key("spec.capacity", r), qty.canonical(), "must be greater than or equal to 0"))
        if qty.value <= 0:
            errs.append(invalid(key("spec.capacity", r), qty.canonical(), "must be greater than zero"))
    rp = spec.get("persistentVolumeReclaimPolicy")
    if rp and rp not in ("Delete", "Recycle", "Retain"):
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", rp, ("Delete", "Recycle", "Retain")))
    sources = [s for s in _VOLUME_SOURCES if spec.get(s) is not None] + (["local"] if spec.get("local") else [])
    if not sources:
        errs.append(required("spec", "must specify a volume type"))
    hp = _d(spec.get("hostPath"))
    if spec.get("hostPath") is not None and not hp.get("path"):
        errs.append(required("spec.hostPath.path"))
    return errs


# -- batch ---------------------------------------------------------------------------------------

def _validate_job_spec_fields(spec: dict, path: str) -> list[FieldError]:
    """``validateJobSpec``: the fields, then the pod template and its restart policy."""
    errs: list[FieldError] = []
    for f in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
        if spec.get(f) is not None:
            errs.extend(validate_nonnegative(spec.get(f), child(path, f)))
    cm = spec.get("completionMode")
    if cm is not None and cm not in ("NonIndexed", "Indexed"):
        errs.append(not_supported(child(path, "completionMode"), cm, ("NonIndexed", "Indexed")))
    if cm == "Indexed" and spec.get("completions") is None:
        errs.append(required(child(path, "completions"), "when completion mode is Indexed"))
    tmpl = _d(spec.get("template"))
    errs.extend(validate_pod_template_spec(tmpl, child(path, "template")))
    rp = _d(tmpl.get("spec")).get("restartPolicy") or ""
    rpath = child(path, "template", "spec", "restartPolicy")
    # SetDefaults_PodSpec turns an unset policy into Always, so both read "Required" upstream
    if rp in ("Always", ""):
        errs.append(required(rpath, 'valid values: "OnFailure", "Never"'))
    elif rp not in ("OnFailure", "Never"):
        errs.append(not_supported(rpath, rp, ("OnFailure", "Never")))
    return errs


def _validate_job(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(_validate_job_spec_fields(spec, "spec"))
    sel = spec.get("selector")
    if sel is None:
        errs.append(required("spec.selector"))
    else:
        errs.extend(validate_label_selector(sel, "spec.selector"))
    if sel is None or _selector_parses(sel):
        labels = _d(_d(spec.get("template")).get("metadata")).get("labels")
        if not (sel is not None and _selector_empty(sel)) and not selector_matches(sel, labels):
            errs.append(invalid("spec.template.metadata.labels",
                                GoRendered(go_string_map(labels if isinstance(labels, dict) else None)),
                                "`selector` does not match template `labels`"))
    return errs


def _validate_job_update(obj: dict, old: dict) -> list[FieldError]:
    errs = _validate_job(obj)
    spec = _d(obj.get("spec"))
    old_spec = _d(old.get("spec"))
    if spec.get("completions") != old_spec.get("completions") and spec.get("completionMode") != "Indexed":
        errs.append(invalid("spec.completions", spec.get("completions"), "field is immutable"))
    if spec.get("selector") != old_spec.get("selector"):
        sel = spec.get("selector")
        errs.append(invalid("spec.selector", GoRendered(go_label_selector(sel if sel is None else _d(sel))),
                            "field is immutable"))
    if spec.get("template") != old_spec.get("template"):
        # a suspended Job that never started may change its scheduling directives; anything else
        # in the template is immutable (validatePodTemplateUpdate)
        errs.append(invalid("spec.template", GoRendered(go_struct("core.PodTemplateSpec", spec.get("template"))),
                            "field is immutable"))
    if spec.get("completionMode") != old_spec.get("completionMode"):
        errs.append(invalid("spec.completionMode", spec.get("completionMode"), "field is immutable"))
    return errs


_CRON_BOUNDS = {"minute": (0, 59, None), "hour": (0, 23, None), "dom": (1, 31, None),
                "month": (1, 12, {m: i + 1 for i, m in enumerate(
                    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
                "dow": (0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))})}
_CRON_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


class CronError(ValueError):
    pass


def _cron_int(expr: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        raise CronError(f'failed to parse int from {expr}: strconv.Atoi: parsing {go_quote(expr)}: invalid syntax')
    n = int(expr)
    if n < 0:
        raise CronError(f"negative number ({n}) not allowed: {expr}")
    return n


def _cron_range(expr: str, lo: int, hi: int, names) -> None:
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    if low_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start = names[low_high[0].lower()] if names and low_high[0].lower() in names else _cron_int(low_high[0])
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = names[low_high[1].lower()] if names and low_high[1].lower() in names else _cron_int(low_high[1])
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _cron_int(range_and_step[1])
        if single:
            end = hi
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < lo:
        raise CronError(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise CronError(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")


def parse_cron_standard(spec: str) -> None:
    """``cron.ParseStandard`` (robfig/cron/v3) error texts; raises :class:`CronError`."""
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        i = spec.find(" ")
        if i < 0:
            raise CronError(f"provided bad location {spec[spec.index('=') + 1:]}: unknown time zone")
        spec = spec[i:].strip()
    if spec.startswith("@"):
        if spec in _CRON_DESCRIPTORS:
            return
        if spec.startswith("@every "):
            from labsim.clock import parse_duration
            try:
                parse_duration(spec[len("@every "):])
            except ValueError:
                raise CronError(f"failed to parse duration {spec}: time: invalid duration "
                                f"{go_quote(spec[len('@every '):])}") from None
            return
        raise CronError(f"unrecognized descriptor: {spec}")
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for f, (lo, hi, names) in zip(fields, _CRON_BOUNDS.values()):
        for expr in [e for e in f.split(",") if e]:
            _cron_range(expr, lo, hi, names)


def _validate_job_template_spec(jt: dict, path: str) -> list[FieldError]:
    spec = _d(jt.get("spec"))
    errs = _validate_job_spec_fields(spec, child(path, "spec"))
    if spec.get("selector") is not None:
        errs.append(invalid(child(path, "spec", "selector"), GoRendered(go_label_selector(_d(spec["selector"]))),
                            "`selector` will be auto-generated"))
    if spec.get("manualSelector") is True:
        errs.append(not_supported(child(path, "spec", "manualSelector"), True, ("nil", "false")))
    return errs


def _validate_cronjob(obj: dict, old: dict | None) -> list[FieldError]:
    md = _d(obj.get("metadata"))
    errs = validate_object_meta(md, True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(required("spec.schedule"))
    else:
        try:
            parse_cron_standard(schedule)
        except CronError as e:
            errs.append(invalid("spec.schedule", schedule, str(e)))
        allow_tz = old is not None and "TZ" in (_d(old.get("spec")).get("schedule") or "")
        if allow_tz and "TZ" in schedule and spec.get("timeZone") is not None:
            errs.append(invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in "
                                                           "schedule"))
        elif not allow_tz and "TZ" in schedule:
            errs.append(invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone "
                                                           "field instead"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs.extend(validate_nonnegative(spec.get("startingDeadlineSeconds"), "spec.startingDeadlineSeconds"))
    cp = spec.get("concurrencyPolicy") or ""
    if not cp:
        errs.append(required("spec.concurrencyPolicy"))
    elif cp not in ("Allow", "Forbid", "Replace"):
        errs.append(not_supported("spec.concurrencyPolicy", cp, ("Allow", "Forbid", "Replace")))
    errs.extend(_validate_job_template_spec(_d(spec.get("jobTemplate")), "spec.jobTemplate"))
    for f in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(f) is not None:
            errs.extend(validate_nonnegative(spec.get(f), child("spec", f)))
    if old is None and len(md.get("name") or "") > 52:
        # the controller appends an 11-character suffix to job names (63 - 11)
        errs.append(invalid("metadata.name", md.get("name"), "must be no more than 52 characters"))
    return errs


# -- networking ----------------------------------------------------------------------------------

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
_INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_PATH_SUFFIXES = ("/..", "/.")


def _validate_ingress_backend(b: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    res, svc = b.get("resource"), b.get("service")
    if res is not None and svc is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if res is not None:
        r = _d(res)
        if not r.get("kind"):
            errs.append(required(child(path, "resource", "kind")))
        if not r.get("name"):
            errs.append(required(child(path, "resource", "name")))
        return errs
    if svc is None:
        return [invalid(path, "", "resource or service backend is required")]
    s = _d(svc)
    name = s.get("name") or ""
    if not name:
        errs.append(required(child(path, "service", "name")))
    else:
        errs.extend(invalid(child(path, "service", "name"), name, m) for m in name_is_dns1035_label(name))
    port = _d(s.get("port"))
    pname = port.get("name") or ""
    pnum = _int(port.get("number")) or 0
    if pname and pnum:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif pname:
        errs.extend(invalid(child(path, "service", "port", "name"), pname, m) for m in is_valid_port_name(pname))
    elif pnum:
        errs.extend(invalid(child(path, "service", "port", "number"), pnum, m) for m in is_valid_port_num(pnum))
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_ingress(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    rules = _l(spec.get("rules"))
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid("spec", GoRendered("[]networking.IngressRule(nil)" if spec.get("rules") is None
                                               else "[]networking.IngressRule{}"),
                            "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs.extend(_validate_ingress_backend(_d(spec["defaultBackend"]), "spec.defaultBackend"))
    for i, rule in enumerate(rules):
        rule = _d(rule)
        rp = index("spec.rules", i)
        host = rule.get("host") or ""
        if host:
            try:
                ipaddress.ip_address(host)
                errs.append(invalid(child(rp, "host"), host, "must be a DNS name, not an IP address"))
            except ValueError:
                if host.startswith("*."):
                    if not _full(re.compile("\\*\\." + DNS1123_SUBDOMAIN_FMT), host) or len(host) > 253:
                        errs.append(invalid(child(rp, "host"), host, regex_error(
                            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
                            "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
                            "alphanumeric character", "\\*\\." + DNS1123_SUBDOMAIN_FMT, "*.example.com")))
                else:
                    errs.extend(invalid(child(rp, "host"), host, m) for m in is_dns1123_subdomain(host))
        http = rule.get("http")
        if http is None:
            continue
        paths = _l(_d(http).get("paths"))
        hp = child(rp, "http")
        if not paths:
            errs.append(required(child(hp, "paths")))
        for j, p in enumerate(paths):
            p = _d(p)
            pp = index(child(hp, "paths"), j)
            pt = p.get("pathType")
            path_s = p.get("path") or ""
            if pt is None:
                errs.append(required(child(pp, "pathType"), "pathType must be specified"))
                continue
            if pt in ("Exact", "Prefix"):
                if not path_s.startswith("/"):
                    errs.append(invalid(child(pp, "path"), path_s, "must be an absolute path"))
                if path_s:
                    for seq in _INVALID_PATH_SEQUENCES:
                        if seq in path_s:
                            errs.append(invalid(child(pp, "path"), path_s, f"must not contain '{seq}'"))
                    for suf in _INVALID_PATH_SUFFIXES:
                        if path_s.endswith(suf):
                            errs.append(invalid(child(pp, "path"), path_s, f"cannot end with '{suf}'"))
            elif pt == "ImplementationSpecific":
                if path_s and not path_s.startswith("/"):
                    errs.append(invalid(child(pp, "path"), path_s, "must be an absolute path"))
            else:
                errs.append(not_supported(child(pp, "pathType"), pt, PATH_TYPES))
            errs.extend(_validate_ingress_backend(_d(p.get("backend")), child(pp, "backend")))
    icn = spec.get("ingressClassName")
    if icn is not None:
        errs.extend(invalid("spec.ingressClassName", icn, m) for m in is_dns1123_subdomain(str(icn)))
    return errs


def _validate_ingress_class(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), False, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    ctrl = spec.get("controller") or ""
    if len(ctrl) > 250:
        errs.append(too_long("spec.controller", 250))
    if not ctrl:
        errs.append(required("spec.controller"))
    else:
        segs = ctrl.split("/", 1)
        if len(segs) != 2 or not segs[0] or not segs[1]:
            errs.append(invalid("spec.controller", ctrl, 'must be a domain-prefixed path (such as "acme.io/foo")'))
        else:
            errs.extend(invalid("spec.controller", segs[0], m) for m in is_dns1123_subdomain(segs[0]))
            if not re.fullmatch(r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+", segs[1]):
                errs.append(invalid("spec.controller", segs[1],
                                    regex_error("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")))
    return errs


# -- autoscaling ---------------------------------------------------------------------------------

METRIC_SOURCE_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")


def _validate_hpa(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    mn = _int(spec.get("minReplicas"))
    mx = _int(spec.get("maxReplicas")) or 0
    if mn is not None and mn < 1:
        errs.append(invalid("spec.minReplicas", mn, "must be greater than or equal to 1"))
    if mx < 1:
        errs.append(invalid("spec.maxReplicas", mx, "must be greater than 0"))
    if mn is not None and mx < mn:
        errs.append(invalid("spec.maxReplicas", mx, "must be greater than or equal to `minReplicas`"))
    ref = _d(spec.get("scaleTargetRef"))
    for f in ("kind", "name"):
        v = ref.get(f) or ""
        p = child("spec.scaleTargetRef", f)
        if not v:
            errs.append(required(p))
        elif v in (".", "..") or "/" in v or "%" in v:
            msg = (f"may not be '{v}'" if v in (".", "..") else
                   "may not contain '/'" if "/" in v else "may not contain '%'")
            errs.append(invalid(p, v, msg))
    if obj.get("apiVersion") == "autoscaling/v1":
        cpu = spec.get("targetCPUUtilizationPercentage")
        if cpu is not None and (_int(cpu) or 0) < 1:
            errs.append(invalid("spec.targetCPUUtilizationPercentage", _int(cpu), "must be greater than 0"))
        return errs
    for i, m in enumerate(_l(spec.get("metrics"))):
        errs.extend(_validate_metric_spec(_d(m), index("spec.metrics", i)))
    return errs


def _validate_metric_target(t: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    tt = t.get("type") or ""
    if not tt:
        errs.append(required(child(path, "type"), "must specify a metric target type"))
    if tt not in ("Utilization", "Value", "AverageValue"):
        errs.append(invalid(child(path, "type"), tt, "must be either Utilization, Value, or AverageValue"))
    for f in ("value", "averageValue"):
        if t.get(f) is not None:
            try:
                qty = q.parse_quantity(t[f])
                if qty.value <= 0:
                    errs.append(invalid(child(path, f), qty.canonical(), "must be positive"))
            except q.QuantityError:
                pass
    au = t.get("averageUtilization")
    if au is not None and (_int(au) or 0) < 1:
        errs.append(invalid(child(path, "averageUtilization"), _int(au), "must be greater than 0"))
    return errs


def _validate_metric_spec(m: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    t = m.get("type") or ""
    if not t:
        errs.append(required(child(path, "type"), "must specify a metric source type"))
    if t not in METRIC_SOURCE_TYPES:
        errs.append(not_supported(child(path, "type"), t, METRIC_SOURCE_TYPES))
    present = [f for f in ("object", "pods", "resource", "external", "containerResource") if m.get(f) is not None]
    if m.get("resource") is not None and len(present) >= 1 and present[0] == "resource":
        r = _d(m["resource"])
        rp = child(path, "resource")
        name = r.get("name") or ""
        if not name:
            errs.append(required(child(rp, "name"), "must specify a resource name"))
        else:
            errs.extend(_validate_container_resource_name(name, child(rp, "name")))
        tgt = _d(r.get("target"))
        errs.extend(_validate_metric_target(tgt, child(rp, "target")))
        if tgt.get("averageUtilization") is None and tgt.get("averageValue") is None:
            errs.append(required(child(rp, "target", "averageUtilization"),
                                 "must set either a target raw value or a target utilization"))
        if tgt.get("averageUtilization") is not None and tgt.get("averageValue") is not None:
            errs.append(forbidden(child(rp, "target", "averageValue"),
                                  "may not set both a target raw value and a target utilization"))
    expected = {"Object": "object", "Pods": "pods", "Resource": "resource", "External": "external",
                "ContainerResource": "containerResource"}.get(t)
    if expected and m.get(expected) is None:
        errs.append(required(child(path, expected), "must populate information for the given metric source"))
    if len(present) != 1:
        for f in sorted(p for p in present if p != expected):
            errs.append(forbidden(child(path, f), "must populate the given metric source only"))
    return errs


# -- dispatch ------------------------------------------------------------------------------------

def _validate_replication_controller(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), True, name_is_dns_subdomain)
    spec = _d(obj.get("spec"))
    errs.extend(validate_nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds"))
    sel = _d(spec.get("selector"))
    if not sel:
        errs.append(required("spec.selector"))
    else:
        errs.extend(validate_labels(sel, "spec.selector"))
    errs.extend(validate_nonnegative(spec.get("replicas"), "spec.replicas"))
    tmpl = spec.get("template")
    if tmpl is None:
        errs.append(required("spec.template"))
    else:
        tmpl = _d(tmpl)
        labels = _d(tmpl.get("metadata")).get("labels")
        if sel and not all(_d(labels).get(k) == v for k, v in sel.items()):
            errs.append(invalid("spec.template.metadata.labels",
                                GoRendered(go_string_map(labels if isinstance(labels, dict) else None)),
                                "`selector` does not match template `labels`"))
        errs.extend(validate_pod_template_spec(tmpl, "spec.template"))
        rp = _d(tmpl.get("spec")).get("restartPolicy") or ""
        if rp != "Always":
            errs.append(not_supported("spec.template.spec.restartPolicy", rp, ("Always",)))
    return errs


_CREATE = {
    ("", "Pod"): _validate_pod_create,
    ("", "Service"): _validate_service,
    ("", "ConfigMap"): _validate_config_map,
    ("", "Secret"): _validate_secret,
    ("", "Namespace"): _validate_namespace,
    ("", "PersistentVolumeClaim"): _validate_pvc,
    ("", "PersistentVolume"): _validate_pv,
    ("", "ReplicationController"): _validate_replication_controller,
    ("apps", "Deployment"): _validate_deployment,
    ("apps", "ReplicaSet"): _validate_replica_set,
    ("apps", "StatefulSet"): _validate_statefulset,
    ("apps", "DaemonSet"): _validate_daemonset,
    ("batch", "Job"): _validate_job,
    ("networking.k8s.io", "Ingress"): _validate_ingress,
    ("networking.k8s.io", "IngressClass"): _validate_ingress_class,
    ("autoscaling", "HorizontalPodAutoscaler"): _validate_hpa,
}

#: kinds whose names follow another rule than DNS-1123 subdomain (metadata-only validation)
_NAME_FUNCS = {("", "ServiceAccount"): name_is_dns_subdomain}
#: kinds the server writes for itself with names no rule applies to in labsim (events get
#: ``<object>.<hex>`` names, always valid subdomains; Leases, Endpoints, EndpointSlices likewise)
_SKIP = frozenset({("", "Event"), ("events.k8s.io", "Event")})


def validate(rt, obj: dict, old: dict | None) -> list[FieldError]:
    """The strategy's ``Validate`` (``old is None``) or ``ValidateUpdate``: field errors in
    upstream order. Unknown kinds get the ObjectMeta rules only."""
    k = (rt.group, rt.kind)
    if k in _SKIP:
        return []
    if old is None:
        if k == ("batch", "CronJob"):
            return _validate_cronjob(obj, None)
        fn = _CREATE.get(k)
        if fn is not None:
            return fn(obj)
        return validate_object_meta(obj.get("metadata"), rt.namespaced, _NAME_FUNCS.get(k, name_is_dns_subdomain))
    # updates: the name cannot change (the server addresses the stored object), so it is not
    # re-validated for StatefulSets (kubernetes#114510); everything else re-runs the create rules
    if k == ("", "Pod"):
        return _validate_pod_update(obj, old)
    if k == ("apps", "StatefulSet"):
        return _validate_statefulset_update(obj, old)
    if k in (("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "DaemonSet")):
        return _CREATE[k](obj) + _immutable_selector(obj, old)
    if k == ("", "Service"):
        return _validate_service_update(obj, old)
    if k == ("", "ConfigMap"):
        return _immutable_data(obj, old, ("data", "binaryData")) + _validate_config_map(obj)
    if k == ("", "Secret"):
        return _validate_secret_update(obj, old)
    if k == ("batch", "Job"):
        return _validate_job_update(obj, old)
    if k == ("batch", "CronJob"):
        return _validate_cronjob(obj, old)
    fn = _CREATE.get(k)
    if fn is not None:
        return fn(obj)
    return validate_object_meta(obj.get("metadata"), rt.namespaced, _NAME_FUNCS.get(k, name_is_dns_subdomain))
