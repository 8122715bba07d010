"""Label selectors: the parser, matcher and formatter of ``k8s.io/apimachinery/pkg/labels`` (v0.32).

    >>> sel = parse("app in (web,api), tier!=db")
    >>> str(sel)
    'app in (api,web),tier!=db'
    >>> sel.matches({"app": "web"})
    True

Everything a learner types after ``-l`` is parsed here, as the API server parses the
``labelSelector`` query parameter, with the server's error texts
(``labels/selector.go`` ``Parser``, ``NewRequirement``; ``util/validation``'s ``IsQualifiedName``,
``IsValidLabelValue``). Workload selectors (``matchLabels``/``matchExpressions``) become the same
:class:`Selector` through :func:`selector_from_label_selector` (``metav1.LabelSelectorAsSelector``).

Limitations: no label index; matching is a linear scan over the candidates the caller passes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from labsim.api.gofmt import go_quote

# -- operators (k8s.io/apimachinery/pkg/selection) ----------------------------------------------
DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"


class SelectorParseError(ValueError):
    """``labels.Parse`` failed; ``str(err)`` is the server's message."""


# -- validation: k8s.io/apimachinery/pkg/util/validation (shared module) ---------------------------
from labsim.api.utilvalidation import is_qualified_name, is_valid_label_value  # noqa: E402


def _field_invalid(path: str, value, detail: str) -> str:
    """``field.Invalid(path, value, detail).Error()``; a nil path prints as ``<nil>``."""
    shown = go_quote(value) if isinstance(value, str) else _go_string_slice(value)
    return f"{path}: Invalid value: {shown}: {detail}"


def _go_string_slice(values) -> str:
    return "[]string{" + ", ".join(go_quote(v) for v in values) + "}"


def _aggregate(errs: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message, or ``[a, b]`` de-duplicated."""
    seen: list[str] = []
    for e in errs:
        if e not in seen:
            seen.append(e)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def _parse_int64(s: str) -> int | None:
    # strconv.ParseInt(s, 10, 64): optional sign, decimal digits only
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        return None
    v = int(s)
    if not -(1 << 63) <= v < (1 << 63):
        return None
    return v


# -- requirements and selectors ------------------------------------------------------------------
@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """``Requirement.Matches``."""
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            if self.key not in labels or len(self.values) != 1:
                return False
            have = _parse_int64(labels[self.key])
            want = _parse_int64(self.values[0])
            if have is None or want is None:
                return False
            return have > want if op == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        """``Requirement.String``: values of in/notin sorted, no spaces after commas."""
        op = self.operator
        head = ("!" if op == DOES_NOT_EXIST else "") + self.key
        if op in (EXISTS, DOES_NOT_EXIST):
            return head
        sym = {EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
               GREATER_THAN: ">", LESS_THAN: "<"}[op]
        vals = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            vals = "(" + vals + ")"
        return head + sym + vals


def new_requirement(key: str, op: str, values: Iterable[str], path: str | None = None) -> Requirement:
    """``labels.NewRequirement`` with its validation; raises :class:`SelectorParseError`."""
    vals = list(values)
    errs: list[str] = []
    key_errs = is_qualified_name(key)
    if key_errs:
        errs.append(_field_invalid(_child(path, "key"), key, "; ".join(key_errs)))
    vpath = _child(path, "values")
    if op in (IN, NOT_IN):
        if not vals:
            errs.append(_field_invalid(vpath, vals, "for 'in', 'notin' operators, values set can't be empty"))
    elif op in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(vals) != 1:
            errs.append(_field_invalid(vpath, vals, "exact-match compatibility requires one single value"))
    elif op in (EXISTS, DOES_NOT_EXIST):
        if vals:
            errs.append(_field_invalid(vpath, vals, "values set must be empty for exists and does not exist"))
    elif op in (GREATER_THAN, LESS_THAN):
        if len(vals) != 1:
            errs.append(_field_invalid(vpath, vals, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(vals):
            if _parse_int64(v) is None:
                errs.append(_field_invalid(f"{vpath}[{i}]", v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        raise SelectorParseError(f'{_child(path, "operator")}: Unsupported value: {go_quote(op)}')
    for i, v in enumerate(vals):
        verrs = is_valid_label_value(v)
        if verrs:
            errs.append(_field_invalid(f"{vpath}[{i}][{key}]", v, "; ".join(verrs)))
    if errs:
        raise SelectorParseError(_aggregate(errs))
    return Requirement(key, op, tuple(vals))


def _child(path: str | None, name: str) -> str:
    return f"{path}.{name}" if path else name


class Selector:
    """A parsed selector: requirements ANDed, sorted by key. ``Selector.nothing()`` matches nothing."""

    __slots__ = ("requirements", "_nothing")

    def __init__(self, requirements: Iterable[Requirement] = (), nothing: bool = False):
        # sort.Sort(ByKey): Go's sort is unstable in general, but insertion sort (used for the
        # short lists selectors are) keeps equal keys in order, as sorted() does.
        self.requirements: tuple[Requirement, ...] = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = nothing

    @classmethod
    def everything(cls) -> "Selector":
        return cls()

    @classmethod
    def nothing(cls) -> "Selector":
        return cls(nothing=True)

    def empty(self) -> bool:
        return not self.requirements and not self._nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._nothing:
            return False
        labels = labels or {}
        for r in self.requirements:
            if not r.matches(labels):
                return False
        return True

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __eq__(self, other) -> bool:
        return isinstance(other, Selector) and self.requirements == other.requirements \
            and self._nothing == other._nothing

    def __hash__(self) -> int:
        return hash((self.requirements, self._nothing))

    def __repr__(self) -> str:
        return f"Selector({str(self)!r})"


# -- lexer (labels/selector.go) --------------------------------------------------------------------
_ERROR, _EOS, _CLOSED_PAR, _COMMA, _DNE, _DOUBLE_EQ, _EQ, _GT, _IDENT, _IN, _LT, _NEQ, _NOTIN, _OPEN_PAR = range(14)
_STRING2TOKEN = {")": _CLOSED_PAR, ",": _COMMA, "!": _DNE, "==": _DOUBLE_EQ, "=": _EQ, ">": _GT, "in": _IN,
                 "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPEN_PAR}
_WHITESPACE = " \t\r\n"
_SPECIAL = "=!(),><"


def _lex(s: str) -> list[tuple[int, str]]:
    """All tokens of ``s`` up to and including end-of-string (``Parser.scan``)."""
    b = s.encode("utf-8")
    n = len(b)
    pos = 0
    out: list[tuple[int, str]] = []
    while True:
        while pos < n and chr(b[pos]) in _WHITESPACE:
            pos += 1
        # a NUL byte reads as end of string, as Lexer.read returns 0 at the end
        if pos >= n or b[pos] == 0:
            out.append((_EOS, ""))
            return out
        ch = chr(b[pos])
        if ch in _SPECIAL:
            buf = ""
            last: tuple[int, str] | None = None
            while pos < n and chr(b[pos]) in _SPECIAL:
                buf += chr(b[pos])
                pos += 1
                tok = _STRING2TOKEN.get(buf)
                if tok is not None:
                    last = (tok, buf)
                elif last is not None:
                    pos -= 1
                    break
            if last is None:
                out.append((_ERROR, f"error expected: keyword found '{buf}'"))
            else:
                out.append(last)
        else:
            start = pos
            while pos < n and b[pos] != 0 and chr(b[pos]) not in _SPECIAL and chr(b[pos]) not in _WHITESPACE:
                pos += 1
            lit = b[start:pos].decode("utf-8", errors="surrogateescape")
            out.append((_STRING2TOKEN.get(lit, _IDENT), lit))


class _Parser:
    def __init__(self, s: str):
        self.items = _lex(s)
        self.pos = 0

    def lookahead(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        if values and tok in (_IN, _NOTIN):
            tok = _IDENT
        return tok, lit

    def consume(self, values: bool) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        self.pos += 1
        if values and tok in (_IN, _NOTIN):
            tok = _IDENT
        return tok, lit

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.lookahead(True)
            if tok in (_IDENT, _DNE):
                try:
                    r = self.parse_requirement()
                except SelectorParseError as e:
                    raise SelectorParseError(f"unable to parse requirement: {e}") from None
                reqs.append(r)
                t, l = self.consume(True)
                if t == _EOS:
                    return reqs
                if t == _COMMA:
                    t2, l2 = self.lookahead(True)
                    if t2 not in (_IDENT, _DNE):
                        raise SelectorParseError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise SelectorParseError(f"found '{l}', expected: ',' or 'end of string'")
            elif tok == _EOS:
                return reqs
            else:
                raise SelectorParseError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def parse_requirement(self) -> Requirement:
        key, op = self.parse_key_and_infer_operator()
        if op in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, op, [])
        op = self.parse_operator()
        if op in (IN, NOT_IN):
            values = self.parse_values()
        else:
            values = self.parse_exact_value()
        return new_requirement(key, op, sorted(values))

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        op = ""
        tok, lit = self.consume(True)
        if tok == _DNE:
            op = DOES_NOT_EXIST
            tok, lit = self.consume(True)
        if tok != _IDENT:
            raise SelectorParseError(f"found '{lit}', expected: identifier")
        errs = is_qualified_name(lit)
        if errs:
            raise SelectorParseError(_field_invalid("<nil>", lit, "; ".join(errs)))
        t, _ = self.lookahead(True)
        if t in (_EOS, _COMMA) and op != DOES_NOT_EXIST:
            op = EXISTS
        return lit, op

    def parse_operator(self) -> str:
        tok, lit = self.consume(False)
        ops = {_IN: IN, _EQ: EQUALS, _DOUBLE_EQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN,
               _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}
        if tok not in ops:
            raise SelectorParseError(f"found '{lit}', expected: in, notin, =, ==, !=, gt, lt")
        return ops[tok]

    def parse_values(self) -> set[str]:
        tok, lit = self.consume(True)
        if tok != _OPEN_PAR:
            raise SelectorParseError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead(True)
        if tok in (_IDENT, _COMMA):
            s = self.parse_identifiers_list()
            tok2, _ = self.consume(True)
            if tok2 != _CLOSED_PAR:
                raise SelectorParseError(f"found '{lit}', expected: ')'")
            return s
        if tok == _CLOSED_PAR:
            self.consume(True)
            return {""}
        raise SelectorParseError(f"found '{lit}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        s: set[str] = set()
        while True:
            tok, lit = self.consume(True)
            if tok == _IDENT:
                s.add(lit)
                tok2, lit2 = self.lookahead(True)
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSED_PAR:
                    return s
                raise SelectorParseError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not s:
                    s.add("")
                tok2, _ = self.lookahead(True)
                if tok2 == _CLOSED_PAR:
                    s.add("")
                    return s
                if tok2 == _COMMA:
                    self.consume(True)
                    s.add("")
                continue
            raise SelectorParseError(f"found '{lit}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        tok, _ = self.lookahead(True)
        if tok in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume(True)
        if tok == _IDENT:
            return {lit}
        raise SelectorParseError(f"found '{lit}', expected: identifier")


_PARSE_CACHE: dict[str, Selector] = {}


def parse(selector: str) -> Selector:
    """``labels.Parse``: raises :class:`SelectorParseError` with the server's text."""
    cached = _PARSE_CACHE.get(selector)
    if cached is not None:
        return cached
    sel = Selector(_Parser(selector).parse())
    if len(_PARSE_CACHE) < 1024:
        _PARSE_CACHE[selector] = sel
    return sel


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """``labels.SelectorFromSet`` (a Service's ``spec.selector``): ``k=v`` for each pair; empty
    or nil matches everything."""
    if not labels:
        return Selector.everything()
    return Selector(Requirement(k, EQUALS, (v,)) for k, v in labels.items())


class LabelSelectorError(ValueError):
    pass


_EXPR_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def selector_from_label_selector(ls: Mapping | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: nil matches nothing, empty matches everything.

    Raises :class:`LabelSelectorError` for an unknown operator or an invalid requirement."""
    if ls is None:
        return Selector.nothing()
    match_labels = ls.get("matchLabels") or {}
    exprs = ls.get("matchExpressions") or []
    if not match_labels and not exprs:
        return Selector.everything()
    reqs = []
    try:
        for k, v in match_labels.items():
            reqs.append(new_requirement(k, EQUALS, [v]))
        for e in exprs:
            op = _EXPR_OPS.get(e.get("operator", ""))
            if op is None:
                raise LabelSelectorError(f"{go_quote(str(e.get('operator', '')))} is not a valid label selector operator")
            reqs.append(new_requirement(e.get("key", ""), op, list(e.get("values") or [])))
    except SelectorParseError as err:
        raise LabelSelectorError(str(err)) from None
    return Selector(reqs)


def format_labels(labels: Mapping[str, str] | None) -> str:
    """``labels.FormatLabels``: ``k=v`` pairs sorted, joined by ``,``; empty -> ``<none>``."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def format_label_selector(ls: Mapping | None) -> str:
    """``metav1.FormatLabelSelector``: the parsed selector's string, ``<none>`` when empty,
    ``<error>`` when it does not convert."""
    try:
        sel = selector_from_label_selector(ls)
    except LabelSelectorError:
        return "<error>"
    text = str(sel)
    return text or "<none>"
