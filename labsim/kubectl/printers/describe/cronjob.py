"""``kubectl describe cronjob`` (kubernetes/kubectl@v0.32.4: pkg/describe/describe.go
``describeCronJob``, ``describeJobTemplate``, ``printActiveJobs``).

v1.32 has no ``Time Zone`` line (upstream added it in 2026, after v0.32)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_bool, print_labels_multiline, tabbed_string, time_rfc1123z,
)
from labsim.kubectl.printers.describe.pod import describe_pod_template
from labsim.kubectl.printers.describe.selectors import selector_string


def print_bool_ptr(v) -> str:
    """``printBoolPtr``: ``True``/``False``, ``<unset>`` for nil."""
    return "<unset>" if v is None else print_bool(v)


def describe(api, cj: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, cj) if show_events else None
    return describe_cron_job(cj, events, now)


def describe_job_template(template: dict | None, w) -> None:
    spec = (template or {}).get("spec") or {}
    if spec.get("selector") is not None:
        w.write(LEVEL_0, "Selector:\t%s\n", selector_string(spec["selector"]))
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    for label, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        if spec.get(key) is not None:
            w.write(LEVEL_0, "%s:\t%d\n", label, int(spec[key]))
        else:
            w.write(LEVEL_0, "%s:\t<unset>\n", label)
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, "Active Deadline Seconds:\t%ds\n", int(spec["activeDeadlineSeconds"]))
    describe_pod_template(spec.get("template") or {}, w)


def print_active_jobs(w, title: str, jobs: list | None) -> None:
    w.write(LEVEL_0, "%s:\t", title)
    if not jobs:
        w.write_line("<none>")
        return
    for i, job in enumerate(jobs):
        if i:
            w.write(LEVEL_0, ", ")
        w.write(LEVEL_0, "%s", job.get("name", ""))
    w.write_line("")


def describe_cron_job(cj: dict, events: list[dict] | None, now: float) -> str:
    md = cj.get("metadata") or {}
    spec = cj.get("spec") or {}
    status = cj.get("status") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", ""))
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        w.write(LEVEL_0, "Schedule:\t%s\n", spec.get("schedule", ""))
        w.write(LEVEL_0, "Concurrency Policy:\t%s\n", spec.get("concurrencyPolicy", "") or "")
        w.write(LEVEL_0, "Suspend:\t%s\n", print_bool_ptr(spec.get("suspend")))
        for label, key in (("Successful Job History Limit", "successfulJobsHistoryLimit"),
                           ("Failed Job History Limit", "failedJobsHistoryLimit")):
            if spec.get(key) is not None:
                w.write(LEVEL_0, "%s:\t%d\n", label, int(spec[key]))
            else:
                w.write(LEVEL_0, "%s:\t<unset>\n", label)
        if spec.get("startingDeadlineSeconds") is not None:
            w.write(LEVEL_0, "Starting Deadline Seconds:\t%ds\n", int(spec["startingDeadlineSeconds"]))
        else:
            w.write(LEVEL_0, "Starting Deadline Seconds:\t<unset>\n")
        describe_job_template(spec.get("jobTemplate"), w)
        if status.get("lastScheduleTime"):
            w.write(LEVEL_0, "Last Schedule Time:\t%s\n", time_rfc1123z(status["lastScheduleTime"]))
        else:
            w.write(LEVEL_0, "Last Schedule Time:\t<unset>\n")
        print_active_jobs(w, "Active Jobs", status.get("active"))
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
