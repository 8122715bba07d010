"""``kubectl describe serviceaccount`` (kubernetes/kubectl: pkg/describe/describe.go
``ServiceAccountDescriber``, ``describeServiceAccount``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)

_EMPTY = "                   "
_PULL = "Image pull secrets:"
_MOUNT = "Mountable secrets: "
_TOKEN = "Tokens:            "


def describe(api, sa: dict, now: float, show_events: bool = True) -> str:
    md = sa.get("metadata") or {}
    secrets = api.list(api.registry.for_kind("", "Secret"), md.get("namespace", ""))
    existing = {s["metadata"]["name"] for s in secrets}
    tokens = [s for s in secrets if s.get("type") == "kubernetes.io/service-account-token"
              and (s["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.name") == md.get("name")
              and (s["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.uid") == md.get("uid")]
    missing = {r.get("name") for r in (sa.get("secrets") or []) + (sa.get("imagePullSecrets") or [])
               if r.get("name") not in existing}
    events = events_for(api, sa) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        groups = {
            _PULL: [r.get("name", "") for r in sa.get("imagePullSecrets") or []],
            _MOUNT: [r.get("name", "") for r in sa.get("secrets") or []],
            _TOKEN: [s["metadata"]["name"] for s in tokens],
        }
        for header in sorted(groups):
            names = groups[header]
            if not names:
                w.write(LEVEL_0, "%s\t<none>\n", header)
                continue
            prefix = header
            for n in names:
                w.write(LEVEL_0, "%s\t%s%s\n", prefix, n, " (not found)" if n in missing else "")
                prefix = _EMPTY
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
