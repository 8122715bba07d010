"""Open ``kubectl get -w`` streams.

A watch prints its initial table when the command runs, then one row per change while simulated
time passes (``Cluster.advance``); it ends when the next command is typed in a script, or at the
end of the cell in a notebook. Each open stream is an object with ``drain() -> str`` (the rows
printed since the last drain) and ``stop()``, kept in ``cluster.watches``.

As kubectl does (``pkg/cmd/get/get.go`` ``watch``): one tabwriter with remembered widths lives for
the whole watch and is flushed after the initial list and after every event, so columns only
grow; ``--watch-only`` skips the initial rows (the header comes with the first event);
``--output-watch-events`` adds an ``EVENT`` column. The server filters the stream by namespace,
label selector and field selector (``get pod db -w`` is ``fieldSelector=metadata.name=db``): an
object that stops matching arrives as DELETED, one that starts matching as ADDED. A deleted object
prints its last state. Rows are computed at the event's simulated time.
"""
from __future__ import annotations

from labsim.api.store import ADDED, DELETED, MODIFIED, WatchEvent
from labsim.errors import KubectlError
from labsim.kubectl.printers import output
from labsim.kubectl.printers.tabwriter import GET_SETTINGS, TabWriter


def collect_watch_output(cluster) -> str:
    return "".join(w.drain() for w in list(cluster.watches))


def stop_watches_for_new_command(cluster) -> str:
    if not cluster.watches:
        return ""
    return cluster.stop_watches()


class Watch:
    """One ``kubectl get -w`` stream."""

    def __init__(self, cluster, rt, *, namespace: str | None, name: str | None, matches, render_event,
                 header: str, header_printed: bool):
        self.cluster = cluster
        self.rt = rt
        self.namespace = namespace
        self.name = name
        self.matches = matches  # fn(obj) -> bool: label and field selectors
        self.render_event = render_event  # fn(event_type, obj, now) -> str (one row, tab-separated)
        self.header = header
        self.header_printed = header_printed
        self.writer = TabWriter(**GET_SETTINGS, remember_widths=True)
        self._pending: list[str] = []
        self._stop = cluster.store.watch(self._on_event, rt)
        self.stopped = False

    def initial(self, text: str) -> str:
        """Format the initial list with the watch's writer (widths are remembered from here)."""
        self.writer.write(text)
        return self.writer.flush()

    def _in_scope(self, obj: dict | None) -> bool:
        if obj is None:
            return False
        md = obj.get("metadata") or {}
        if self.namespace is not None and self.rt.namespaced and md.get("namespace") != self.namespace:
            return False
        if self.name is not None and md.get("name") != self.name:
            return False
        return self.matches(obj)

    def _on_event(self, ev: WatchEvent) -> None:
        if self.stopped:
            return
        now_in = self._in_scope(ev.object)
        if ev.type == DELETED:
            if not self._in_scope(ev.old if ev.old is not None else ev.object) and not now_in:
                return
            etype = DELETED
        else:
            was_in = self._in_scope(ev.old) if ev.old is not None else False
            if now_in and was_in:
                etype = MODIFIED
            elif now_in:
                etype = ADDED
            elif was_in:
                etype = DELETED  # the watch cache sends an object that stops matching as deleted
            else:
                return
        text = self.render_event(etype, ev.object, ev.time)
        if not self.header_printed and self.header:
            text = self.header + text
            self.header_printed = True
        self.writer.write(text)
        self._pending.append(self.writer.flush())

    def drain(self) -> str:
        out = "".join(self._pending)
        self._pending.clear()
        return out

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self._stop()


def start_watch(inv, spec) -> None:
    """``get -w`` / ``--watch-only``: print the initial state and register the stream."""
    from labsim.kubectl import resource
    from labsim.kubectl.commands.get import list_objects
    from labsim.kubectl.printers.custom_columns import row as custom_row
    from labsim.kubectl.printers.table_printer import TableOptions, TablePrinter
    from labsim.api import fields as fieldsel
    from labsim.api import labels as labelsel

    opts = inv.opts
    if opts.get("filename"):
        manifests = resource.read_manifests(inv, opts.get("filename"), bool(opts.get("recursive")))
        args_sel = [(m.rt, [(m.obj.get("metadata") or {}).get("name", "")]) for m in manifests if m.rt]
    else:
        args_sel = resource.parse_resource_args(inv.args).selections
    types = []
    for rt, _ in args_sel:
        if rt not in types:
            types.append(rt)
    n_items = sum(max(1, len(names)) for _, names in args_sel)
    if len(types) > 1:
        raise KubectlError(f"watch is only supported on individual resources and resource collections, "
                           f"but {len(types)} resource types were found")
    rt, names = args_sel[0]
    if len(names) > 1:
        raise KubectlError(f"watch is only supported on individual resources and resource collections, but "
                           f"{n_items} resources were found")
    all_ns = bool(opts.get("all-namespaces"))
    namespace = None if all_ns else inv.namespace
    label_sel = opts.get("selector") or ""
    field_sel = opts.get("field-selector") or ""
    name = names[0] if names else None
    watch_only = bool(opts.get("watch-only"))
    events = bool(opts.get("output-watch-events"))
    if name is not None:
        initial_objs = [inv.api.get(rt, inv.namespace, name)]
    else:
        initial_objs = list_objects(inv, rt, namespace, label_sel, field_sel)
    lsel = labelsel.parse(label_sel) if label_sel else None
    fsel = fieldsel.compile(field_sel, rt.group, rt.kind) if field_sel else None

    def matches(obj: dict) -> bool:
        if lsel is not None and not lsel.matches((obj.get("metadata") or {}).get("labels")):
            return False
        if fsel is not None and not fsel.matches(obj):
            return False
        return True

    show_managed = bool(opts.get("show-managed-fields"))
    header = ""
    if spec.human:
        topts = TableOptions(wide=spec.wide, no_headers=bool(opts.get("no-headers")), with_namespace=all_ns,
                             with_kind=bool(opts.get("show-kind")), kind_prefix=rt.kind_group,
                             show_labels=bool(opts.get("show-labels")),
                             label_columns=list(opts.get("label-columns") or []), watch_events=events)
        printer = TablePrinter(rt, topts)
        header = "" if topts.no_headers else printer.header()

        def render(etype: str, obj: dict, now: float) -> str:
            return printer.row(obj, now, etype)
    elif spec.columns is not None:
        header = "" if opts.get("no-headers") else "\t".join(c.header for c in spec.columns) + "\n"

        def render(etype: str, obj: dict, now: float) -> str:
            return "\t".join(custom_row(spec.columns, obj)) + "\n"
    else:
        count = [0]

        def render(etype: str, obj: dict, now: float) -> str:
            if events:
                obj = {"object": obj, "type": etype}
            if spec.format == "name":
                return output.name_line(rt, obj.get("object", obj) if events else obj) + "\n"
            if spec.format == "yaml":
                count[0] += 1
                text = spec.print_object(obj, show_managed)
                return ("---\n" + text) if count[0] > 1 else text
            return spec.print_object(obj, show_managed)

    w = Watch(inv.cluster, rt, namespace=None if all_ns else inv.namespace, name=name, matches=matches,
              render_event=render, header=header, header_printed=False)
    text = ""
    if not watch_only and initial_objs:
        text = "".join(render(ADDED, o, inv.now) for o in initial_objs)
        if header:
            text = header + text
            w.header_printed = True
    inv.out(w.initial(text))
    inv.cluster.watches.append(w)
