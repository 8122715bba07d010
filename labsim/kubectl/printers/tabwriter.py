"""A port of Go's ``text/tabwriter`` (with ``github.com/liggitt/tabwriter``'s ``RememberWidths``).

kubectl aligns every table and describe page with it, so its rules decide every space kubectl
prints: a cell is text terminated by a tab; a column's width is ``max(minwidth, widest cell +
padding)`` over a *column block* (consecutive lines that have a cell in that column); the last cell
of a line is never padded; a line without tabs ends every block (Go flushes there). Widths count
runes, not bytes.

Settings used by kubectl:

* ``get``: minwidth 6, tabwidth 4, padding 3, RememberWidths (``cli-runtime printers/tabwriter.go``);
* ``describe``: minwidth 0, tabwidth 8, padding 2 (``kubectl/pkg/describe/describe.go``).
"""
from __future__ import annotations


class TabWriter:
    def __init__(self, minwidth: int = 6, tabwidth: int = 4, padding: int = 3, padchar: str = " ",
                 remember_widths: bool = False):
        self.minwidth = minwidth
        self.tabwidth = tabwidth
        self.padding = padding
        self.padchar = padchar
        self.remember_widths = remember_widths
        self.max_widths: list[int] = []
        self._buf = ""

    def write(self, text: str) -> None:
        self._buf += text

    def flush(self) -> str:
        """Format everything written so far and return it (a trailing partial line is kept as is)."""
        text, self._buf = self._buf, ""
        if not text:
            return ""
        lines = text.split("\n")
        trailing = lines.pop()  # text after the last newline (usually "")
        out: list[str] = []
        # Go flushes after every line that has a single cell; each flushed segment is formatted
        # on its own (remembered widths survive across segments).
        segment: list[list[str]] = []
        for line in lines:
            cells = line.split("\t")
            segment.append(cells)
            if len(cells) == 1:
                out.append(self._format_segment(segment))
                segment = []
        if segment:
            out.append(self._format_segment(segment))
        result = "".join(out)
        if trailing:
            result += trailing
        return result

    def _format_segment(self, lines: list[list[str]]) -> str:
        out: list[str] = []
        self._format(out, lines, 0, len(lines), [])
        return "".join(out)

    def _format(self, out: list[str], lines: list[list[str]], line0: int, line1: int, widths: list[int]) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            line = lines[this]
            if column >= len(line) - 1:
                this += 1
                continue
            self._write_lines(out, lines, line0, this, widths)
            line0 = this
            width = self.minwidth
            while this < line1:
                line = lines[this]
                if column >= len(line) - 1:
                    break
                w = len(line[column]) + self.padding
                if w > width:
                    width = w
                this += 1
            if self.remember_widths:
                if column < len(self.max_widths):
                    if self.max_widths[column] > width:
                        width = self.max_widths[column]
                    else:
                        self.max_widths[column] = width
                else:
                    while len(self.max_widths) < column:
                        self.max_widths.append(0)
                    self.max_widths.append(width)
            self._format(out, lines, line0, this, widths + [width])
            line0 = this
        self._write_lines(out, lines, line0, line1, widths)

    def _write_lines(self, out: list[str], lines: list[list[str]], line0: int, line1: int,
                     widths: list[int]) -> None:
        for i in range(line0, line1):
            cells = lines[i]
            parts = []
            for j, cell in enumerate(cells):
                if j < len(widths) and j < len(cells) - 1:
                    parts.append(cell + self.padchar * (widths[j] - len(cell)))
                elif j < len(cells) - 1:
                    parts.append(cell)
                else:
                    parts.append(cell)
            out.append("".join(parts) + "\n")


def align(text: str, **settings) -> str:
    """Format ``text`` (tab-separated cells, newline-terminated lines) in one go."""
    tw = TabWriter(**settings)
    tw.write(text)
    return tw.flush()


GET_SETTINGS = dict(minwidth=6, tabwidth=4, padding=3)
DESCRIBE_SETTINGS = dict(minwidth=0, tabwidth=8, padding=2)
