"""Where a shell command's output goes: the container log, a buffer, a file, or nowhere.

Caps (documented limits, so that a runaway script cannot grow memory without bound):
- a file written through redirections stops growing at :data:`FILE_CAP` bytes (further writes
  are dropped silently, as if the writes went to a full disk that does not report errors);
- a buffer (command substitution, exec output, pipes) keeps at most :data:`BUFFER_CAP` characters;
- a log sink emits each complete line through ``ctx.log`` (the kubelet rotates/caps logs) and
  holds at most :data:`BUFFER_CAP` characters of an unfinished line.
"""
from __future__ import annotations

import posixpath

FILE_CAP = 1 << 20
BUFFER_CAP = 1 << 20


class Sink:
    def write(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def flush(self) -> None:
        pass


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


class BufferSink(Sink):
    def __init__(self, cap: int = BUFFER_CAP):
        self.parts: list[str] = []
        self.size = 0
        self.cap = cap

    def write(self, text: str) -> None:
        if self.size >= self.cap or not text:
            return
        text = text[: self.cap - self.size]
        self.parts.append(text)
        self.size += len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


class TeeSink(Sink):
    """Writes to two sinks (``2>&1`` of an exec: stdout and the combined output)."""

    def __init__(self, *sinks: Sink):
        self.sinks = sinks

    def write(self, text: str) -> None:
        for s in self.sinks:
            s.write(text)


class LogSink(Sink):
    """The container's stdout/stderr: one ``ctx.log(line, stream)`` per complete line, stamped by
    the kubelet with the time it is written."""

    def __init__(self, ctx, stream: str):
        self.ctx = ctx
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> None:
        if not text:
            return
        data = self.pending + text
        lines = data.split("\n")
        self.pending = lines.pop()[:BUFFER_CAP]
        for line in lines:
            self.ctx.log(line, self.stream)

    def flush(self) -> None:
        if self.pending:
            line, self.pending = self.pending, ""
            self.ctx.log(line, self.stream)


class FileSink(Sink):
    """A file opened by ``>`` or ``>>``: every write appends to the container filesystem at once
    (so another exec sees the file grow while a loop writes it)."""

    def __init__(self, fs, path: str, sizes: dict):
        self.fs = fs
        self.path = path
        self.sizes = sizes

    def write(self, text: str) -> None:
        if not text:
            return
        size = self.sizes.get(self.path)
        if size is None:
            try:
                size = len(self.fs.read(self.path))
            except (OSError, ValueError):
                size = 0
        if size >= FILE_CAP:
            self.sizes[self.path] = size
            return
        text = text[: FILE_CAP - size]
        try:
            self.fs.write(self.path, text, append=True)
        except (OSError, ValueError):
            return
        self.sizes[self.path] = size + len(text)


def normpath(cwd: str, path: str) -> str:
    if not path.startswith("/"):
        path = posixpath.join(cwd or "/", path)
    p = posixpath.normpath(path)
    if p.startswith("//"):
        p = "/" + p.lstrip("/")
    return p
