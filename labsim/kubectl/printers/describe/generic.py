"""The generic describer kubectl uses for kinds without a specific one (kubernetes/kubectl:
pkg/describe/describe.go ``genericDescriber``, ``printUnstructuredContent``, ``smartLabelFor``;
github.com/fatih/camelcase ``Split``)."""
from __future__ import annotations

from labsim.kubectl.printers.describe.events import describe_events, events_for
from labsim.kubectl.printers.describe.layout import (
    LEVEL_0, print_annotations_multiline, print_labels_multiline, tabbed_string,
)

_SKIP = (".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
         ".metadata.annotations")
_ACRONYMS = ("API", "URL", "UID", "OSB", "GUID")


def _char_class(ch: str) -> int:
    if ch.islower():
        return 1
    if ch.isupper():
        return 2
    if ch.isdigit():
        return 3
    return 4


def camelcase_split(s: str) -> list[str]:
    """fatih/camelcase ``Split``: runs of one character class; an upper-case run followed by a
    lower-case run gives its last letter to that run (``PDFLoader`` -> ``PDF Loader``)."""
    runs: list[list[str]] = []
    last = 0
    for ch in s:
        cls = _char_class(ch)
        if cls == last and runs:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = cls
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1] and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(r) for r in runs if r]


def _title(word: str) -> str:
    """strings.Title: upper-case the first letter of every word (after a non-letter)."""
    out, prev_letter = [], False
    for ch in word:
        out.append(ch.upper() if not prev_letter and ch.isalpha() else ch)
        prev_letter = ch.isalpha() or ch.isdigit() or ch == "_"
    return "".join(out)


def smart_label_for(field: str) -> str:
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = []
    for part in camelcase_split(field):
        if part == "_":
            continue
        parts.append(part.upper() if part.upper() in _ACRONYMS else _title(part))
    return " ".join(parts)


def go_value(v) -> str:
    """``%v`` of a decoded JSON scalar."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return go_float(v)
    return str(v)


def go_float(v: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form when the decimal
    exponent is < -4 or >= 21 (fmt's %v threshold for the shortest representation)."""
    from decimal import Decimal

    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "+Inf" if v > 0 else "-Inf"
    d = Decimal(repr(v))
    exp = d.adjusted()
    if exp < -4 or exp >= 21:
        sign, digits, _ = d.as_tuple()
        digits = "".join(map(str, digits)).rstrip("0") or "0"
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{'-' if sign else ''}{mant}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def print_unstructured_content(w, level: int, content: dict, skip_prefix: str) -> None:
    for field in sorted(content):
        value = content[field]
        skip_expr = f"{skip_prefix}.{field}"
        if skip_expr in _SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, "%s:\n", smart_label_for(field))
            print_unstructured_content(w, level + 1, value, skip_expr)
        elif isinstance(value, list):
            w.write(level, "%s:\n", smart_label_for(field))
            for child in value:
                if isinstance(child, dict):
                    print_unstructured_content(w, level + 1, child, skip_expr)
                else:
                    w.write(level + 1, "%s\n", go_value(child))
        else:
            w.write(level, "%s:\t%s\n", smart_label_for(field), go_value(value))


def describe(api, obj: dict, now: float, show_events: bool = True) -> str:
    events = events_for(api, obj) if show_events else None
    md = obj.get("metadata") or {}

    def body(w):
        w.write(LEVEL_0, "Name:\t%s\n", md.get("name", ""))
        w.write(LEVEL_0, "Namespace:\t%s\n", md.get("namespace", "") or "")
        print_labels_multiline(w, "Labels", md.get("labels"))
        print_annotations_multiline(w, "Annotations", md.get("annotations"))
        print_unstructured_content(w, LEVEL_0, obj, "")
        if events is not None:
            describe_events(events, w, now)

    return tabbed_string(body)
