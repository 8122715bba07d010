"""``kubectl describe netpol`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeNetworkPolicy``, ``describeNetworkPolicySpec``, ``printNetworkPolicySpecIngressFrom``,
``printNetworkPolicySpecEgressTo``, ``policyTypesToString``). No events.

``Created on:`` is ``metav1.Time`` printed with ``%s``: Go's ``time.Time.String()`` layout
(``2006-01-02 15:04:05 -0700 MST``) in kubectl's local zone, UTC here like every other describe
time.
"""
from __future__ import annotations

from datetime import timedelta

from labsim.clock import EPOCH, parse_rfc3339
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, LEVEL_1, LEVEL_2, print_annotations_multiline, print_labels_multiline, tabbed_string,
)
from labsim.kubectl.printers.describe.selectors import format_label_selector

_INDENT = "    "


def go_time_string(ts: str | None) -> str:
    """``time.Time.String()`` of a stored timestamp (UTC); the zero time for an unset one."""
    if not ts:
        return "0001-01-01 00:00:00 +0000 UTC"
    return (EPOCH + timedelta(seconds=int(parse_rfc3339(ts) // 1))).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def _print_ports(ports: list | None, w) -> None:
    if not ports:
        w.write(LEVEL_0, "%s%s\n", _INDENT, "To Port: <any> (traffic allowed to all ports)")
        return
    for port in ports:
        proto = port.get("protocol") if port.get("protocol") is not None else "TCP"
        # %s of a *intstr.IntOrString: its String(), "<nil>" for a nil pointer
        number = "<nil>" if port.get("port") is None else str(port["port"])
        if port.get("endPort") is None:
            w.write(LEVEL_0, "%s%s: %s/%s\n", _INDENT, "To Port", number, proto)
        else:
            w.write(LEVEL_0, "%s%s: %s-%d/%s\n", _INDENT, "To Port Range", number, int(port["endPort"]), proto)


def _print_peers(peers: list, title: str, w) -> None:
    for peer in peers:
        w.write(LEVEL_0, "%s%s\n", _INDENT, title + ":")
        pod_sel, ns_sel = peer.get("podSelector"), peer.get("namespaceSelector")
        if pod_sel is not None and ns_sel is not None:
            w.write(LEVEL_1, "%s%s: %s\n", _INDENT, "NamespaceSelector", format_label_selector(ns_sel))
            w.write(LEVEL_1, "%s%s: %s\n", _INDENT, "PodSelector", format_label_selector(pod_sel))
        elif pod_sel is not None:
            w.write(LEVEL_1, "%s%s: %s\n", _INDENT, "PodSelector", format_label_selector(pod_sel))
        elif ns_sel is not None:
            w.write(LEVEL_1, "%s%s: %s\n", _INDENT, "NamespaceSelector", format_label_selector(ns_sel))
        elif peer.get("ipBlock") is not None:
            block = peer["ipBlock"]
            w.write(LEVEL_1, "%sIPBlock:\n", _INDENT)
            w.write(LEVEL_2, "%sCIDR: %s\n", _INDENT, block.get("cidr", ""))
            w.write(LEVEL_2, "%sExcept: %s\n", _INDENT, ", ".join(block.get("except") or []))


def _print_rules(rules: list | None, direction: str, w) -> None:
    """``printNetworkPolicySpecIngressFrom`` / ``printNetworkPolicySpecEgressTo``."""
    peer_key, title = ("from", "From") if direction == "ingress" else ("to", "To")
    if not rules:
        w.write(LEVEL_0, "%s%s\n", _INDENT, f"<none> (Selected pods are isolated for {direction} connectivity)")
        return
    for i, rule in enumerate(rules):
        _print_ports(rule.get("ports"), w)
        peers = rule.get(peer_key) or []
        if not peers:
            what = "source" if direction == "ingress" else "destination"
            w.write(LEVEL_0, "%s%s\n", _INDENT, f"{title}: <any> (traffic not restricted by {what})")
        else:
            _print_peers(peers, title, w)
        if i != len(rules) - 1:
            w.write(LEVEL_0, "%s%s\n", _INDENT, "----------")


def policy_types_string(types: list | None) -> str:
    return ", ".join(types or []) or "<none>"


def describe_network_policy_spec(spec: dict, w) -> None:
    w.write(LEVEL_0, "Spec:\n")
    w.write(LEVEL_1, "PodSelector: ")
    pod_sel = spec.get("podSelector") or {}
    if not pod_sel.get("matchLabels") and not pod_sel.get("matchExpressions"):
        w.write(LEVEL_2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    else:
        w.write(LEVEL_2, "%s\n", format_label_selector(pod_sel))
    types = spec.get("policyTypes") or []
    if "Ingress" in types:
        w.write(LEVEL_1, "Allowing ingress traffic:\n")
        _print_rules(spec.get("ingress"), "ingress", w)
    else:
        w.write(LEVEL_1, "Not affecting ingress traffic\n")
    if "Egress" in types:
        w.write(LEVEL_1, "Allowing egress traffic:\n")
        _print_rules(spec.get("egress"), "egress", w)
    else:
        w.write(LEVEL_1, "Not affecting egress traffic\n")
    w.write(LEVEL_1, "Policy Types: %s\n", policy_types_string(spec.get("policyTypes")))


def describe(api, np: dict, now: float, show_events: bool = True) -> str:
    md = np.get("metadata") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Created on:\t%s\n", go_time_string(md.get("creationTimestamp")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        describe_network_policy_spec(np.get("spec") or {}, w)

    return tabbed_string(body)
