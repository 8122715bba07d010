"""``kubectl describe secret`` (kubernetes/kubectl: pkg/describe/describe.go ``describeSecret``):
sizes only, except the token of a service-account-token secret. No events. Keys sorted (kubectl
ranges over a Go map)."""
from __future__ import annotations

import base64

from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)


def describe(api, secret: dict, now: float, show_events: bool = True) -> str:
    md = secret.get("metadata") or {}
    stype = secret.get("type", "") or ""

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "\nType:\t%s\n", stype)
        w.write(LEVEL_0, "\nData\n====\n")
        data = secret.get("data") or {}
        for k in sorted(data):
            raw = _b64(data[k])
            if k == "token" and stype == "kubernetes.io/service-account-token":
                w.write(LEVEL_0, "%s:\t%s\n", k, raw.decode(errors="replace"))
            else:
                w.write(LEVEL_0, "%s:\t%d bytes\n", k, len(raw))

    return tabbed_string(body)


def _b64(v) -> bytes:
    try:
        return base64.b64decode(v or "")
    except ValueError:
        return (v or "").encode()
