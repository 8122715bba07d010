"""Shell arithmetic ``$(( ))`` as ash evaluates it (``shell/math.c``): C integer operators on
64-bit signed values, variables by name (unset or empty is 0), assignment operators.

Errors raise :class:`ArithError` with ash's texts: ``arithmetic syntax error``,
``divide by zero``.
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|"
                    r"(<<=|>>=|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%&|^]=|[-+*/%<>=!~&|^?:()]))")

_BINARY = [  # lowest to highest precedence
    ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"],
    ["+", "-"], ["*", "/", "%"], ["**"],
]


class ArithError(Exception):
    pass


def _wrap(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


def _cdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


class _Eval:
    def __init__(self, text: str, get, set_):
        self.toks = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ArithError("arithmetic syntax error")
            num, name, op = m.groups()
            if num is not None:
                self.toks.append(("num", int(num, 0)))
            elif name is not None:
                self.toks.append(("name", name))
            else:
                self.toks.append(("op", op))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0
        self.get = get
        self.set = set_

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else ("end", None)

    def run(self) -> int:
        if not self.toks:
            return 0
        v = self.assign()
        if self.i != len(self.toks):
            raise ArithError("arithmetic syntax error")
        return v

    def value_of(self, name: str) -> int:
        raw = self.get(name).strip()
        if raw == "":
            return 0
        sign = -1 if raw.startswith("-") else 1
        digits = raw.lstrip("+-")
        try:
            if digits[:2].lower() == "0x":
                return sign * int(digits[2:], 16)
            if len(digits) > 1 and digits.startswith("0"):
                return sign * int(digits, 8)
            return sign * int(digits, 10)
        except ValueError:
            raise ArithError("arithmetic syntax error") from None

    def assign(self) -> int:
        t = self.peek()
        if t[0] == "name" and self.i + 1 < len(self.toks):
            op = self.toks[self.i + 1]
            if op[0] == "op" and op[1] in ("=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="):
                self.i += 2
                rhs = self.assign()
                if op[1] == "=":
                    v = rhs
                else:
                    v = self.binop(op[1][:-1], self.value_of(t[1]), rhs)
                self.set(t[1], str(v))
                return v
        return self.ternary()

    def ternary(self) -> int:
        c = self.binary(0)
        if self.peek() == ("op", "?"):
            self.i += 1
            a = self.assign()
            if self.peek() != ("op", ":"):
                raise ArithError("arithmetic syntax error")
            self.i += 1
            b = self.assign()
            return a if c else b
        return c

    def binop(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                raise ArithError("divide by zero")
            q = _cdiv(a, b)
            return _wrap(q if op == "/" else a - b * q)
        if op == "**":
            if b < 0:
                raise ArithError("exponent less than 0")
            if b > 4096 and abs(a) > 1:
                return _wrap(pow(a, b, 1 << 64))
            return _wrap(a ** b)
        return _wrap({
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
            "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
            "<": lambda: int(a < b), ">": lambda: int(a > b), "<=": lambda: int(a <= b),
            ">=": lambda: int(a >= b), "==": lambda: int(a == b), "!=": lambda: int(a != b),
            "&": lambda: a & b, "|": lambda: a | b, "^": lambda: a ^ b,
            "&&": lambda: int(bool(a) and bool(b)), "||": lambda: int(bool(a) or bool(b)),
        }[op]())

    def binary(self, level: int) -> int:
        if level == len(_BINARY):
            return self.unary()
        v = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in _BINARY[level]:
            op = self.toks[self.i][1]
            self.i += 1
            rhs = self.binary(level + 1)
            v = self.binop(op, v, rhs)
        return v

    def unary(self) -> int:
        t = self.peek()
        if t[0] == "op" and t[1] in ("-", "+", "!", "~"):
            self.i += 1
            v = self.unary()
            return {"-": lambda: _wrap(-v), "+": lambda: v, "!": lambda: int(not v), "~": lambda: ~v}[t[1]]()
        if t[0] == "op" and t[1] in ("++", "--"):
            self.i += 1
            n = self.peek()
            if n[0] != "name":
                raise ArithError("arithmetic syntax error")
            self.i += 1
            v = _wrap(self.value_of(n[1]) + (1 if t[1] == "++" else -1))
            self.set(n[1], str(v))
            return v
        return self.primary()

    def primary(self) -> int:
        t = self.peek()
        if t[0] == "num":
            self.i += 1
            return _wrap(t[1])
        if t[0] == "name":
            self.i += 1
            v = self.value_of(t[1])
            n = self.peek()
            if n[0] == "op" and n[1] in ("++", "--"):
                self.i += 1
                self.set(t[1], str(_wrap(v + (1 if n[1] == "++" else -1))))
            return v
        if t == ("op", "("):
            self.i += 1
            v = self.assign()
            if self.peek() != ("op", ")"):
                raise ArithError("arithmetic syntax error")
            self.i += 1
            return v
        raise ArithError("arithmetic syntax error")


def evaluate(text: str, get, set_) -> int:
    """Evaluate ``text``; ``get(name) -> str`` reads a variable, ``set_(name, value)`` writes."""
    try:
        return _Eval(text, get, set_).run()
    except RecursionError:
        raise ArithError("arithmetic syntax error") from None
