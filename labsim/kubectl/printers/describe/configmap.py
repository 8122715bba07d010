"""``kubectl describe configmap`` (kubernetes/kubectl: pkg/describe/describe.go
``ConfigMapDescriber``). kubectl ranges over Go maps for Data/BinaryData (random order between
runs); keys are printed sorted here so the output is deterministic."""
from __future__ import annotations

import base64

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)


def describe(api, cm: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, cm) if show_events else None
    md = cm.get("metadata") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "\nData\n====\n")
        data = cm.get("data") or {}
        for k in sorted(data):
            w.write(LEVEL_0, "%s:\n----\n", k)
            w.write(LEVEL_0, "%s\n", data[k])
            w.write(LEVEL_0, "\n")
        w.write(LEVEL_0, "\nBinaryData\n====\n")
        binary = cm.get("binaryData") or {}
        for k in sorted(binary):
            w.write(LEVEL_0, "%s: %d bytes\n", k, len(_b64(binary[k])))
        w.write(LEVEL_0, "\n")
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)


def _b64(v) -> bytes:
    try:
        return base64.b64decode(v or "")
    except ValueError:
        return (v or "").encode()
