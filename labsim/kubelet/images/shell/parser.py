"""Lexer and parser of the POSIX shell language, as busybox ``ash`` reads it.

The parser is a small recursive-descent port of the shape of ash's (``shell/ash.c``: ``list``,
``andor``, ``pipeline``, ``command``, ``simplecmd``, ``readtoken``), producing the AST below. Words
are kept as lists of *parts* (literal text with a quoted flag, parameter expansions, command
substitutions, arithmetic) so that field splitting and globbing apply only to unquoted results,
as POSIX requires.

Syntax errors carry ash's own texts (``syntax error: unexpected "fi"``, ``syntax error:
unexpected end of file (expecting "fi")``, ``syntax error: unterminated quoted string``) built
from ash's token names (``tokname_array``: bare for end of file/newline/word, quoted otherwise).

Limitations: no here-documents, no aliases, no ``select``, no ``[[ ]]`` (ash has none either),
``$(( ))`` is recognised only when the text after ``$((`` closes with ``))``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KEYWORDS = {"!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
            "then", "until", "while", "{", "}"}
#: Words that end a list (they are reserved only in command position).
STOP_WORDS = {"then", "elif", "else", "fi", "do", "done", "esac", "}"}
OPERATORS = ["&&", "||", ";;", ">>", "<<", ">&", "<&", ">|", "<>", ";", "&", "|", "(", ")", "<", ">"]
MAX_NESTING = 200


class ShellSyntaxError(Exception):
    """``syntax error: ...`` (the message after ``sh: ``)."""


# -- words --------------------------------------------------------------------------------------
@dataclass
class Lit:
    text: str
    quoted: bool = False


@dataclass
class Param:
    name: str  # "HOME", "?", "$", "#", "@", "*", "1"
    op: str | None = None  # ":-", "-", ":=", "=", ":+", "+", ":?", "?", "#" (length), "%", "%%", "#p", "##"
    arg: "Word | None" = None
    quoted: bool = False


@dataclass
class CmdSub:
    body: "Node"
    quoted: bool = False


@dataclass
class Arith:
    expr: "Word"
    quoted: bool = False


@dataclass
class Word:
    parts: list
    raw: str = ""

    def literal(self) -> str | None:
        """The word's text if it is made only of unquoted literal characters."""
        if all(isinstance(p, Lit) and not p.quoted for p in self.parts):
            return "".join(p.text for p in self.parts)
        return None


# -- commands ------------------------------------------------------------------------------------
@dataclass
class Redir:
    fd: int
    op: str  # ">", ">>", "<", ">&", "<&", "<>"
    target: Word


@dataclass
class Simple:
    assigns: list  # [(name, Word)]
    words: list  # [Word]
    redirs: list = field(default_factory=list)
    line: int = 1


@dataclass
class Pipeline:
    cmds: list
    negate: bool = False


@dataclass
class AndOr:
    first: "Node"
    rest: list  # [("&&"|"||", Node)]


@dataclass
class Seq:
    items: list  # [(Node, background: bool)]


@dataclass
class If:
    branches: list  # [(cond Node, body Node)]
    orelse: "Node | None"
    redirs: list = field(default_factory=list)


@dataclass
class Loop:
    until: bool
    cond: "Node"
    body: "Node"
    redirs: list = field(default_factory=list)


@dataclass
class For:
    var: str
    items: "list | None"  # None: "$@"
    body: "Node"
    redirs: list = field(default_factory=list)


@dataclass
class Case:
    word: Word
    arms: list  # [([Word patterns], Node | None)]
    redirs: list = field(default_factory=list)


@dataclass
class Group:
    body: "Node"
    subshell: bool
    redirs: list = field(default_factory=list)


@dataclass
class FuncDef:
    name: str
    body: "Node"


Node = object


# -- lexer ---------------------------------------------------------------------------------------
@dataclass
class Tok:
    kind: str  # "word", "op", "newline", "eof", "redir"
    value: str
    word: Word | None = None
    fd: int | None = None
    line: int = 1


def _is_name(s: str) -> bool:
    return bool(s) and (s[0].isalpha() or s[0] == "_") and all(c.isalnum() or c == "_" for c in s)


class Lexer:
    def __init__(self, src: str):
        self.src = src
        self.pos = 0
        self.line = 1

    def tokens(self) -> list[Tok]:
        out = []
        while True:
            t = self.next()
            out.append(t)
            if t.kind == "eof":
                return out

    def next(self) -> Tok:
        src = self.src
        while self.pos < len(src):
            c = src[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "\\" and src.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
            elif c == "#":
                while self.pos < len(src) and src[self.pos] != "\n":
                    self.pos += 1
            else:
                break
        if self.pos >= len(src):
            return Tok("eof", "", line=self.line)
        c = src[self.pos]
        if c == "\n":
            self.pos += 1
            self.line += 1
            return Tok("newline", "\n", line=self.line - 1)
        # an IO number: digits immediately followed by < or >
        j = self.pos
        while j < len(src) and src[j].isdigit():
            j += 1
        if j > self.pos and j < len(src) and src[j] in "<>":
            fd = int(src[self.pos:j])
            self.pos = j
            op = self._op()
            return Tok("redir", op, fd=fd, line=self.line)
        for op in OPERATORS:
            if src.startswith(op, self.pos):
                if op in ("<", ">", ">>", "<<", ">&", "<&", ">|", "<>"):
                    self.pos += len(op)
                    return Tok("redir", op, fd=None, line=self.line)
                self.pos += len(op)
                return Tok("op", op, line=self.line)
        start = self.pos
        line = self.line
        raw = self._scan_word()
        return Tok("word", raw, word=parse_word(raw), line=line)

    def _op(self) -> str:
        for op in (">>", "<<", ">&", "<&", ">|", "<>", "<", ">"):
            if self.src.startswith(op, self.pos):
                self.pos += len(op)
                return op
        raise AssertionError("unreachable")

    def _scan_word(self) -> str:
        """Raw text of one word, with quotes and nested substitutions kept for parse_word."""
        src = self.src
        start = self.pos
        while self.pos < len(src):
            c = src[self.pos]
            if c in " \t\n;&|<>()":
                break
            if c == "\\":
                self.pos += 2
                continue
            if c == "'":
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                self.line += src.count("\n", self.pos, end)
                self.pos = end + 1
                continue
            if c == '"':
                self._scan_dquote()
                continue
            if c == "`":
                self._scan_backquote()
                continue
            if c == "$" and self.pos + 1 < len(src) and src[self.pos + 1] in "({":
                self._scan_dollar()
                continue
            self.pos += 1
        return src[start:self.pos]

    def _scan_dquote(self) -> None:
        src = self.src
        self.pos += 1
        while self.pos < len(src):
            c = src[self.pos]
            if c == "\\":
                self.pos += 2
            elif c == '"':
                self.pos += 1
                return
            elif c == "`":
                self._scan_backquote()
            elif c == "$" and self.pos + 1 < len(src) and src[self.pos + 1] in "({":
                self._scan_dollar()
            else:
                if c == "\n":
                    self.line += 1
                self.pos += 1
        raise ShellSyntaxError("unterminated quoted string")

    def _scan_backquote(self) -> None:
        src = self.src
        self.pos += 1
        while self.pos < len(src):
            c = src[self.pos]
            if c == "\\":
                self.pos += 2
            elif c == "`":
                self.pos += 1
                return
            else:
                self.pos += 1
        raise ShellSyntaxError('unexpected end of file (expecting "`")')

    def _scan_dollar(self) -> None:
        """``$(...)``, ``$((...))`` or ``${...}``: skip to the matching close, minding quotes."""
        src = self.src
        opener = src[self.pos + 1]
        closer = ")" if opener == "(" else "}"
        self.pos += 2
        depth = 1
        while self.pos < len(src):
            c = src[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == "'" and opener == "(":
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                self.pos = end + 1
                continue
            if c == '"':
                self._scan_dquote()
                continue
            if c == "`":
                self._scan_backquote()
                continue
            if c == "$" and self.pos + 1 < len(src) and src[self.pos + 1] in "({":
                self._scan_dollar()
                continue
            if c == opener:
                depth += 1
            elif c == closer:
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return
            elif c == "\n":
                self.line += 1
            self.pos += 1
        raise ShellSyntaxError(f'unexpected end of file (expecting "{closer}")')


# -- word parsing -------------------------------------------------------------------------------
_SPECIAL_PARAMS = "?$#@*!-0123456789"


def parse_word(raw: str, depth: int = 0) -> Word:
    parts: list = []
    _parse_parts(raw, 0, len(raw), parts, quoted=False, depth=depth)
    return Word(_merge(parts), raw)


def _merge(parts: list) -> list:
    out: list = []
    for p in parts:
        if isinstance(p, Lit) and out and isinstance(out[-1], Lit) and out[-1].quoted == p.quoted:
            out[-1] = Lit(out[-1].text + p.text, p.quoted)
        else:
            out.append(p)
    return out


def _parse_parts(s: str, i: int, end: int, parts: list, quoted: bool, depth: int) -> None:
    if depth > MAX_NESTING:
        raise ShellSyntaxError("nesting too deep")
    while i < end:
        c = s[i]
        if c == "\\":
            if i + 1 >= end:
                parts.append(Lit("\\", quoted))
                i += 1
                continue
            n = s[i + 1]
            if n == "\n":
                i += 2
                continue
            if quoted and n not in '$`"\\':
                parts.append(Lit("\\" + n, True))
            else:
                parts.append(Lit(n, True))
            i += 2
        elif c == "'" and not quoted:
            j = s.index("'", i + 1)
            parts.append(Lit(s[i + 1:j], True))
            if j == i + 1:
                parts.append(Lit("", True))
            i = j + 1
        elif c == '"' and not quoted:
            j = _dquote_end(s, i + 1)
            inner: list = [Lit("", True)]  # "" is an (empty) field of its own
            _parse_parts(s, i + 1, j, inner, quoted=True, depth=depth + 1)
            parts.extend(inner)
            i = j + 1
        elif c == "`":
            j = i + 1
            body = []
            while j < end and s[j] != "`":
                if s[j] == "\\" and j + 1 < end and s[j + 1] in "$`\\":
                    body.append(s[j + 1])
                    j += 2
                    continue
                body.append(s[j])
                j += 1
            parts.append(CmdSub(parse("".join(body), depth + 1), quoted))
            i = j + 1
        elif c == "$":
            i = _parse_dollar(s, i, end, parts, quoted, depth)
        else:
            stops = "\\`$" if quoted else "\\'\"`$"
            j = i
            while j < end and s[j] not in stops:
                j += 1
            if j == i:
                j = i + 1
            parts.append(Lit(s[i:j], quoted))
            i = j


def _dquote_end(s: str, i: int) -> int:
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i
        elif c == "$" and i + 1 < len(s) and s[i + 1] in "({":
            lx = Lexer(s)
            lx.pos = i
            lx._scan_dollar()
            i = lx.pos
        elif c == "`":
            lx = Lexer(s)
            lx.pos = i
            lx._scan_backquote()
            i = lx.pos
        else:
            i += 1
    raise ShellSyntaxError("unterminated quoted string")


def _matching(s: str, i: int, opener: str, closer: str) -> int:
    """Index of the closer matching the opener just before ``i``."""
    lx = Lexer(s)
    lx.pos = i - 2
    lx._scan_dollar()
    return lx.pos - 1


def _parse_dollar(s: str, i: int, end: int, parts: list, quoted: bool, depth: int) -> int:
    if i + 1 >= end:
        parts.append(Lit("$", quoted))
        return i + 1
    n = s[i + 1]
    if n == "(":
        close = _matching(s, i + 2, "(", ")")
        inner = s[i + 2:close]
        if inner.startswith("(") and inner.endswith(")"):
            parts.append(Arith(parse_word_dq(inner[1:-1], depth + 1), quoted))
        else:
            parts.append(CmdSub(parse(inner, depth + 1), quoted))
        return close + 1
    if n == "{":
        close = _matching(s, i + 2, "{", "}")
        parts.append(_parse_braced(s[i + 2:close], quoted, depth))
        return close + 1
    if n in _SPECIAL_PARAMS:
        parts.append(Param(n, quoted=quoted))
        return i + 2
    if n.isalpha() or n == "_":
        j = i + 1
        while j < end and (s[j].isalnum() or s[j] == "_"):
            j += 1
        parts.append(Param(s[i + 1:j], quoted=quoted))
        return j
    parts.append(Lit("$", quoted))
    return i + 1


def parse_word_dq(text: str, depth: int = 0) -> Word:
    """A word read as if inside double quotes (``$(( ))`` bodies, ``${x:-word}`` in quotes)."""
    parts: list = []
    _parse_parts(text, 0, len(text), parts, quoted=True, depth=depth)
    return Word(_merge(parts), text)


def _parse_braced(body: str, quoted: bool, depth: int) -> Param:
    if body.startswith("#") and len(body) > 1:
        name = body[1:]
        if name in _SPECIAL_PARAMS or _is_name(name):
            return Param(name, "len", quoted=quoted)
        raise ShellSyntaxError(f"${{{body}}}: bad substitution")
    j = 0
    if body[:1] and body[0] in _SPECIAL_PARAMS:
        j = 1
    else:
        while j < len(body) and (body[j].isalnum() or body[j] == "_"):
            j += 1
    name = body[:j]
    rest = body[j:]
    if not name or (not _is_name(name) and name not in _SPECIAL_PARAMS and not name.isdigit()):
        raise ShellSyntaxError(f"${{{body}}}: bad substitution")
    if not rest:
        return Param(name, quoted=quoted)
    for op in (":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"):
        if rest.startswith(op):
            arg_text = rest[len(op):]
            arg = parse_word_dq(arg_text, depth + 1) if quoted else parse_word(arg_text, depth + 1)
            return Param(name, op, arg, quoted=quoted)
    raise ShellSyntaxError(f"${{{body}}}: bad substitution")


# -- parser --------------------------------------------------------------------------------------
def _tokname(t: Tok) -> str:
    if t.kind == "eof":
        return "end of file"
    if t.kind == "newline":
        return "newline"
    if t.kind == "redir":
        return "redirection"
    if t.kind == "word" and t.value not in KEYWORDS:
        return "word"
    return f'"{t.value}"'


class Parser:
    def __init__(self, src: str, depth: int = 0):
        self.toks = Lexer(src).tokens()
        self.i = 0
        self.depth = depth

    # token helpers
    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        t = self.toks[self.i]
        if t.kind != "eof":
            self.i += 1
        return t

    def is_kw(self, t: Tok, *words: str) -> bool:
        return t.kind == "word" and t.word is not None and t.word.literal() in words

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.take()

    def unexpected(self, expecting: str | None = None) -> ShellSyntaxError:
        msg = f"unexpected {_tokname(self.peek())}"
        if expecting:
            msg += f' (expecting "{expecting}")'
        return ShellSyntaxError(msg)

    def expect_kw(self, word: str) -> None:
        self.skip_newlines()
        if not self.is_kw(self.peek(), word):
            raise self.unexpected(word)
        self.take()

    # grammar
    def program(self) -> Node:
        node = self.list_(top=True)
        if self.peek().kind != "eof":
            raise self.unexpected()
        return node

    def list_(self, top: bool = False) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ShellSyntaxError("nesting too deep")
        items = []
        while True:
            self.skip_newlines()
            t = self.peek()
            if t.kind == "eof" or (t.kind == "op" and t.value in (")", ";;")) or (
                    self.is_kw(t, *STOP_WORDS)):
                break
            node = self.and_or()
            t = self.peek()
            bg = False
            if t.kind == "op" and t.value in (";", "&"):
                bg = t.value == "&"
                self.take()
            elif t.kind not in ("newline", "eof") and not (t.kind == "op" and t.value in (")", ";;")) \
                    and not self.is_kw(t, *STOP_WORDS):
                raise self.unexpected()
            items.append((node, bg))
        self.depth -= 1
        return Seq(items)

    def and_or(self) -> Node:
        first = self.pipeline()
        rest = []
        while self.peek().kind == "op" and self.peek().value in ("&&", "||"):
            op = self.take().value
            self.skip_newlines()
            rest.append((op, self.pipeline()))
        return AndOr(first, rest) if rest else first

    def pipeline(self) -> Node:
        negate = False
        if self.is_kw(self.peek(), "!"):
            self.take()
            negate = True
        cmds = [self.command()]
        while self.peek().kind == "op" and self.peek().value == "|":
            self.take()
            self.skip_newlines()
            cmds.append(self.command())
        if len(cmds) == 1 and not negate:
            return cmds[0]
        return Pipeline(cmds, negate)

    def command(self) -> Node:
        t = self.peek()
        if t.kind == "op" and t.value == "(":
            self.take()
            body = self.list_()
            if not (self.peek().kind == "op" and self.peek().value == ")"):
                raise self.unexpected(")")
            self.take()
            return self.redirs_after(Group(body, True))
        if t.kind == "word":
            kw = t.word.literal() if t.word else None
            if kw == "if":
                return self.redirs_after(self.if_())
            if kw in ("while", "until"):
                self.take()
                cond = self.list_()
                self.expect_kw("do")
                body = self.list_()
                self.expect_kw("done")
                return self.redirs_after(Loop(kw == "until", cond, body))
            if kw == "for":
                return self.redirs_after(self.for_())
            if kw == "case":
                return self.redirs_after(self.case_())
            if kw == "{":
                self.take()
                body = self.list_()
                self.expect_kw("}")
                return self.redirs_after(Group(body, False))
            if kw in STOP_WORDS or kw == "in":
                raise self.unexpected()
            if kw == "function":
                self.take()
                name = self.take()
                if name.kind != "word":
                    raise self.unexpected()
                if self.peek().kind == "op" and self.peek().value == "(":
                    self.take()
                    if not (self.peek().kind == "op" and self.peek().value == ")"):
                        raise self.unexpected(")")
                    self.take()
                self.skip_newlines()
                return FuncDef(name.value, self.command())
            # name() compound
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if kw and _is_name(kw) and nxt is not None and nxt.kind == "op" and nxt.value == "(":
                after = self.toks[self.i + 2] if self.i + 2 < len(self.toks) else None
                if after is not None and after.kind == "op" and after.value == ")":
                    self.i += 3
                    self.skip_newlines()
                    return FuncDef(kw, self.command())
                self.i += 1
                raise self.unexpected()
        return self.simple()

    def redirs_after(self, node):
        while self.peek().kind == "redir":
            node.redirs.append(self.redirect())
        return node

    def redirect(self) -> Redir:
        t = self.take()
        target = self.take()
        if target.kind != "word":
            self.i -= 1 if target.kind != "eof" else 0
            raise self.unexpected()
        op = t.value
        if op == "<<":
            raise ShellSyntaxError("here-documents are not supported by this shell")
        if op == ">|":
            op = ">"
        fd = t.fd if t.fd is not None else (0 if op in ("<", "<&", "<>") else 1)
        return Redir(fd, op, target.word)

    def simple(self) -> Node:
        assigns, words, redirs = [], [], []
        line = self.peek().line
        while True:
            t = self.peek()
            if t.kind == "redir":
                redirs.append(self.redirect())
            elif t.kind == "word":
                raw = t.value
                eq = raw.find("=")
                if not words and eq > 0 and _is_name(raw[:eq]):
                    self.take()
                    assigns.append((raw[:eq], parse_word(raw[eq + 1:], self.depth)))
                else:
                    self.take()
                    words.append(t.word)
            else:
                break
        if not (assigns or words or redirs):
            raise self.unexpected()
        return Simple(assigns, words, redirs, line)

    def if_(self) -> Node:
        self.take()
        branches = []
        cond = self.list_()
        self.expect_kw("then")
        body = self.list_()
        branches.append((cond, body))
        orelse = None
        while True:
            self.skip_newlines()
            t = self.peek()
            if self.is_kw(t, "elif"):
                self.take()
                c = self.list_()
                self.expect_kw("then")
                branches.append((c, self.list_()))
            elif self.is_kw(t, "else"):
                self.take()
                orelse = self.list_()
                self.expect_kw("fi")
                break
            elif self.is_kw(t, "fi"):
                self.take()
                break
            else:
                raise self.unexpected("fi")
        return If(branches, orelse)

    def for_(self) -> Node:
        self.take()
        name = self.take()
        if name.kind != "word" or not _is_name(name.value):
            raise ShellSyntaxError(f"bad for loop variable") if name.kind == "word" else self.unexpected()
        items = None
        while self.peek().kind == "newline":
            self.take()
        if self.is_kw(self.peek(), "in"):
            self.take()
            items = []
            while self.peek().kind == "word":
                items.append(self.take().word)
            t = self.peek()
            if t.kind == "op" and t.value == ";" or t.kind == "newline":
                self.take()
            else:
                raise self.unexpected()
        elif self.peek().kind == "op" and self.peek().value == ";":
            self.take()
        self.expect_kw("do")
        body = self.list_()
        self.expect_kw("done")
        return For(name.value, items, body)

    def case_(self) -> Node:
        self.take()
        w = self.take()
        if w.kind != "word":
            raise self.unexpected()
        self.skip_newlines()
        if not self.is_kw(self.peek(), "in"):
            raise self.unexpected("in")
        self.take()
        arms = []
        while True:
            self.skip_newlines()
            t = self.peek()
            if self.is_kw(t, "esac"):
                self.take()
                break
            if t.kind == "op" and t.value == "(":
                self.take()
            pats = []
            while True:
                p = self.take()
                if p.kind != "word":
                    self.i -= 1
                    raise self.unexpected()
                pats.append(p.word)
                t = self.peek()
                if t.kind == "op" and t.value == "|":
                    self.take()
                    continue
                if t.kind == "op" and t.value == ")":
                    self.take()
                    break
                raise self.unexpected(")")
            body = self.list_()
            arms.append((pats, body))
            t = self.peek()
            if t.kind == "op" and t.value == ";;":
                self.take()
                continue
            self.skip_newlines()
            if self.is_kw(self.peek(), "esac"):
                self.take()
                break
            raise self.unexpected("esac") if self.peek().kind == "eof" else self.unexpected()
        return Case(w.word, arms)


def parse(src: str, depth: int = 0) -> Node:
    """Parse a whole script; raises :class:`ShellSyntaxError` with ash's message."""
    if depth > MAX_NESTING:
        raise ShellSyntaxError("nesting too deep")
    try:
        return Parser(src, depth).program()
    except RecursionError:
        raise ShellSyntaxError("nesting too deep") from None
