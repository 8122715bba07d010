"""What kubectl does to a manifest file before anything is sent to the API server.

``load_documents(text, source)`` reproduces kubectl v1.32's client side of ``-f FILE``
(``k8s.io/cli-runtime/pkg/resource`` ``FileVisitor``/``StreamVisitor``,
``k8s.io/apimachinery/pkg/util/yaml`` ``YAMLOrJSONDecoder``, ``sigs.k8s.io/yaml`` over its go-yaml
v2 fork) and returns one :class:`Document` per non-empty document, in order::

    bytes --(UTF-8 / UTF-16 BOM, invalid bytes -> U+FFFD, CRLF -> LF)--> text
      '{' first?  JSON stream (json.Decoder)      else  YAML documents split on '---' lines
      each YAML document: byte scan (depth) -> libyaml events -> go-yaml v2 values
                          (YAML 1.1 scalars, aliases counted as go-yaml counts them) -> JSON values
      empty / null documents are skipped
      validation (default): apiVersion/kind set and strings     -> fatal: the stream stops
      unstructured decode: object, kind, metadataOnlyObject types -> error for that document only

Texts are kubectl's (errors.md §6-§8), for example
``error parsing pod.yaml: error converting YAML to JSON: yaml: line 8: mapping values are not
allowed in this context`` or ``unable to decode "x.yaml": json: cannot unmarshal array into Go
struct field ObjectMeta.metadata.labels of type map[string]string``.

Hostile input (reliability.md C1/C2): checked on the text before libyaml sees it, so nothing can
crash or hang the interpreter.

* Nesting deeper than :data:`MAX_DEPTH` (64 levels of block indentation plus flow brackets, and
  64 levels of nesting built through aliases) is refused with go-yaml's text ``yaml: exceeded max
  depth of 64``; go-yaml's own limit is 10,000 and input beyond it gets go-yaml's exact
  ``exceeded max depth of 10000``. Real manifests nest under ~25 levels (CRD schemas included);
  libyaml in PyYAML segfaults near 25,000 and Python's recursion ends near 1,000.
* Aliases are counted exactly as the sigs.k8s.io/yaml go-yaml fork counts decodes
  (``aliasCount > 100 && decodeCount > 1000`` and the 99%→10% ratio): ``yaml: document contains
  excessive aliasing``. Aliased values are shared, never copied, so a bomb is refused before it
  is expanded.
* A document over 3 MiB is not parsed: its request body would exceed the API server's
  ``MaxRequestBodyBytes`` and the server answers 413 ``Request entity too large: limit is
  3145728`` (kubectl itself has no limit); the document carries that StatusError.
* More than :data:`MAX_DOCUMENTS` non-empty documents in one file, or a document of more than
  :data:`MAX_NODES` lines and flow items, are refused (labsim limits, checked before parsing).
* Only events are read from libyaml; tags never construct Python objects (go-yaml ignores unknown
  tags: ``!!python/object:x v`` is the string ``v``).
"""
from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass
from typing import Any

import yaml

from labsim import errors
from labsim.errors import KubectlError, StatusError

try:  # libyaml: ~8x faster than the pure-Python parser (performance.md)
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

__all__ = ["Document", "load_documents", "MAX_DEPTH", "MAX_DOCUMENTS", "MAX_NODES", "MAX_DOCUMENT_BYTES", "go_json_marshal",
           "validation_error", "unstructured_error"]

#: labsim's nesting limit (block indentation levels + flow brackets; see the module docstring).
MAX_DEPTH = 64
#: go-yaml's ``max_flow_level`` and ``max_indents``.
GO_YAML_MAX_DEPTH = 10000
#: labsim's limit on non-empty documents in one file.
MAX_DOCUMENTS = 1000
#: labsim's limit on the size of one YAML document, in lines plus flow-collection commas (a cheap
#: upper bound of its node count, taken before parsing): decoding costs ~5 µs per node in Python.
MAX_NODES = 100_000
#: ``MaxRequestBodyBytes`` of the API server (a larger document cannot be sent).
MAX_DOCUMENT_BYTES = 3 * 1024 * 1024

_VALIDATE_SUFFIX = "; if you choose to ignore these errors, turn validation off with --validate=false"


@dataclass
class Document:
    """One document of a file: its decoded object, or the error kubectl reports for it.

    ``fatal`` errors end the file (kubectl's stream visitor stops: parse and validation errors);
    other errors concern this document only. ``error`` is a :class:`KubectlError` (printed
    ``error: ...``) or, for an oversized document, the server's :class:`StatusError`."""

    source: str
    index: int
    obj: Any = None
    error: Exception | None = None
    fatal: bool = False
    #: the JSON text kubectl holds for the document (raw for JSON files, re-encoded for YAML)
    raw_json: str = ""


# -- input normalisation (FileVisitor: BOMOverride(UTF8 decoder)) ------------------------------

def _to_text(data: str | bytes) -> str:
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogateescape")
    else:
        raw = bytes(data)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", "replace")
    elif raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    text = raw.decode("utf-8", "surrogateescape")
    if _ESCAPED_BYTE.search(text):
        # each invalid byte becomes U+FFFD, as x/text's UTF-8 decoder does
        text = _ESCAPED_BYTE.sub("\ufffd", text)
    return text


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


# -- Go's JSON encoding -----------------------------------------------------------------------

def _go_float_json(v: float) -> str:
    from labsim.api.schema import go_json_number

    return go_json_number(v)


def go_json_marshal(v: Any) -> str:
    """``json.Marshal`` of JSON-shaped data: compact, map keys sorted, ``<``, ``>``, ``&``,
    U+2028 and U+2029 escaped, floats as Go writes them (``1.5e-7``, ``1e+21``)."""
    floats: list[str] = []
    s = json.dumps(_mark_floats(v, floats), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    s = (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
         .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    if floats:
        s = _FLOAT_MARK.sub(lambda m: floats[int(m.group(1))], s)
    return s


_FLOAT_MARK = re.compile('"\\\\u0000F(\\d+)\\\\u0000"')


def _mark_floats(v: Any, floats: list[str]) -> Any:
    if isinstance(v, float):
        floats.append(_go_float_json(v))
        return f"\x00F{len(floats) - 1}\x00"
    if isinstance(v, dict):
        return {k: _mark_floats(x, floats) for k, x in v.items()}
    if isinstance(v, list):
        return [_mark_floats(x, floats) for x in v]
    return v


def _normalize_number(v: Any) -> Any:
    """kubectl re-encodes numbers through Go's float64/int64: ``1.0`` is sent as ``1``."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        if -2**63 <= v < 2**63:
            return v
        f = float(v)
        return int(f) if abs(f) < 1e21 else f
    if isinstance(v, float) and v == v and abs(v) < 1e21 and v == int(v):
        return int(v)
    return v


# -- document splitting (apimachinery util/yaml YAMLReader) -----------------------------------

def _split_yaml(text: str) -> tuple[list[str], str | None]:
    """Documents as kubectl's YAMLReader cuts them (lines starting ``---``); the error text for a
    bad separator line ends the list."""
    docs: list[str] = []
    buf: list[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]  # bufio.Reader.ReadLine drops "\r\n"
        if line.startswith("---"):
            trimmed = line[3:].strip(" \t\n\r\v\f\x85\xa0")
            if trimmed and trimmed[0] != "#":
                # YAMLReader.Read returns the error instead of the document it was reading
                return docs, f"invalid Yaml document separator: {trimmed}"
            if buf:
                docs.append("".join(buf))
                buf = []
            continue
        buf.append(line + "\n")
    if buf:
        docs.append("".join(buf))
    return docs, None


_BLANK_OR_COMMENT = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:#[^\n]*)?\Z")


# -- byte-level depth scan ----------------------------------------------------------------------

class _DepthError(Exception):
    def __init__(self, limit: int, line: int):
        super().__init__(limit)
        self.limit = limit
        self.line = line  # 0-based


def _scan_depth(doc: str, limit: int) -> None:
    """Raise :class:`_DepthError` when block indentation levels plus flow brackets exceed
    ``limit`` (a conservative reading of the YAML scanner's indent stack and flow level)."""
    indents: list[int] = []
    flow = 0
    quote = ""
    block_parent = -1  # inside a block scalar: lines indented more than this are content
    for lineno, line in enumerate(doc.split("\n")):
        stripped = line.lstrip(" ")
        col = len(line) - len(stripped)
        if block_parent >= 0:
            if not stripped.strip() or col > block_parent:
                continue
            block_parent = -1
        pos = col
        if not quote and flow == 0:
            if not stripped or stripped[0] == "#":
                continue
            while indents and indents[-1] > col:
                indents.pop()
            if not indents or indents[-1] < col:
                indents.append(col)
            # compact nesting on one line: "- - a", "- key: v"
            while stripped[pos - col:pos - col + 2] in ("- ", "-") and stripped[pos - col:pos - col + 1] == "-":
                pos += 2
                while pos < len(line) and line[pos] == " ":
                    pos += 1
                indents.append(pos)
            if len(indents) > limit:
                raise _DepthError(limit, lineno)
        n = len(line)
        i = pos
        while i < n:
            if quote:
                if quote == '"':
                    m = _DQ_END.search(line, i)
                    if m is None:
                        i = n
                        break
                    if m.group() == "\\":
                        i = m.end() + 1
                        continue
                    quote = ""
                    i = m.end()
                    continue
                k = line.find("'", i)
                if k < 0:
                    i = n
                    break
                if k + 1 < n and line[k + 1] == "'":
                    i = k + 2
                    continue
                quote = ""
                i = k + 1
                continue
            m = _INTERESTING.search(line, i)
            if m is None:
                break
            i = m.start()
            c = line[i]
            start = _token_start(line, i, pos, flow)
            if c == "#":
                if i == 0 or line[i - 1] in " \t":
                    break
            elif c in "[{":
                if flow > 0 or start:
                    flow += 1
                    if flow + len(indents) > limit or flow > limit:
                        raise _DepthError(limit, lineno)
            elif c in "]}":
                if flow > 0:
                    flow -= 1
            elif c in "\"'":
                if start:
                    quote = c
            elif c in "|>":
                if start and flow == 0:
                    block_parent = col
                    break
            i += 1


_INTERESTING = re.compile(r"[\[\]{}\"'#|>]")
_DQ_END = re.compile(r'["\\]')


def _token_start(line: str, i: int, content_start: int, flow: int) -> bool:
    """Whether ``line[i]`` begins a token: after an indicator (``: ``, ``- ``, ``? ``, and in flow
    context ``[``, ``{``, ``,``, ``:``) or at the start of the line's content."""
    p = i - 1
    while p >= content_start and line[p] in " \t":
        p -= 1
    if p < content_start:
        return True
    c = line[p]
    if c in "[{," and flow > 0:
        return True
    if c in "[{" and flow == 0:
        return True
    if c == ":" and (flow > 0 or p + 1 < i):
        return True
    if c in "-?" and p + 1 < i and (p == content_start or line[p - 1] in " \t"):
        return True
    return False


# -- go-yaml v2 scalar resolution (sigs.k8s.io/yaml goyaml.v2/resolve.go) -----------------------

_BOOL_NULL = {}
for _v, _words in ((True, "y Y yes Yes YES true True TRUE on On ON"), (False, "n N no No NO false False FALSE off Off OFF")):
    for _w in _words.split():
        _BOOL_NULL[_w] = _v
_NULLS = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOATS = {".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan, ".inf": math.inf, ".Inf": math.inf,
                   ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
                   "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf}
_GO_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_GO_UINT = re.compile(r"(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_GO_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)\Z", re.I)
_TS = re.compile(r"[0-9]{4}-")
_TAG = "tag:yaml.org,2002:"
_RESOLVABLE = {None, "", _TAG + "str", _TAG + "bool", _TAG + "int", _TAG + "float", _TAG + "null",
               _TAG + "timestamp"}


def _go_parse_int(s: str) -> int | None:
    if not _GO_INT.match(s):
        return None
    sign = -1 if s[0] == "-" else 1
    body = s.lstrip("+-")
    low = body.lower()
    if low.startswith("0x"):
        v = int(body[2:], 16)
    elif low.startswith("0o"):
        v = int(body[2:], 8)
    elif low.startswith("0b"):
        v = int(body[2:], 2)
    elif len(body) > 1 and body[0] == "0":
        v = int(body[1:], 8)
    else:
        v = int(body)
    v *= sign
    return v if -2**63 <= v < 2**63 else None


def _go_parse_uint(s: str) -> int | None:
    if not _GO_UINT.match(s):
        return None
    v = _go_parse_int(s)
    if v is not None:
        return v
    low = s.lower()
    base = 16 if low.startswith("0x") else 8 if low.startswith("0o") else 2 if low.startswith("0b") else \
        8 if len(s) > 1 and s[0] == "0" else 10
    v = int(s[2:] if base in (16, 2) or low.startswith("0o") else s, base)
    return v if v < 2**64 else None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _YAMLDecodeError(Exception):
    """A go-yaml decode-phase error (reported after the whole document parsed)."""


def _resolve(tag: str | None, value: str) -> Any:
    """go-yaml v2 ``resolve``: the value of a scalar with ``tag`` ("" for a plain scalar)."""
    if tag not in _RESOLVABLE:
        return value  # unknown tags (!!python/object, !foo) are ignored: the text stays a string
    rtag, out = _TAG + "str", value
    if tag != _TAG + "str":
        hint = value[:1]
        if value in _BOOL_NULL:
            rtag, out = _TAG + "bool", _BOOL_NULL[value]
        elif value in _NULLS:
            rtag, out = _TAG + "null", None
        elif value in _SPECIAL_FLOATS:
            rtag, out = _TAG + "float", _SPECIAL_FLOATS[value]
        elif value == "<<":
            rtag, out = _TAG + "merge", "<<"
        elif hint == ".":
            if _GO_FLOAT.match(value) and not value.lstrip("+-").lower().startswith(("inf", "nan")):
                rtag, out = _TAG + "float", float(value)
        elif hint and hint in "+-0123456789":
            if (tag in ("", _TAG + "timestamp") and _TS.match(value)) and _looks_like_timestamp(value):
                rtag, out = _TAG + "timestamp", value  # decoded into interface{}: kept as the string
            else:
                plain = value.replace("_", "")
                iv = _go_parse_int(plain)
                if iv is not None:
                    rtag, out = _TAG + "int", iv
                else:
                    uv = _go_parse_uint(plain)
                    if uv is not None:
                        rtag, out = _TAG + "int", uv
                    elif _YAML_FLOAT.match(plain):
                        rtag, out = _TAG + "float", float(plain)
    if tag in ("", None, rtag, _TAG + "str"):
        return out
    if tag == _TAG + "float" and rtag == _TAG + "int":
        return float(out)
    raise _YAMLDecodeError(f"cannot decode {_short_tag(rtag)} `{value}` as a {_short_tag(tag)}")


_TS_FORMS = (re.compile(r"\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z"),
             re.compile(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?\Z"),
             re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z"))


def _looks_like_timestamp(s: str) -> bool:
    return any(f.match(s) for f in _TS_FORMS)


def _float32_key(v: float) -> str:
    """``strconv.FormatFloat(k, 'g', -1, 32)`` for a float map key (sigs.k8s.io/yaml)."""
    if v != v:
        return ".nan"
    if v in (math.inf, -math.inf):
        return ".inf" if v > 0 else "-.inf"
    f32 = struct.unpack("f", struct.pack("f", v))[0]
    if f32 == 0:
        return "0"
    for p in range(1, 10):
        s = f"{f32:.{p - 1}e}"
        if struct.unpack("f", struct.pack("f", float(s)))[0] == f32:
            break
    mant, exp_s = s.split("e")
    exp = int(exp_s)
    neg = mant.startswith("-")
    digits = mant.lstrip("-").replace(".", "").rstrip("0") or "0"
    sign = "-" if neg else ""
    if exp < -4 or exp >= 21 or exp >= max(len(digits), 6) and exp >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    dp = exp + 1
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _key_string(k: Any, v: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        return _float32_key(k)
    if k is None:
        raise _YAMLDecodeError("\x00unsupported map key of type: %!s(<nil>), key: <nil>, value: " + _go_sharp_v(v))
    raise _YAMLDecodeError(f"invalid map key: {_go_sharp_v(k)}")


def _go_sharp_v(v: Any) -> str:
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "interface {}(nil)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dict):
        return "map[interface {}]interface {}{...}"
    return "[]interface {}{...}"


# -- go-yaml v2 decoding from libyaml events ---------------------------------------------------

class _ParseError(Exception):
    """A go-yaml parse-phase error: its full ``yaml: ...`` text."""


def _allowed_alias_ratio(decode_count: int) -> float:
    if decode_count <= 400000:
        return 0.99
    if decode_count >= 4000000:
        return 0.10
    return 0.99 - 0.89 * (decode_count - 400000) / 3600000


class _Frame:
    __slots__ = ("is_map", "value", "anchor", "size", "depth", "key", "has_key", "key_size", "merge")

    def __init__(self, is_map: bool, anchor: str | None):
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.anchor = anchor
        self.size = 1
        self.depth = 1
        self.key: Any = None
        self.has_key = False
        self.key_size = 0
        self.merge = False


def _yaml_line_prefix(e: yaml.MarkedYAMLError) -> str:
    """go-yaml's ``parser.fail``: the 1-based line of a scanner error, the 0-based line of a
    parser error (a go-yaml quirk), the context line when the problem is on the first line."""
    line = 0
    pm, cm = e.problem_mark, e.context_mark
    if pm is not None and pm.line != 0:
        line = pm.line + (1 if isinstance(e, yaml.scanner.ScannerError) else 0)
    elif cm is not None and cm.line != 0:
        line = cm.line
    return f"line {line}: " if line else ""


def _decode_yaml_document(doc: str) -> Any:
    """One YAML document -> JSON value, with go-yaml v2's semantics and errors. Raises
    :class:`_ParseError` with the ``yaml: ...`` text."""
    loader = _Loader(doc)
    anchors: dict[str, tuple[Any, int, int]] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    decode_count = 1  # the document node
    alias_count = 0
    deferred: str | None = None  # decode-phase error, reported once parsing succeeded
    result: Any = None
    skipping = False

    def check_aliasing() -> None:
        nonlocal deferred, skipping
        if alias_count > 100 and decode_count > 1000 and alias_count / decode_count > _allowed_alias_ratio(decode_count):
            if deferred is None:
                deferred = "document contains excessive aliasing"
            skipping = True

    def add(value: Any, size: int, depth: int, anchor: str | None, is_key_candidate: bool, plain_merge: bool) -> None:
        nonlocal result, deferred, skipping
        if anchor is not None:
            anchors[anchor] = (value, size, depth)
        if not stack:
            result = value
            return
        top = stack[-1]
        if depth + 1 > top.depth:
            top.depth = depth + 1
            if len(stack) + depth > MAX_DEPTH:
                raise _ParseError(f"exceeded max depth of {MAX_DEPTH}")
        if not top.is_map:
            top.value.append(value)
            top.size += size
            return
        if not top.has_key:
            top.key, top.has_key, top.key_size, top.merge = value, True, size, plain_merge
            return
        top.has_key = False
        if top.merge:
            top.size += size
            if skipping:
                return
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources) or (isinstance(value, list) and False):
                if deferred is None:
                    deferred = "map merge requires map or sequence of maps as the value"
                skipping = True
                return
            for src in (reversed(sources) if isinstance(value, list) else sources):
                top.value.update(src)
            return
        top.size += top.key_size + size
        if skipping:
            return
        try:
            key = _key_string(top.key, value)
        except _YAMLDecodeError as e:
            if deferred is None:
                deferred = str(e)
            skipping = True
            return
        if key in top.value:
            del top.value[key]  # duplicate key: the last one wins (go-yaml v2, non-strict)
        top.value[key] = value

    try:
        while True:
            ev = loader.get_event()
            if ev is None or isinstance(ev, (yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                break
            if isinstance(ev, yaml.ScalarEvent):
                decode_count += 1
                check_aliasing()
                is_merge = ev.tag is None and ev.implicit[0] and ev.value == "<<"
                try:
                    if ev.tag is None:
                        value = _resolve("", ev.value) if ev.implicit[0] else ev.value
                    else:
                        value = _resolve(ev.tag, ev.value)
                except _YAMLDecodeError as e:
                    if deferred is None:
                        deferred = str(e)
                    skipping = True
                    value = None
                add(_normalize_number(value) if isinstance(value, (int, float)) else value, 1, 0, ev.anchor,
                    True, is_merge)
            elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                decode_count += 1
                check_aliasing()
                frame = _Frame(isinstance(ev, yaml.MappingStartEvent), ev.anchor)
                if ev.anchor is not None:
                    open_anchors.add(ev.anchor)
                stack.append(frame)
                if len(stack) > MAX_DEPTH:
                    raise _ParseError(f"exceeded max depth of {MAX_DEPTH}")
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    open_anchors.discard(frame.anchor)
                add(frame.value, frame.size, frame.depth, frame.anchor, False, False)
            elif isinstance(ev, yaml.AliasEvent):
                target = anchors.get(ev.anchor)
                if ev.anchor in open_anchors:
                    # go-yaml parses it, then fails while decoding
                    if deferred is None:
                        deferred = f"anchor '{ev.anchor}' value contains itself"
                    skipping = True
                    add(None, 1, 0, None, False, False)
                    continue
                if target is None:
                    raise _ParseError(f"unknown anchor '{ev.anchor}' referenced")
                value, size, depth = target
                decode_count += 1 + size
                alias_count += size
                check_aliasing()
                add(value, 1 + size, depth, None, False, False)
    except yaml.MarkedYAMLError as e:
        raise _ParseError(_yaml_line_prefix(e) + (e.problem or "unknown problem parsing YAML content")) from None
    except yaml.YAMLError as e:  # reader errors (checked before; kept for safety)
        raise _ParseError(str(getattr(e, "reason", e))) from None
    finally:
        loader.dispose()
    if deferred is not None:
        if deferred.startswith("\x00"):
            raise _ParseError("\x00" + deferred[1:])
        raise _ParseError(deferred)
    return result


def _has_nan(v: Any) -> str | None:
    """json.Marshal's ``unsupported value`` (NaN/Inf cannot be JSON)."""
    todo = [v]
    seen: set[int] = set()
    while todo:
        x = todo.pop()
        if isinstance(x, float) and (x != x or x in (math.inf, -math.inf)):
            return "NaN" if x != x else ("+Inf" if x > 0 else "-Inf")
        if isinstance(x, (dict, list)):
            if id(x) in seen:
                continue
            seen.add(id(x))
            todo.extend(x.values() if isinstance(x, dict) else x)
    return None


_CONTROL = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# -- JSON streams (Go's json.Decoder) -----------------------------------------------------------

def _quote_char(c: str) -> str:
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    from labsim.api.schema import go_quote

    return "'" + go_quote(c)[1:-1] + "'"


def _go_json_scan(s: str, i: int) -> tuple[int, str | None, int]:
    """Scan one JSON value at ``s[i:]`` as Go's scanner does. Returns (end, error, error_index):
    error is None, ``"unexpected EOF"`` or ``"invalid character ..."``."""
    n = len(s)
    stack: list[str] = []  # "{" (expect key / value), "[" ...

    def err(j: int, ctx: str) -> tuple[int, str, int]:
        return j, f"invalid character {_quote_char(s[j])} {ctx}", j

    def eof() -> tuple[int, str, int]:
        return n, "unexpected EOF", n

    def value(j: int) -> tuple[int, str | None, int]:
        while j < n and s[j] in " \t\r\n":
            j += 1
        if j >= n:
            return eof()
        c = s[j]
        if c == "{":
            if len(stack) >= MAX_DEPTH:  # Go's limit is 10000; labsim's protects the recursion
                return err(j, "exceeded max depth")
            stack.append("{")
            j += 1
            while j < n and s[j] in " \t\r\n":
                j += 1
            if j >= n:
                return eof()
            if s[j] == "}":
                stack.pop()
                return j + 1, None, -1
            while True:
                if j >= n:
                    return eof()
                if s[j] != '"':
                    return err(j, "looking for beginning of object key string")
                j, e, at = string(j)
                if e:
                    return j, e, at
                while j < n and s[j] in " \t\r\n":
                    j += 1
                if j >= n:
                    return eof()
                if s[j] != ":":
                    return err(j, "after object key")
                j, e, at = value(j + 1)
                if e:
                    return j, e, at
                while j < n and s[j] in " \t\r\n":
                    j += 1
                if j >= n:
                    return eof()
                if s[j] == "}":
                    stack.pop()
                    return j + 1, None, -1
                if s[j] != ",":
                    return err(j, "after object key:value pair")
                j += 1
                while j < n and s[j] in " \t\r\n":
                    j += 1
        if c == "[":
            if len(stack) >= MAX_DEPTH:
                return err(j, "exceeded max depth")
            stack.append("[")
            j += 1
            while j < n and s[j] in " \t\r\n":
                j += 1
            if j >= n:
                return eof()
            if s[j] == "]":
                stack.pop()
                return j + 1, None, -1
            while True:
                j, e, at = value(j)
                if e:
                    return j, e, at
                while j < n and s[j] in " \t\r\n":
                    j += 1
                if j >= n:
                    return eof()
                if s[j] == "]":
                    stack.pop()
                    return j + 1, None, -1
                if s[j] != ",":
                    return err(j, "after array element")
                j += 1
        if c == '"':
            return string(j)
        if c == "-" or c.isdigit() and c.isascii():
            return number(j)
        for lit in ("true", "false", "null"):
            if c == lit[0]:
                for k, ch in enumerate(lit[1:], 1):
                    if j + k >= n:
                        return eof()
                    if s[j + k] != ch:
                        return err(j + k, f"in literal {lit} (expecting {_quote_char(ch)})")
                return j + len(lit), None, -1
        return err(j, "looking for beginning of value")

    def string(j: int) -> tuple[int, str | None, int]:
        j += 1
        while j < n:
            j = _JSON_PLAIN.match(s, j).end()
            if j >= n:
                break
            c = s[j]
            if c == '"':
                return j + 1, None, -1
            if c == "\\":
                j += 1
                if j >= n:
                    return eof()
                if s[j] == "u":
                    for k in range(1, 5):
                        if j + k >= n:
                            return eof()
                        if s[j + k] not in "0123456789abcdefABCDEF":
                            return err(j + k, "in \\u hexadecimal character escape")
                    j += 5
                    continue
                if s[j] not in '"\\/bfnrt':
                    return err(j, "in string escape code")
                j += 1
                continue
            if c < " ":
                return err(j, "in string literal")
            j += 1
        return eof()

    def number(j: int) -> tuple[int, str | None, int]:
        if s[j] == "-":
            j += 1
            if j >= n:
                return eof()
            if not (s[j].isdigit() and s[j].isascii()):
                return err(j, "in numeric literal")
        if s[j] == "0":
            j += 1
        else:
            while j < n and s[j] in "0123456789":
                j += 1
        if j < n and s[j] == ".":
            j += 1
            if j >= n:
                return eof()
            if s[j] not in "0123456789":
                return err(j, "after decimal point in numeric literal")
            while j < n and s[j] in "0123456789":
                j += 1
        if j < n and s[j] in "eE":
            j += 1
            if j < n and s[j] in "+-":
                j += 1
            if j >= n:
                return eof()
            if s[j] not in "0123456789":
                return err(j, "in exponent of numeric literal")
            while j < n and s[j] in "0123456789":
                j += 1
        return j, None, -1

    return value(i)


_JSON_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')


def _byte_offset(s: str, index: int) -> int:
    return len(s[:index].encode("utf-8", "surrogatepass"))


def _load_json_stream(text: str, source: str) -> list[tuple[Any, str] | Exception]:
    out: list[tuple[Any, str] | Exception] = []
    n = len(text)
    i = 0
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return out
        end, err, at = _go_json_scan(text, i)
        if err is not None:
            if err == "unexpected EOF":
                out.append(KubectlError(f"error parsing {source}: unexpected EOF"))
            else:
                out.append(KubectlError(f"error parsing {source}: json: offset {_byte_offset(text, at) + 1}: {err}"))
            return out
        raw = text[i:end]
        if len(raw) > MAX_DOCUMENT_BYTES and len(raw.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
            out.append(_too_large(source))
            i = end
            continue
        value = json.loads(raw, object_pairs_hook=_last_wins)
        out.append((_normalize_json(value), raw))
        i = end


def _last_wins(pairs: list[tuple[str, Any]]) -> dict:
    d: dict = {}
    for k, v in pairs:
        d.pop(k, None)
        d[k] = v
    return d


def _normalize_json(v: Any) -> Any:
    if isinstance(v, dict):
        for k, x in v.items():
            v[k] = _normalize_json(x)
        return v
    if isinstance(v, list):
        return [_normalize_json(x) for x in v]
    if isinstance(v, (int, float)):
        return _normalize_number(v)
    return v


# -- kubectl's checks after parsing -------------------------------------------------------------

def validation_error(obj: Any) -> str | None:
    """``getObjectKind`` of kubectl's schema validation (``kubectl/pkg/validation``): the text
    after ``error validating data: `` or None."""
    if not isinstance(obj, dict):
        return "invalid object to validate"
    errs: list[str] = []
    av = obj.get("apiVersion")
    if av is None:
        errs.append("apiVersion not set")
    elif not isinstance(av, str):
        errs.append("apiVersion isn't string type")
    elif av.count("/") > 1:
        errs.append(f"unexpected GroupVersion string: {av}")
    kind = obj.get("kind")
    if kind is None:
        errs.append("kind not set")
    elif not isinstance(kind, str):
        errs.append("kind isn't string type")
    if not errs:
        return None
    return errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"


_METADATA_ONLY = None


def _metadata_only_type():
    global _METADATA_ONLY
    if _METADATA_ONLY is None:
        from labsim.api.schema import STRUCT, GoType

        _METADATA_ONLY = GoType(STRUCT, "metadataOnlyObject", {"properties": {
            "apiVersion": {"type": ["string", "null"]}, "kind": {"type": ["string", "null"]},
            "metadata": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}}},
            "metadataOnlyObject")
    return _METADATA_ONLY


def unstructured_error(obj: Any, raw_json: str) -> str | None:
    """The unstructured decode of kubectl's resource builder (``UnstructuredJSONScheme`` then
    ``metadataValidatingDecoder``): the text after ``unable to decode "<file>": `` or None."""
    from labsim.api.schema import check_types

    if not isinstance(obj, dict):
        from labsim.api.schema import _json_kind

        return f"json: cannot unmarshal {_json_kind(obj)} into Go value of type unstructured.detector"
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        return f"Object 'Kind' is missing in '{raw_json}'"
    return check_types(_metadata_only_type(), obj)


# -- the entry point -----------------------------------------------------------------------------

def load_documents(data: str | bytes, source: str, *, validate: bool = True) -> list[Document]:
    """Decode a manifest file as ``kubectl apply/create -f`` does; see the module docstring.
    ``validate=False`` is ``--validate=false`` (no apiVersion/kind check)."""
    text = _to_text(data)
    stripped = text.lstrip(" \t\n\r\v\f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                           "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
    docs: list[Document] = []
    parsed: list[tuple[Any, str] | Exception | None] = []
    if stripped.startswith("{"):
        parsed = list(_load_json_stream(text, source))
    else:
        chunks, sep_error = _split_yaml(text)
        nonempty = [c for c in chunks if not _BLANK_OR_COMMENT.match(c)]
        if len(nonempty) > MAX_DOCUMENTS:
            return [Document(source, 0, error=KubectlError(
                f"error parsing {source}: too many documents: labsim reads at most {MAX_DOCUMENTS} "
                f"documents from one file"), fatal=True)]
        for chunk in chunks:
            if _BLANK_OR_COMMENT.match(chunk):
                continue
            if len(chunk) > MAX_DOCUMENT_BYTES and len(chunk.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
                parsed.append(_too_large(source))
                continue
            if chunk.count("\n") + chunk.count(",") > MAX_NODES:
                parsed.append(KubectlError(
                    f"error parsing {source}: document too large for labsim: more than {MAX_NODES} lines "
                    f"and flow items in one document"))
                break
            try:
                value = _parse_yaml_chunk(chunk)
            except _ParseError as e:
                msg = str(e)
                if msg.startswith("\x00"):
                    text_err = f"error parsing {source}: error converting YAML to JSON: {msg[1:]}"
                else:
                    text_err = f"error parsing {source}: error converting YAML to JSON: yaml: {msg}"
                parsed.append(KubectlError(text_err))
                break
            nan = _has_nan(value)
            if nan:
                parsed.append(KubectlError(
                    f"error parsing {source}: error converting YAML to JSON: json: unsupported value: {nan}"))
                break
            parsed.append((value, ""))
        else:
            if sep_error:
                parsed.append(KubectlError(f"error parsing {source}: {sep_error}"))
    for item in parsed:
        index = len(docs)
        if isinstance(item, StatusError):
            docs.append(Document(source, index, error=item))
            continue
        if isinstance(item, Exception):
            docs.append(Document(source, index, error=item, fatal=True))
            break
        value, raw = item
        if value is None:
            continue  # an empty or null document
        raw_json = raw or go_json_marshal(value)
        if validate:
            verr = validation_error(value)
            if verr:
                docs.append(Document(source, index, obj=value, raw_json=raw_json, fatal=True, error=KubectlError(
                    f'error validating "{source}": error validating data: {verr}{_VALIDATE_SUFFIX}')))
                break
        uerr = unstructured_error(value, raw_json)
        if uerr:
            docs.append(Document(source, index, obj=value, raw_json=raw_json,
                                 error=KubectlError(f'unable to decode "{source}": {uerr}')))
            continue
        docs.append(Document(source, index, obj=value, raw_json=raw_json))
    return docs


def _too_large(source: str) -> StatusError:
    """What the API server answers when kubectl sends the document (``kubectl create/apply`` of a
    new object: ``cmdutil.AddSourceToErr("creating", ...)``)."""
    err = errors.request_entity_too_large()
    err.message = f'error when creating "{source}": {err.message}'
    return err


def _parse_yaml_chunk(chunk: str) -> Any:
    m = _CONTROL.search(chunk)
    if m:
        raise _ParseError("control characters are not allowed")
    try:
        _scan_depth(chunk, GO_YAML_MAX_DEPTH)
    except _DepthError as e:
        raise _ParseError((f"line {e.line + 1}: " if e.line else "") + f"exceeded max depth of {GO_YAML_MAX_DEPTH}")
    try:
        _scan_depth(chunk, MAX_DEPTH)
    except _DepthError as e:
        raise _ParseError((f"line {e.line + 1}: " if e.line else "") + f"exceeded max depth of {MAX_DEPTH}")
    return _decode_yaml_document(chunk)
