"""kubectl's command line: the cobra command tree and pflag parsing, with the real error texts.

The command tree, every command's flags (name, shorthand, type, default) and help texts are data
captured from the real kubectl v1.32 client (``data/cli.json``, made by
``tools/gen_kubectl_cli_data.py``), so ``--help``, unknown flags, missing arguments, bad values and
unknown-command suggestions read exactly as kubectl prints them. Commands labsim implements
register a handler with :func:`command`; the rest of kubectl's tree is known, so a real command
that the simulator does not offer gets a clear message instead of "unknown command".

pflag rules implemented: ``--flag=value``, ``--flag value``, ``-f value``, ``-fvalue``, ``-f=value``,
combined boolean shorthands (``-it``), booleans take no separate value (``--watch=false`` only),
``--`` ends flag parsing (``ArgsLenAtDash``), flags may follow positional arguments.
"""
from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from labsim.kubectl import Invocation

_DATA = os.path.join(os.path.dirname(__file__), "data", "cli.json")

#: Flags kubectl v1.32 still accepts but hides from help (deprecated), per command.
HIDDEN_FLAGS: dict[str, list[dict]] = {}
_RECORD = {"short": None, "long": "record", "type": "bool", "default": "false"}
# Checked against the real v1.32 client (`kubectl <cmd> --record --help`): the create generators,
# replace, rollout *, set env, set subject and taint answer "unknown flag: --record".
for _cmd in ("annotate", "apply", "autoscale", "create", "edit", "expose", "label", "patch", "run", "scale",
             "set image", "set resources", "set selector", "set serviceaccount"):
    HIDDEN_FLAGS.setdefault(_cmd, []).append(_RECORD)

#: deprecation warnings pflag prints when a deprecated flag is used
DEPRECATED_FLAGS = {"record": "--record will be removed in the future"}
#: pflag ``NoOptDefVal``: the value of ``--flag`` given without ``=value`` (kubernetes/kubectl:
#: pkg/cmd/util/helpers.go AddDryRunFlag/AddValidateFlags, pkg/cmd/delete/delete_flags.go)
NO_OPT_DEFAULTS = {"dry-run": "unchanged", "validate": "strict", "cascade": "background"}


@lru_cache(maxsize=1)
def cli_data() -> dict[str, Any]:
    with open(_DATA) as f:
        return json.load(f)


@dataclass
class FlagSpec:
    long: str
    short: str | None
    type: str  # bool | string | int | float | duration | stringSlice | stringArray | stringToString
    default: str

    @property
    def display(self) -> str:
        return f"-{self.short}, --{self.long}" if self.short else f"--{self.long}"


class UsageError(Exception):
    """A cobra/pflag error: printed as ``Error: <msg>`` plus a ``See ... --help`` hint."""


class Options:
    """Parsed flag values, by long name with ``-`` replaced by ``_`` (``opts.all_namespaces``)."""

    def __init__(self, specs: dict[str, FlagSpec]):
        self._specs = specs
        self._values: dict[str, Any] = {}
        #: (long name, raw value) in command-line order, for ``--record``'s change-cause
        self.given: list[tuple[str, str]] = []

    def changed(self, long: str) -> bool:
        return long in self._values

    def get(self, long: str, default: Any = None) -> Any:
        if long in self._values:
            return self._values[long]
        spec = self._specs.get(long)
        if spec is None:
            return default
        return _default_value(spec)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        long = name.replace("_", "-")
        if long not in self._specs:
            raise AttributeError(f"no flag --{long}")
        return self.get(long)

    def set(self, spec: FlagSpec, raw: str) -> None:
        value = _convert(spec, raw)
        if spec.type in ("stringSlice", "stringArray"):
            prev = self._values.get(spec.long, [])
            value = prev + value
        elif spec.type == "stringToString":
            value = {**self._values.get(spec.long, {}), **value}
        self._values[spec.long] = value
        self.given.append((spec.long, raw))


def _default_value(spec: FlagSpec) -> Any:
    d = spec.default
    if spec.type == "bool":
        return d == "true"
    if spec.type == "int":
        return int(d)
    if spec.type == "float":
        return float(d)
    if spec.type in ("stringSlice", "stringArray"):
        inner = d[1:-1] if d.startswith("[") else d
        return [x for x in inner.split(",") if x] if inner else []
    if spec.type == "stringToString":
        return {}
    if spec.type == "duration":
        from labsim.clock import parse_duration

        return parse_duration(d) if d else 0.0
    return d


def _convert(spec: FlagSpec, raw: str) -> Any:
    t = spec.type
    if t == "bool":
        v = _parse_bool(raw)
        if v is None:
            raise UsageError(f'invalid argument "{raw}" for "{spec.display}" flag: strconv.ParseBool: '
                             f'parsing "{raw}": invalid syntax')
        return v
    if t == "int":
        try:
            if not raw.strip() or raw.strip() != raw:
                raise ValueError
            return int(raw, 0) if raw.lower().startswith(("0x", "-0x")) else int(raw)
        except ValueError:
            raise UsageError(f'invalid argument "{raw}" for "{spec.display}" flag: strconv.ParseInt: '
                             f'parsing "{raw}": invalid syntax') from None
    if t == "float":
        try:
            return float(raw)
        except ValueError:
            raise UsageError(f'invalid argument "{raw}" for "{spec.display}" flag: strconv.ParseFloat: '
                             f'parsing "{raw}": invalid syntax') from None
    if t == "duration":
        from labsim.clock import parse_duration

        try:
            if raw in ("0",):
                return 0.0
            if raw.strip() and raw.strip()[-1].isdigit():
                raise ValueError
            return parse_duration(raw)
        except ValueError:
            missing = raw and raw[-1].isdigit()
            detail = f'time: missing unit in duration "{raw}"' if missing else f'time: invalid duration "{raw}"'
            raise UsageError(f'invalid argument "{raw}" for "{spec.display}" flag: {detail}') from None
    if t == "stringSlice":
        return _split_csv(raw)
    if t == "stringArray":
        return [raw]
    if t == "stringToString":
        out = {}
        for part in _split_csv(raw):
            k, sep, v = part.partition("=")
            if not sep:
                raise UsageError(f'invalid argument "{raw}" for "{spec.display}" flag: {part} must be formatted as key=value')
            out[k] = v
        return out
    return raw


def _parse_bool(raw: str) -> bool | None:
    # strconv.ParseBool
    if raw in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if raw in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None


def _split_csv(raw: str) -> list[str]:
    """pflag's stringSlice reads its value as one CSV record."""
    if raw == "":
        return []
    import csv

    try:
        return next(csv.reader([raw]))
    except (csv.Error, StopIteration):
        return raw.split(",")


# -- the command tree --------------------------------------------------------------------------

@dataclass
class Command:
    path: str  # "rollout status"
    handler: Callable[["Invocation"], None] | None = None
    #: extra flags beyond the captured ones (labsim-specific, e.g. none yet)
    extra_flags: list[FlagSpec] = field(default_factory=list)


_HANDLERS: dict[str, Callable[["Invocation"], None]] = {}


def command(path: str) -> Callable[[Callable[["Invocation"], None]], Callable[["Invocation"], None]]:
    """Register the handler of a kubectl command (``@command("rollout status")``)."""

    def deco(fn: Callable[["Invocation"], None]) -> Callable[["Invocation"], None]:
        if path not in cli_data():
            raise ValueError(f"kubectl has no command {path!r}")
        _HANDLERS[path] = fn
        return fn

    return deco


def handlers() -> dict[str, Callable[["Invocation"], None]]:
    _load_commands()
    return _HANDLERS


_loaded = False


def _load_commands() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib
    import pkgutil

    from labsim.kubectl import commands

    for mod in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        importlib.import_module(f"labsim.kubectl.commands.{mod}")


@lru_cache(maxsize=None)
def command_aliases(parent: str) -> dict[str, str]:
    """cobra ``Aliases`` of the sub-commands of ``parent`` (``create deploy`` -> ``deployment``),
    read from the captured help texts (``Aliases:\ndeployment, deploy``)."""
    data = cli_data()
    out: dict[str, str] = {}
    for sub in data.get(parent, {}).get("subcommands", []):
        help_text = data.get(f"{parent} {sub}".strip(), {}).get("help", "")
        m = re.search(r"^Aliases:\n(.*)$", help_text, re.M)
        if m:
            for alias in m.group(1).split(", ")[1:]:
                out.setdefault(alias.strip(), sub)
    return out


@lru_cache(maxsize=None)
def flag_specs(path: str) -> dict[str, FlagSpec]:
    data = cli_data()
    specs: dict[str, FlagSpec] = {}
    for f in data["__global__"]["flags"]:
        specs[f["long"]] = FlagSpec(f["long"], f["short"], f["type"], f["default"])
    for f in data.get(path, {}).get("flags", []) + HIDDEN_FLAGS.get(path, []):
        specs[f["long"]] = FlagSpec(f["long"], f["short"], f["type"], f["default"])
    specs.setdefault("help", FlagSpec("help", "h", "bool", "false"))
    return specs


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggestions(typed: str, candidates: list[str]) -> list[str]:
    """cobra ``SuggestionsFor`` with ``SuggestionsMinimumDistance = 2``."""
    out = []
    for c in candidates:
        if levenshtein(typed.lower(), c.lower()) <= 2 or c.lower().startswith(typed.lower()):
            out.append(c)
    return out


@dataclass
class ParsedCommand:
    path: str
    args: list[str]
    opts: Options
    args_len_at_dash: int  # -1 when no "--" was given
    argv: list[str]


def find_command(argv: list[str]) -> tuple[str, list[str]]:
    """Walk the tree along leading non-flag words (cobra's ``Find``), skipping global flags'
    values. Returns the command path and the remaining argv."""
    data = cli_data()
    path: list[str] = []
    rest: list[str] = []
    i = 0
    global_specs = flag_specs("")
    words_done = False
    while i < len(argv):
        a = argv[i]
        if words_done:
            rest.append(a)
            i += 1
            continue
        if a == "--":
            rest.extend(argv[i:])
            break
        if a.startswith("-") and len(a) > 1:
            rest.append(a)
            # a global flag with a separate value: keep the value with it
            name = a[2:] if a.startswith("--") else a[1:]
            if "=" not in name:
                spec = None
                if a.startswith("--"):
                    spec = global_specs.get(name)
                elif len(name) == 1:
                    spec = next((s for s in global_specs.values() if s.short == name), None)
                if spec is not None and spec.type != "bool" and i + 1 < len(argv):
                    rest.append(argv[i + 1])
                    i += 1
            i += 1
            continue
        subs = data.get(" ".join(path), {}).get("subcommands", [])
        if not path and a == "options":  # a hidden top-level command
            subs = subs + ["options"]
        a = command_aliases(" ".join(path)).get(a, a)
        key = " ".join(path + [a])
        if a in subs and key in data:
            path.append(a)
        else:
            words_done = True
            rest.append(a)
        i += 1
    return " ".join(path), rest


def parse_flags(path: str, argv: list[str]) -> ParsedCommand:
    specs = flag_specs(path)
    by_short = {s.short: s for s in specs.values() if s.short}
    opts = Options(specs)
    args: list[str] = []
    dash = -1
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            dash = len(args)
            args.extend(argv[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            spec = specs.get(name)
            if spec is None:
                raise UsageError(f"unknown flag: --{name}")
            if spec.type == "bool":
                opts.set(spec, value if eq else "true")
            elif not eq and name in NO_OPT_DEFAULTS:
                opts.set(spec, NO_OPT_DEFAULTS[name])
            elif eq:
                opts.set(spec, value)
            else:
                if i + 1 >= len(argv):
                    raise UsageError(f"flag needs an argument: --{name}")
                i += 1
                opts.set(spec, argv[i])
            i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            shorts = a[1:]
            j = 0
            while j < len(shorts):
                c = shorts[j]
                spec = by_short.get(c)
                if spec is None:
                    raise UsageError(f"unknown shorthand flag: '{c}' in -{shorts}")
                if spec.type == "bool":
                    if j + 1 < len(shorts) and shorts[j + 1] == "=":
                        opts.set(spec, shorts[j + 2:])
                        break
                    opts.set(spec, "true")
                    j += 1
                    continue
                value = shorts[j + 1:]
                if value.startswith("="):
                    value = value[1:]
                elif value == "":
                    if i + 1 >= len(argv):
                        raise UsageError(f"flag needs an argument: '{c}' in -{shorts}")
                    i += 1
                    value = argv[i]
                opts.set(spec, value)
                break
            i += 1
            continue
        args.append(a)
        i += 1
    return ParsedCommand(path, args, opts, dash, argv)


def split_command_line(line: str) -> list[str]:
    """Split a command line as a POSIX shell would (quotes, escapes); a leading ``kubectl`` is dropped."""
    words = shlex.split(line, comments=False, posix=True)
    if words and words[0] in ("kubectl", "k"):
        words = words[1:]
    return words
