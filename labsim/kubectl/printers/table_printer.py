"""kubectl's decoration of server tables (cli-runtime ``printers/tableprinter.go``).

The server sends every column; kubectl drops ``priority != 0`` ones unless wide, upper-cases the
headers, prepends ``NAMESPACE`` (``-A``), prefixes names with ``kind.group/`` (several kinds or
``--show-kind``), appends ``-L`` label columns then ``LABELS`` (``--show-labels``), and with
``--output-watch-events`` an ``EVENT`` column first whose cells are padded to 8 characters.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from labsim.api.labels import format_labels
from labsim.kubectl.printers.tables import TableDef, cell_text, row_cells, table_for

#: ``formattedEventType`` (tableprinter.go)
EVENT_TYPES = {"ADDED": "ADDED   ", "MODIFIED": "MODIFIED", "DELETED": "DELETED ", "ERROR": "ERROR   "}


@dataclass
class TableOptions:
    wide: bool = False
    no_headers: bool = False
    with_namespace: bool = False
    with_kind: bool = False
    kind_prefix: str = ""  # "deployment.apps"
    show_labels: bool = False
    label_columns: list[str] = field(default_factory=list)
    watch_events: bool = False


class TablePrinter:
    """Turns objects of one resource type into tab-separated lines (header first)."""

    def __init__(self, rt, opts: TableOptions):
        self.rt = rt
        self.opts = opts
        self.table: TableDef = table_for(rt.group, rt.kind)
        cols = self.table.columns
        self.keep = [i for i, c in enumerate(cols) if opts.wide or c.priority == 0]
        self.ncols = len(cols)
        # the column that holds the name ("Format: name"): the "Name" column
        self.name_index = next((i for i, c in enumerate(cols) if c.name == "Name"), None)
        self.with_namespace = opts.with_namespace and rt.namespaced

    def header(self) -> str:
        headers = []
        if self.opts.watch_events:
            headers.append("EVENT")
        if self.with_namespace:
            headers.append("NAMESPACE")
        cols = self.table.columns
        headers.extend(cols[i].name.upper() for i in self.keep)
        for key in self.opts.label_columns:
            headers.append(key.split("/")[-1].upper())
        if self.opts.show_labels:
            headers.append("LABELS")
        return "\t".join(headers) + "\n"

    def row(self, obj: dict, now: float, event: str | None = None) -> str:
        cells = row_cells(self.table, obj, now, self.opts.wide)
        out = []
        if self.opts.watch_events:
            out.append(EVENT_TYPES.get(event or "ADDED", event or ""))
        md = obj.get("metadata") or {}
        if self.with_namespace:
            out.append(md.get("namespace", ""))
        ni = self.name_index
        for i in self.keep:
            text = cell_text(cells[i] if i < len(cells) else None)
            if i == ni and self.opts.with_kind and self.opts.kind_prefix:
                text = f"{self.opts.kind_prefix}/{text}"
            out.append(text)
        if self.opts.label_columns or self.opts.show_labels:
            labels = md.get("labels") or {}
            for key in self.opts.label_columns:
                out.append(labels.get(key, ""))
            if self.opts.show_labels:
                out.append(format_labels(labels))
        return "\t".join(out) + "\n"

    def lines(self, objs: list[dict], now: float, header: bool = True) -> str:
        if not objs:
            return ""
        parts = [self.header()] if header and not self.opts.no_headers else []
        row = self.row
        parts.extend(row(o, now) for o in objs)
        return "".join(parts)
