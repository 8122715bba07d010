"""Field selectors (``--field-selector``), parsed and matched as the API server does.

* Syntax (``k8s.io/apimachinery/pkg/fields/selector.go``): terms ``key=value``, ``key==value``,
  ``key!=value`` joined by ``,``; ``\\``, ``,`` and ``=`` in values are escaped with ``\\``.
* Supported fields per kind: ``metadata.name`` and ``metadata.namespace`` everywhere
  (``runtime.DefaultMetaV1FieldSelectorConversion``), plus each kind's own set
  (``pkg/apis/core/v1/conversion.go`` and the registries' ``GetAttrs``).
  An unknown field is the server's BadRequest ``field label not supported: foo`` (kinds with a
  conversion function) or ``"foo" is not a known field selector: only "metadata.name",
  "metadata.namespace"`` (the others).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from labsim.api.gofmt import go_quote


class FieldSelectorError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    field: str
    op: str  # "=" | "!="
    value: str


def unescape_value(s: str) -> str:
    """``fields.UnescapeValue``."""
    if not any(c in s for c in "\\,="):
        return s
    out = []
    in_slash = False
    for c in s:
        if in_slash:
            if c in "\\,=":
                out.append(c)
            else:
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{c}")
            in_slash = False
            continue
        if c == "\\":
            in_slash = True
        elif c in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: {ord(c)}")
        else:
            out.append(c)
    if in_slash:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(s: str) -> list[str]:
    terms, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i:i + 2])
            i += 2
            continue
        if c == ",":
            terms.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    terms.append("".join(cur))
    return terms


def parse(selector: str) -> list[Term]:
    """``fields.ParseSelector``: raises :class:`FieldSelectorError` with the server's text."""
    terms = []
    for part in sorted(_split_terms(selector)):
        if part == "":
            continue
        for i in range(len(part)):
            rest = part[i:]
            op = next((o for o in ("!=", "==", "=") if rest.startswith(o)), None)
            if op:
                lhs, rhs = part[:i], part[i + len(op):]
                break
        else:
            raise FieldSelectorError(f"invalid selector: '{selector}'; can't understand '{part}'")
        terms.append(Term(lhs, "!=" if op == "!=" else "=", unescape_value(rhs)))
    return terms


def _get(obj: dict, *path: str) -> str:
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(p)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


_META = {"metadata.name": lambda o: _get(o, "metadata", "name"),
         "metadata.namespace": lambda o: _get(o, "metadata", "namespace")}

#: kind (group, kind) -> supported fields -> value getter. ``None`` group entries not listed use
#: the default conversion (metadata.name/namespace only).
_FIELDS: dict[tuple[str, str], dict[str, Callable[[dict], str]]] = {
    ("", "Pod"): {
        **_META,
        "spec.nodeName": lambda o: _get(o, "spec", "nodeName"),
        "spec.restartPolicy": lambda o: _get(o, "spec", "restartPolicy"),
        "spec.schedulerName": lambda o: _get(o, "spec", "schedulerName"),
        "spec.serviceAccountName": lambda o: _get(o, "spec", "serviceAccountName"),
        "spec.hostNetwork": lambda o: "true" if (o.get("spec") or {}).get("hostNetwork") else "false",
        "status.phase": lambda o: _get(o, "status", "phase"),
        "status.podIP": lambda o: _get(o, "status", "podIP"),
        "status.podIPs": lambda o: _get(o, "status", "podIP"),
        "status.nominatedNodeName": lambda o: _get(o, "status", "nominatedNodeName"),
    },
    ("", "Node"): {"metadata.name": _META["metadata.name"],
                   "spec.unschedulable": lambda o: "true" if (o.get("spec") or {}).get("unschedulable") else "false"},
    ("", "ReplicationController"): {**_META, "status.replicas": lambda o: str(int((o.get("status") or {}).get(
        "replicas") or 0))},
    ("", "PersistentVolume"): {"metadata.name": _META["metadata.name"]},
    ("", "Event"): {
        **_META,
        **{f"involvedObject.{f}": (lambda f: lambda o: _get(o, "involvedObject", f))(f)
           for f in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")},
        "reason": lambda o: _get(o, "reason"),
        "reportingComponent": lambda o: _get(o, "reportingComponent"),
        "source": lambda o: _get(o, "source", "component"),
        "type": lambda o: _get(o, "type"),
    },
    ("", "Namespace"): {"metadata.name": _META["metadata.name"], "status.phase": lambda o: _get(o, "status", "phase")},
    ("", "Secret"): {**_META, "type": lambda o: _get(o, "type")},
    ("", "Service"): {**_META, "spec.clusterIP": lambda o: _get(o, "spec", "clusterIP"),
                      "spec.type": lambda o: _get(o, "spec", "type")},
    ("apps", "ReplicaSet"): {**_META, "status.replicas": lambda o: str(int((o.get("status") or {}).get(
        "replicas") or 0))},
    ("batch", "Job"): {**_META, "status.successful": lambda o: str(int((o.get("status") or {}).get(
        "succeeded") or 0))},
    ("certificates.k8s.io", "CertificateSigningRequest"): {**_META},
}
_FIELDS[("events.k8s.io", "Event")] = _FIELDS[("", "Event")]


@dataclass(frozen=True)
class FieldSelector:
    terms: tuple[Term, ...]
    getters: tuple[Callable[[dict], str], ...]

    def matches(self, obj: dict) -> bool:
        for term, get in zip(self.terms, self.getters):
            have = get(obj)
            if (have == term.value) != (term.op == "="):
                return False
        return True

    def empty(self) -> bool:
        return not self.terms


def compile(selector: str, group: str, kind: str) -> FieldSelector:
    """Parse ``selector`` and check its fields against ``kind`` (the server's label conversion).

    Raises :class:`FieldSelectorError` with the text the server puts in its BadRequest."""
    terms = parse(selector)
    table = _FIELDS.get((group, kind))
    getters = []
    for t in terms:
        if table is None:
            getter = _META.get(t.field)
            if getter is None:
                raise FieldSelectorError(f'{go_quote(t.field)} is not a known field selector: only '
                                         f'"metadata.name", "metadata.namespace"')
        else:
            if t.field == "spec.host" and (group, kind) == ("", "Pod"):
                getter = table["spec.nodeName"]
            else:
                getter = table.get(t.field)
            if getter is None:
                raise FieldSelectorError(f"field label not supported: {t.field}")
        getters.append(getter)
    return FieldSelector(tuple(terms), tuple(getters))
