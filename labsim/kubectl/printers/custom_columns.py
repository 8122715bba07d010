"""``-o custom-columns=HEADER:PATH,...`` and ``-o custom-columns-file=FILE``
(cli-runtime ``printers/customcolumn.go``).

Each column is a relaxed JSONPath (``.metadata.name``, ``metadata.name`` or ``{.metadata.name}``)
evaluated with missing keys allowed; several values are joined by ``,`` and printed with Go's
``%v``; nothing found prints ``<none>``. Rows go through the ``get`` tabwriter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from labsim.errors import KubectlError
from labsim.kubectl.printers.jsonpath import JSONPath, JSONPathError, go_v, relaxed_jsonpath_expression, INVALID


@dataclass
class CustomColumn:
    header: str
    field_spec: str
    parser: JSONPath


def _column(header: str, path: str) -> CustomColumn:
    try:
        spec = relaxed_jsonpath_expression(path)
        parser = JSONPath.parse(spec, allow_missing_keys=True)
    except JSONPathError as e:
        raise KubectlError(str(e)) from None
    return CustomColumn(header, spec, parser)


def columns_from_spec(spec: str) -> list[CustomColumn]:
    """``NewCustomColumnsPrinterFromSpec``."""
    if not spec:
        raise KubectlError("custom-columns format specified but no custom columns given")
    cols = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise KubectlError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        cols.append(_column(header, path))
    return cols


_MSG_FORMAT = "Expected format is one line of space separated headers, one line of space separated column specs."


def columns_from_template(text: str) -> list[CustomColumn]:
    """``NewCustomColumnsPrinterFromTemplate``: a header line and a path line, whitespace separated."""
    lines = text.split("\n")
    if not lines or (len(lines) == 1 and lines[0] == ""):
        raise KubectlError(f"invalid template, missing header line. {_MSG_FORMAT}")
    headers = lines[0].split()
    if len(lines) < 2 or (len(lines) == 2 and lines[1] == "" and not text.endswith("\n\n")):
        raise KubectlError(f"invalid template, missing spec line. {_MSG_FORMAT}")
    specs = lines[1].split()
    if len(headers) != len(specs):
        raise KubectlError(f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match")
    return [_column(h, s) for h, s in zip(headers, specs)]


def row(columns: list[CustomColumn], obj: dict) -> list[str]:
    """The cells of one object (``printOneObject``)."""
    cells = []
    for col in columns:
        try:
            values = col.parser.find_results(obj)
        except JSONPathError as e:
            raise KubectlError(str(e)) from None
        strings = []
        if not values or not values[0]:
            strings.append("<none>")
        for arr in values:
            for v in arr:
                strings.append("<nil>" if v is INVALID else go_v(v))
        cells.append(",".join(strings))
    return cells


_WS = re.compile(r"\s+")
