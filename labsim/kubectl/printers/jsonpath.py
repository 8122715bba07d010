"""kubectl's JSONPath dialect (``k8s.io/client-go/util/jsonpath`` v0.32: ``parser.go``, ``jsonpath.go``).

    >>> jp = JSONPath.parse("{range .items[*]}{.metadata.name}{'\\n'}{end}")
    >>> jp.execute({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]})
    'a\\nb\\n'

Templates are text with ``{...}`` actions: fields (``.a.b``, ``['a.b']``), ``[*]``, indices and
slices (``[0]``, ``[-1]``, ``[1:3:2]``), unions (``[0,1]``), recursive descent (``..name``),
filters (``[?(@.type=="Ready")]``), ``range``/``end``, quoted literals (``{"\\n"}``). The results of
one action are printed separated by spaces; maps and lists print as compact JSON, other values
with Go's ``%v``. Error texts are upstream's.

Values are plain JSON data. Go's map iteration order is random where upstream ranges over a map
(``.*`` on a map, ``..``); here keys are visited sorted, one of the orders upstream may print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from labsim.api.gofmt import go_format_float, go_quote, go_v  # noqa: F401  (go_v: part of this module's API)


class JSONPathError(Exception):
    pass


class _Invalid:
    """``reflect.ValueOf(nil)``: the input of a range with no items."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = _Invalid()


# -- nodes ---------------------------------------------------------------------------------------
class Node:
    pass


@dataclass(eq=False)
class ListNode(Node):
    nodes: list = field(default_factory=list)


@dataclass(eq=False)
class TextNode(Node):
    text: str


@dataclass(eq=False)
class FieldNode(Node):
    value: str


@dataclass(eq=False)
class IdentifierNode(Node):
    name: str


@dataclass
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(eq=False)
class ArrayNode(Node):
    params: list


@dataclass(eq=False)
class FilterNode(Node):
    left: ListNode
    right: ListNode
    operator: str


@dataclass(eq=False)
class IntNode(Node):
    value: int


@dataclass(eq=False)
class FloatNode(Node):
    value: float


@dataclass(eq=False)
class BoolNode(Node):
    value: bool


@dataclass(eq=False)
class WildcardNode(Node):
    pass


@dataclass(eq=False)
class RecursiveNode(Node):
    pass


@dataclass(eq=False)
class UnionNode(Node):
    nodes: list


# -- parser (parser.go) --------------------------------------------------------------------------
_EOF = ""
_DICT_KEY_RE = re.compile(r"^'([^']*)'$")
_SLICE_RE = re.compile(r"^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$")
_FILTER_RE = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.S)


def _is_terminator(r: str) -> bool:
    return r in (" ", "\t", "\r", "\n", _EOF, ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alnum(r: str) -> bool:
    return r == "_" or (r != "" and r.isalnum())


def _go_atoi(s: str) -> int | None:
    if re.fullmatch(r"[+-]?[0-9]+", s):
        return int(s)
    return None


class Parser:
    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.root = ListNode()

    def parse(self) -> ListNode:
        self._parse_text(self.root)
        return self.root

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos += 1  # so that backup() after EOF is balanced, as the Go lexer's width
            return _EOF
        r = self.input[self.pos]
        self.pos += 1
        return r

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else _EOF

    def backup(self) -> None:
        self.pos -= 1

    def consume_text(self) -> str:
        end = min(self.pos, len(self.input))
        value = self.input[self.start:end]
        self.start = self.pos = end
        return value

    def _parse_text(self, cur: ListNode) -> None:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(TextNode(self.consume_text()))
                return self._parse_left_delim(cur)
            if self.next() == _EOF:
                self.pos = len(self.input)
                break
        if self.pos > self.start:
            cur.nodes.append(TextNode(self.consume_text()))

    def _parse_left_delim(self, cur: ListNode) -> None:
        self.pos += 1
        self.consume_text()
        node = ListNode()
        cur.nodes.append(node)
        return self._parse_inside_action(node)

    def _parse_inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos:]
            if rest.startswith("}"):
                self.pos += 1
                self.consume_text()
                return self._parse_text(self.root)
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self._parse_recursive(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r == " ":
                self.consume_text()
            elif r in "@$":
                self.consume_text()
            elif r == "[":
                self._parse_array(cur)
            elif r in "\"'":
                self._parse_quote(cur, r)
            elif r == ".":
                self._parse_field(cur)
            elif r in "+-" or r.isdigit():
                self.backup()
                self._parse_number(cur)
            elif _is_alnum(r):
                self.backup()
                self._parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(r):04X} {_go_quote_rune(r)}")

    def _parse_identifier(self, cur: ListNode) -> None:
        while True:
            r = self.next()
            if _is_terminator(r):
                self.backup()
                break
        value = self.consume_text()
        if value in ("true", "false"):
            cur.nodes.append(BoolNode(value == "true"))
        else:
            cur.nodes.append(IdentifierNode(value))

    def _parse_recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume_text()
        cur.nodes.append(RecursiveNode())
        if _is_alnum(self.peek()):
            self._parse_field(cur)

    def _parse_number(self, cur: ListNode) -> None:
        if self.peek() in ("+", "-") and self.peek() != _EOF:
            self.next()
        while True:
            r = self.next()
            if r != "." and not (r != _EOF and r.isdigit()):
                self.backup()
                break
        value = self.consume_text()
        i = _go_atoi(value)
        if i is not None:
            cur.nodes.append(IntNode(i))
            return
        try:
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", value):
                raise ValueError
            cur.nodes.append(FloatNode(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self.consume_text()[1:-1]
        if text == "*":
            text = ":"
        strs = text.split(",")
        if len(strs) > 1:
            union = []
            for s in strs:
                union.append(_parse_action(f"[{s.strip(' ')}]"))
            cur.nodes.append(UnionNode(union))
            return
        m = _DICT_KEY_RE.match(text)
        if m:
            sub = _parse_action(f".{m.group(1)}")
            cur.nodes.extend(sub.nodes)
            return
        m = _SLICE_RE.match(text)
        if m is None:
            raise JSONPathError(f"invalid array index {text}")
        values = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params = [Param(), Param(), Param()]
        for i in range(3):
            v = values[i]
            if v != "":
                if i > 0:
                    v = v[1:]
                if i > 0 and v == "":
                    params[i].known = False
                else:
                    n = _go_atoi(v)
                    if n is None:
                        raise JSONPathError(f"array index {v} is not a number")
                    params[i].known = True
                    params[i].value = n
            else:
                if i == 1:
                    params[i] = Param(params[0].value + 1, True, True)
                else:
                    params[i] = Param(0, False)
        cur.nodes.append(ArrayNode(params))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self.consume_text()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin = True
                    pair = r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")":
                if begin == end:
                    break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume_text()[:-2]
        m = _FILTER_RE.match(text)
        if m is None:
            cur.nodes.append(FilterNode(_parse_action(text), ListNode(), "exists"))
        else:
            cur.nodes.append(FilterNode(_parse_action(m.group(1)), _parse_action(m.group(3)), m.group(2)))

    def _parse_quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == "\\":
                r2 = self.next()
                if r2 != _EOF and r2 != "\n":
                    continue
                break
            if r == end:
                break
        value = self.consume_text()
        try:
            s = unquote_extend(value)
        except ValueError:
            raise JSONPathError(f"unquote string {value} error invalid syntax") from None
        cur.nodes.append(TextNode(s))

    def _parse_field(self, cur: ListNode) -> None:
        self.consume_text()
        while self._advance():
            pass
        value = self.consume_text()
        if value == "*":
            cur.nodes.append(WildcardNode())
        else:
            cur.nodes.append(FieldNode(value.replace("\\", "")))

    def _advance(self) -> bool:
        r = self.next()
        if r == "\\":
            self.next()
        elif _is_terminator(r):
            self.backup()
            return False
        return True


def _go_quote_rune(r: str) -> str:
    # %#U prints U+0021 '!'
    return "'" + r + "'" if r.isprintable() else ""


def _parse_action(text: str) -> ListNode:
    """``parseAction``: parse ``text`` as the inside of one action and return its node list."""
    p = Parser("{" + text + "}")
    root = p.parse()
    return root.nodes[0] if root.nodes and isinstance(root.nodes[0], ListNode) else ListNode()


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
            "'": "'", '"': '"'}


def unquote_extend(s: str) -> str:
    """``UnquoteExtend``: ``strconv.Unquote`` that also accepts single-quoted strings."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote = s[0]
    body = s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise ValueError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= len(body):
            raise ValueError("invalid syntax")
        e = body[i]
        if e in _ESCAPES:
            if e in "'\"" and e != quote:
                raise ValueError("invalid syntax")
            out.append(_ESCAPES[e])
            i += 1
        elif e == "x":
            out.append(chr(int(body[i + 1:i + 3], 16)))
            i += 3
        elif e == "u":
            out.append(chr(int(body[i + 1:i + 5], 16)))
            i += 5
        elif e == "U":
            out.append(chr(int(body[i + 1:i + 9], 16)))
            i += 9
        elif e in "01234567":
            out.append(chr(int(body[i:i + 3], 8)))
            i += 3
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


# -- Go formatting of JSON data -----------------------------------------------------------------
def go_type(v: Any) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    return "<nil>"


# Go's %v of floats and of JSON data: one implementation in labsim.api.gofmt
go_float = go_format_float


def go_sharp_v(v: Any, top: bool = True) -> str:
    """``%#v`` of JSON data as ``map[string]interface {}`` (the jsonpath error dump)."""
    if v is None:
        return "interface {}(nil)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, dict):
        return "map[string]interface {}{" + ", ".join(f"{go_quote(k)}:{go_sharp_v(v[k], False)}"
                                                     for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(x, False) for x in v) + "}"
    return str(v)


# -- execution (jsonpath.go) ----------------------------------------------------------------------
def _kind(v: Any) -> str:
    if v is INVALID:
        return "invalid"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "nil"
    return "scalar"


_INT, _FLOAT, _STRING, _BOOL = "int", "float", "string", "bool"


def _basic_kind(v: Any) -> str:
    if isinstance(v, bool):
        return _BOOL
    if isinstance(v, int):
        return _INT
    if isinstance(v, float):
        return _FLOAT
    if isinstance(v, str):
        return _STRING
    raise JSONPathError("invalid type for comparison")


def _compare(op: str, a: Any, b: Any) -> bool:
    """text/template's eq/ne/lt/le/gt/ge (``third_party/forked/golang/template/funcs.go``)."""
    if op not in ("==", "!=", "<", "<=", ">", ">="):
        raise JSONPathError(f"unrecognized filter operator {op}")
    ka, kb = _basic_kind(a), _basic_kind(b)
    if op in ("==", "!="):
        if ka != kb:
            raise JSONPathError("incompatible types for comparison")
        eq = a == b
        return eq if op == "==" else not eq
    if ka != kb:
        raise JSONPathError("incompatible types for comparison")
    if ka == _BOOL:
        raise JSONPathError("invalid type for comparison")
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    raise JSONPathError(f"unrecognized filter operator {op}")


class JSONPath:
    def __init__(self, root: ListNode, allow_missing_keys: bool = False, output_json: bool = False):
        self.root = root
        self.allow_missing_keys = allow_missing_keys
        self.output_json = output_json

    @classmethod
    def parse(cls, text: str, **kw) -> "JSONPath":
        """Raises :class:`JSONPathError` with the parser's message (``unclosed action``)."""
        return cls(Parser(text).parse(), **kw)

    # state of a run (range/end bookkeeping, as upstream keeps it on the JSONPath)
    def _reset(self) -> None:
        self.stack: list = []
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end_node: Node | None = None

    def find_results(self, data: Any) -> list[list[Any]]:
        self._reset()
        return self._find_results(data, self.root.nodes)

    def _find_results(self, data: Any, nodes: list) -> list[list[Any]]:
        cur = [data]
        full: list[list[Any]] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            results = self._walk(cur, node)
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end_node = node
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        full.extend(self._find_results(value, nodes[i + 1:]))
                else:
                    self._find_results(INVALID, nodes[i + 1:])
                self.in_range -= 1
                for k in range(i + 1, len(nodes)):
                    if nodes[k] is self.last_end_node:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def execute(self, data: Any) -> str:
        out = []
        for results in self.find_results(data):
            out.append(self.print_results(results))
        return "".join(out)

    def print_results(self, results: list) -> str:
        from labsim.kubectl.printers.output import to_compact_json, to_json

        if self.output_json:
            results = [[None if r is INVALID else r for r in results]]
        parts = []
        for idx, r in enumerate(results):
            if self.output_json:
                text = to_json(r, sort=True)
            elif isinstance(r, (dict, list)):
                text = to_compact_json(r)
            else:
                text = self._to_text(r)
            if idx != len(results) - 1:
                text += " "
            parts.append(text)
        return "".join(parts)

    @staticmethod
    def _to_text(v: Any) -> str:
        if v is INVALID:
            return "<no value>"
        if v is None:
            return "null"
        return go_v(v)

    def _walk(self, values: list, node: Node) -> list:
        if isinstance(node, ListNode):
            return self._eval_list(values, node)
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, FieldNode):
            return self._eval_field(values, node)
        if isinstance(node, ArrayNode):
            return self._eval_array(values, node)
        if isinstance(node, FilterNode):
            return self._eval_filter(values, node)
        if isinstance(node, (IntNode, FloatNode, BoolNode)):
            return [node.value for _ in values]
        if isinstance(node, WildcardNode):
            return self._eval_wildcard(values)
        if isinstance(node, RecursiveNode):
            return self._eval_recursive(values)
        if isinstance(node, UnionNode):
            out = []
            for ln in node.nodes:
                out.extend(self._eval_list(values, ln))
            return out
        if isinstance(node, IdentifierNode):
            return self._eval_identifier(values, node)
        raise JSONPathError(f"unexpected Node {node}")

    def _eval_list(self, values: list, node: ListNode) -> list:
        cur = values
        for n in node.nodes:
            cur = self._walk(cur, n)
        return cur

    def _eval_identifier(self, values: list, node: IdentifierNode) -> list:
        if node.name == "range":
            self.stack.append(values)
            self.begin_range += 1
            return values
        if node.name == "end":
            if self.end_range < self.in_range:
                self.end_range += 1
                return []
            if self.stack:
                self.stack.pop()
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def _eval_field(self, values: list, node: FieldNode) -> list:
        results = []
        if not values:
            return results
        for v in values:
            if v is None:
                continue
            if isinstance(v, dict) and node.value in v:
                results.append(v[node.value])
        if not results:
            if self.allow_missing_keys:
                return results
            raise JSONPathError(f"{node.value} is not found")
        return results

    def _eval_array(self, values: list, node: ArrayNode) -> list:
        result: list = []
        for v in values:
            if v is None:
                continue
            if not isinstance(v, list):
                raise JSONPathError(f"{go_type(v)} is not array or slice")
            p = [Param(x.value, x.known, x.derived) for x in node.params]
            n = len(v)
            if not p[0].known:
                p[0].value = 0
            if p[0].value < 0:
                p[0].value += n
            if not p[1].known:
                p[1].value = n
            if p[1].value < 0 or (p[1].value == 0 and p[1].derived):
                p[1].value += n
            if p[1].value != p[0].value:
                if p[0].value >= n or p[0].value < 0:
                    raise JSONPathError(f"array index out of bounds: index {p[0].value}, length {n}")
                if p[1].value > n or p[1].value < 0:
                    raise JSONPathError(f"array index out of bounds: index {p[1].value - 1}, length {n}")
                if p[0].value > p[1].value:
                    raise JSONPathError(f"starting index {p[0].value} is greater than ending index {p[1].value}")
            else:
                return result
            sliced = v[p[0].value:p[1].value]
            step = 1
            if p[2].known:
                if p[2].value <= 0:
                    raise JSONPathError("step must be > 0")
                step = p[2].value
            result.extend(sliced[::step])
        return result

    def _eval_filter(self, values: list, node: FilterNode) -> list:
        results = []
        for v in values:
            if not isinstance(v, list):
                raise JSONPathError(f"{go_v(v) if v is not INVALID else '<invalid reflect.Value>'} is not array or "
                                    f"slice and cannot be filtered")
            for item in v:
                temp = [item]
                if node.operator == "exists":
                    try:
                        lefts = self._eval_list(temp, node.left)
                    except JSONPathError:
                        lefts = []
                    if lefts:
                        results.append(item)
                    continue
                lefts = self._eval_list(temp, node.left)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self._eval_list(temp, node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                if _compare(node.operator, lefts[0], rights[0]):
                    results.append(item)
        return results

    @staticmethod
    def _children(v: Any) -> list:
        if isinstance(v, dict):
            return [v[k] for k in sorted(v)]
        if isinstance(v, list):
            return list(v)
        if isinstance(v, str):
            return list(v.encode("utf-8"))
        return []

    def _eval_wildcard(self, values: list) -> list:
        out = []
        for v in values:
            if v is None:
                continue
            out.extend(self._children(v))
        return out

    def _eval_recursive(self, values: list) -> list:
        result = []
        for v in values:
            if v is None:
                continue
            children = self._children(v)
            if children:
                result.append(v)
                result.extend(self._eval_recursive(children))
        return result


def relaxed_jsonpath_expression(expr: str) -> str:
    """``RelaxedJSONPathExpression`` (custom columns, ``--sort-by``): ``.a.b``, ``a.b``, ``{.a.b}``
    -> ``{.a.b}``."""
    if not expr:
        return expr
    m = re.match(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$", expr, re.S)
    if m is None:
        raise JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                            "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"
