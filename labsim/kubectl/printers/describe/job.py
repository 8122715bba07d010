"""``kubectl describe job`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go ``describeJob``,
``capIndexesListOrNone``)."""
from __future__ import annotations

from labsim.clock import parse_rfc3339
from labsim.kubectl.printers.age import human_duration
from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, controlled_by, go_bool, print_annotations_multiline, print_labels_multiline, tabbed_string,
    time_rfc1123z,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.selectors import selector_string


def cap_indexes_list_or_none(indexes: str, soft_limit: int) -> str:
    """``capIndexesListOrNone``: cut after the first comma at or beyond ``soft_limit`` + ``...``."""
    if not indexes:
        return "<none>"
    ix = soft_limit
    while ix < len(indexes) and indexes[ix] != ",":
        ix += 1
    if ix >= len(indexes):
        return indexes
    return indexes[:ix + 1] + "..."


def describe(api, job: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, job) if show_events else None
    return describe_job(job, events, now)


def describe_job(job: dict, events: list[dict] | None, now: float) -> str:
    md = job.get("metadata") or {}
    spec = job.get("spec") or {}
    status = job.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        w.write(LEVEL_0, "Selector:\t%s\n", selector_string(spec.get("selector")))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        owner = controlled_by(job)
        if owner:
            w.write(LEVEL_0, "Controlled By:\t%s\n", owner)
        if spec.get("parallelism") is not None:
            w.write(LEVEL_0, "Parallelism:\t%d\n", int(spec["parallelism"]))
        if spec.get("completions") is not None:
            w.write(LEVEL_0, "Completions:\t%d\n", int(spec["completions"]))
        else:
            w.write(LEVEL_0, "Completions:\t<unset>\n")
        if spec.get("completionMode") is not None:
            w.write(LEVEL_0, "Completion Mode:\t%s\n", spec["completionMode"])
        if spec.get("suspend") is not None:
            w.write(LEVEL_0, "Suspend:\t%s\n", go_bool(spec["suspend"]))
        if spec.get("backoffLimit") is not None:
            w.write(LEVEL_0, "Backoff Limit:\t%d\n", int(spec["backoffLimit"]))
        if spec.get("ttlSecondsAfterFinished") is not None:
            w.write(LEVEL_0, "TTL Seconds After Finished:\t%d\n", int(spec["ttlSecondsAfterFinished"]))
        if status.get("startTime"):
            w.write(LEVEL_0, "Start Time:\t%s\n", time_rfc1123z(status["startTime"]))
        if status.get("completionTime"):
            w.write(LEVEL_0, "Completed At:\t%s\n", time_rfc1123z(status["completionTime"]))
        if status.get("startTime") and status.get("completionTime"):
            w.write(LEVEL_0, "Duration:\t%s\n", human_duration(
                parse_rfc3339(status["completionTime"]) - parse_rfc3339(status["startTime"])))
        if spec.get("activeDeadlineSeconds") is not None:
            w.write(LEVEL_0, "Active Deadline Seconds:\t%ds\n", int(spec["activeDeadlineSeconds"]))
        active, succeeded, failed = (int(status.get(k) or 0) for k in ("active", "succeeded", "failed"))
        if status.get("ready") is None:
            w.write(LEVEL_0, "Pods Statuses:\t%d Active / %d Succeeded / %d Failed\n", active, succeeded, failed)
        else:
            w.write(LEVEL_0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed\n", active,
                    int(status["ready"]), succeeded, failed)
        if spec.get("completionMode") == "Indexed":
            w.write(LEVEL_0, "Completed Indexes:\t%s\n", cap_indexes_list_or_none(status.get("completedIndexes") or "", 50))
        describe_pod_template(spec.get("template"), w)
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
