"""The describe layout engine: kubectl's ``PrefixWriter`` over a Go ``text/tabwriter``.

kubernetes/kubectl: pkg/describe/describe.go (``prefixWriter``, ``nestedPrefixWriter``,
``tabbedString``). Every describer writes lines with ``w.write(LEVEL_n, "Name:\\t%s\\n", ...)``:
level n prefixes 2n spaces, ``\\t`` separates alignment cells, and the whole text goes through a
tabwriter with minwidth 0, tabwidth 8, padding 2. ``flush()`` ends every alignment block (the
Events table calls it before its header, so its columns never align with the lines above).

Shared building blocks live here too (labels, annotations, taints, tolerations, controller,
RFC1123Z times, ``translateTimestampSince``), because every per-kind describer uses them.
"""
from __future__ import annotations

from typing import Any, Callable

from labsim.clock import parse_rfc3339, rfc1123z
from labsim.kubectl.printers.age import human_duration
from labsim.kubectl.printers.tabwriter import DESCRIBE_SETTINGS, TabWriter

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = 0, 1, 2, 3, 4

#: annotations describe never prints (corev1.LastAppliedConfigAnnotation)
SKIP_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})
#: printAnnotationsMultiline: longer ``key: value`` pairs are printed on their own lines
MAX_ANNOTATION_LEN = 140


def escape_terminal(text: str) -> str:
    """cli-runtime printers/terminal.go ``WriteEscaped``: ESC -> ``^[``, CR -> ``\\r``."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")


class PrefixWriter:
    """``prefixWriter`` writing into a describe tabwriter; ``text()`` is ``tabbedString``'s result."""

    def __init__(self) -> None:
        self._tw = TabWriter(**DESCRIBE_SETTINGS)
        self._out: list[str] = []

    def write(self, level: int, fmt: str, *args: Any) -> None:
        text = ("  " * level) + (fmt % args if args else fmt)
        self._tw.write(escape_terminal(text))

    def write_line(self, *parts: Any) -> None:
        """``WriteLine``: fmt.Sprintln (space-joined, newline), no indentation."""
        self._tw.write(escape_terminal(" ".join(str(p) for p in parts) + "\n"))

    def flush(self) -> None:
        self._out.append(self._tw.flush())

    def text(self) -> str:
        self.flush()
        return "".join(self._out)


class NestedPrefixWriter:
    """``nestedPrefixWriter``: adds ``indent`` levels to everything written through it."""

    def __init__(self, out: PrefixWriter, indent: int):
        self.out = out
        self.indent = indent

    def write(self, level: int, fmt: str, *args: Any) -> None:
        self.out.write(level + self.indent, fmt, *args)

    def write_line(self, *parts: Any) -> None:
        self.out.write(self.indent, "%s", " ".join(str(p) for p in parts) + "\n")

    def flush(self) -> None:
        self.out.flush()


def tabbed_string(fn: Callable[[PrefixWriter], None]) -> str:
    w = PrefixWriter()
    fn(w)
    return w.text()


# -- times -------------------------------------------------------------------------------------

def time_rfc1123z(ts: str | None) -> str:
    """``t.Format(time.RFC1123Z)`` of a stored timestamp; a zero time prints Go's zero date."""
    if not ts:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    return rfc1123z(parse_rfc3339(ts))


def translate_timestamp_since(ts: str | None, now: float) -> str:
    """``translateTimestampSince``: ``<unknown>`` for a zero time, else HumanDuration(now - t)."""
    if not ts:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(ts))


# -- Go value formatting -------------------------------------------------------------------------

def go_bool(v: Any) -> str:
    return "true" if v else "false"


def go_list(items: list[Any] | None) -> str:
    """``fmt.Sprintf("%v", []string{...})``: ``[a b c]``."""
    return "[" + " ".join(str(i) for i in (items or [])) + "]"


def print_bool(v: Any) -> str:
    return "True" if v else "False"


def string_or_none(s: str) -> str:
    return s if s else "<none>"


# -- shared blocks -----------------------------------------------------------------------------

def print_labels_multiline(w, title: str, labels: dict | None, initial_indent: str = "",
                           inner_indent: str = "\t", skip: frozenset = frozenset()) -> None:
    """``printLabelsMultilineWithIndent``: first label after the title, the rest aligned under it."""
    w.write(LEVEL_0, "%s%s:%s", initial_indent, title, inner_indent)
    keys = sorted(k for k in (labels or {}) if k not in skip)
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, "%s", initial_indent)
            w.write(LEVEL_0, "%s", inner_indent)
        w.write(LEVEL_0, "%s=%s\n", key, labels[key])


def _shorten(s: str, max_length: int) -> str:
    # Go slices bytes; for ASCII values (the common case) bytes are characters
    b = s.encode()
    if len(b) > max_length:
        return b[:max_length].decode(errors="ignore") + "..."
    return s


def print_annotations_multiline(w, title: str, annotations: dict | None) -> None:
    """``printAnnotationsMultiline``: sorted, last-applied-configuration skipped, long or
    multi-line values on their own lines (cut at 138 bytes + ``...``)."""
    w.write(LEVEL_0, "%s:\t", title)
    keys = sorted(k for k in (annotations or {}) if k not in SKIP_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, indent)
        value = annotations[key]
        if value.endswith("\n"):
            value = value[:-1]
        if len(value.encode()) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, "%s:\n", key)
            for s in value.split("\n"):
                w.write(LEVEL_0, "%s  %s\n", indent, _shorten(s, MAX_ANNOTATION_LEN - 2))
        else:
            w.write(LEVEL_0, "%s: %s\n", key, value)


def taint_string(t: dict) -> str:
    """``Taint.ToString``: ``key[=value]:Effect``."""
    s = t.get("key", "")
    if t.get("value"):
        s += "=" + t["value"]
    return s + ":" + t.get("effect", "")


def print_taints_multiline(w, title: str, taints: list | None, initial_indent: str = "",
                           inner_indent: str = "\t") -> None:
    w.write(LEVEL_0, "%s%s:%s", initial_indent, title, inner_indent)
    if not taints:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(taints, key=lambda t: t.get("effect", "") + "," + t.get("key", ""))):
        if i:
            w.write(LEVEL_0, "%s", initial_indent)
            w.write(LEVEL_0, "%s", inner_indent)
        w.write(LEVEL_0, "%s\n", taint_string(t))


def print_tolerations_multiline(w, title: str, tolerations: list | None, initial_indent: str = "",
                                inner_indent: str = "\t") -> None:
    """``printTolerationsMultilineWithIndent``: ``key[=value][:Effect][ op=Exists][ for Ns]``."""
    w.write(LEVEL_0, "%s%s:%s", initial_indent, title, inner_indent)
    if not tolerations:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(LEVEL_0, "%s", initial_indent)
            w.write(LEVEL_0, "%s", inner_indent)
        key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
        w.write(LEVEL_0, "%s", key)
        if value:
            w.write(LEVEL_0, "=%s", value)
        if effect:
            w.write(LEVEL_0, ":%s", effect)
        if t.get("operator") == "Exists" and not value:
            w.write(LEVEL_0, " op=Exists" if (key or effect) else "op=Exists")
        if t.get("tolerationSeconds") is not None:
            w.write(LEVEL_0, " for %ds", int(t["tolerationSeconds"]))
        w.write(LEVEL_0, "\n")


def controlled_by(obj: dict) -> str:
    """``printController``: ``Kind/name`` of the controller ownerReference, or ``""``."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def sorted_resource_names(resources: dict | None) -> list[str]:
    return sorted(resources or {})
