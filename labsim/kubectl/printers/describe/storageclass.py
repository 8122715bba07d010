"""``kubectl describe storageclass`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeStorageClass``, ``printAllowedTopologies``; pkg/util/storage ``IsDefaultAnnotationText``).

Annotations print with ``labels.FormatLabels`` (one ``k=v,...`` line, the last-applied
configuration included), unlike most kinds."""
from __future__ import annotations

from labsim.kubectl.printers.describe.cronjob import print_bool_ptr
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import LEVEL_0, LEVEL_1, tabbed_string
from labsim.kubectl.printers.describe.selectors import format_labels

IS_DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_IS_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"


def is_default_text(md: dict) -> str:
    annotations = md.get("annotations") or {}
    if annotations.get(IS_DEFAULT_ANNOTATION) == "true" or annotations.get(BETA_IS_DEFAULT_ANNOTATION) == "true":
        return "Yes"
    return "No"


def print_allowed_topologies(w, topologies: list) -> None:
    w.write(LEVEL_0, "AllowedTopologies:\t")
    if not topologies:
        w.write_line("<none>")
        return
    w.write_line("")
    for i, term in enumerate(topologies):
        w.write(LEVEL_1, "%s:%s", f"Term {i}", "\t")
        reqs = term.get("matchLabelExpressions") or []
        if not reqs:
            w.write_line("<none>")
            continue
        for j, req in enumerate(reqs):
            if j:
                w.write(LEVEL_1, "%s", "\t")
            expr = f"{req.get('key', '')} in"
            if req.get("values"):
                expr = f"{expr} [{', '.join(req['values'])}]"
            w.write(LEVEL_0, "%s\n", expr)


def describe(api, sc: dict, now: float, show_events: bool = True) -> str:
    md = sc.get("metadata") or {}
    events = events_for(api, sc) if show_events else None

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "IsDefaultClass:\t%s\n", is_default_text(md))
        w.write(LEVEL_0, "Annotations:\t%s\n", format_labels(md.get("annotations")))
        w.write(LEVEL_0, "Provisioner:\t%s\n", sc.get("provisioner", ""))
        w.write(LEVEL_0, "Parameters:\t%s\n", format_labels(sc.get("parameters")))
        w.write(LEVEL_0, "AllowVolumeExpansion:\t%s\n", print_bool_ptr(sc.get("allowVolumeExpansion")))
        if not sc.get("mountOptions"):
            w.write(LEVEL_0, "MountOptions:\t<none>\n")
        else:
            w.write(LEVEL_0, "MountOptions:\n")
            for option in sc["mountOptions"]:
                w.write(LEVEL_1, "%s\n", option)
        if sc.get("reclaimPolicy") is not None:
            w.write(LEVEL_0, "ReclaimPolicy:\t%s\n", sc["reclaimPolicy"])
        if sc.get("volumeBindingMode") is not None:
            w.write(LEVEL_0, "VolumeBindingMode:\t%s\n", sc["volumeBindingMode"])
        # a nil slice is skipped; an empty one (``allowedTopologies: []``) prints <none>
        if sc.get("allowedTopologies") is not None:
            print_allowed_topologies(w, sc["allowedTopologies"])
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
