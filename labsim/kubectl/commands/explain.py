"""``kubectl explain``: documentation of a kind or field, from the v1.32 schemas.

A port of kubectl's OpenAPI v3 renderer (kubernetes/kubectl: pkg/explain/v2/templates/
plaintext.tmpl and funcs.go): the header (``GROUP:``/``KIND:``/``VERSION:``), ``FIELD: name <type>``
for a field path, ``DESCRIPTION:`` (the field's description followed by its type's, word-wrapped
at 76 columns and indented 4, as the template's ``description``/``wrap``/``indent`` do), and
``FIELDS:`` with ``name<TAB><type>`` lines, `` -required-`` marks, ``enum:`` hints and wrapped
descriptions; ``--recursive`` prints the nested field tree instead.

Type hints follow the template's ``typeGuess``: a referenced object type prints its short name
(``ObjectMeta``, ``[]Container``), ``map[string]string``, ``integer``, ``boolean``; Quantity and
IntOrString print their names.

Limitations: descriptions come from the kubernetes-validate package's v1.32 definitions, which
lack the ``Possible enum values`` paragraphs and enum lists a v1.32 server's OpenAPI v3 adds to
some fields (``imagePullPolicy``, ``restartPolicy``, ...).
"""
from __future__ import annotations

from labsim.api import schema as api_schema
from labsim.api.registry import REGISTRY
from labsim.errors import KubectlError
from labsim.kubectl.cli import command
from labsim.kubectl.resource import resolve_type

_NBSP = "\u00a0"


def wrap_string(s: str, lim: int) -> str:
    """``github.com/mitchellh/go-wordwrap`` ``WrapString`` (v1.0.1), used by explain's ``wrap``."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for ch in s:
        if ch == "\n":
            if not word:
                if current + len(space) > lim:
                    current = 0
                else:
                    current += len(space)
                    out.extend(space)
                space = []
            else:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            out.append(ch)
            current = 0
        elif ch.isspace() and ch != _NBSP:
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(ch)
        else:
            word.append(ch)
            if current + len(space) + len(word) > lim and len(word) < lim:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= lim:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, s: str) -> str:
    pad = " " * amount
    return pad + s.replace("\n", "\n" + pad)


def type_guess(t: "api_schema.GoType") -> str:
    """The template's ``typeGuess`` over a compiled schema type."""
    k = t.kind
    if k == api_schema.SLICE:
        return "[]" + type_guess(t.elem)
    if k == api_schema.MAP:
        return "map[string]" + type_guess(t.elem)
    if k == api_schema.STRUCT:
        return t.definition.rsplit(".", 1)[-1] if t.definition else "Object"
    if k == api_schema.INTSTR:
        return "IntOrString"
    if k == api_schema.QUANTITY:
        return "Quantity"
    if k == api_schema.ANY:
        return t.definition.rsplit(".", 1)[-1] if t.definition else "Object"
    return {api_schema.STRING: "string", api_schema.INT: "integer", api_schema.FLOAT: "number",
            api_schema.BOOL: "boolean", api_schema.TIME: "string", api_schema.BYTES: "string"}[k]


def _enum_of(prop: dict, top_level_name: str | None) -> list:
    # kubernetes-validate adds enums to every kind's apiVersion/kind; a server's OpenAPI does not
    if top_level_name in ("apiVersion", "kind"):
        return []
    return [e for e in prop.get("enum") or [] if e is not None]


def _enum_text(values: list, long_view: bool, limit: int, indent_amount: int = 0) -> str:
    if not values:
        return ""
    out = "ENUM:" if long_view else "\n" + " " * indent_amount + "enum: "
    for i, v in enumerate(values):
        if limit > -1 and i >= limit:
            out += ", ...."
            break
        if i > 0 and not long_view:
            out += ", "
        elif long_view:
            out += "\n    "
        out += '""' if v == "" else str(v)
    return out


def _element(t):
    while t.kind in (api_schema.SLICE, api_schema.MAP):
        t = t.elem
    return t


def _descriptions(prop: dict | None, t) -> str:
    """The template's ``description``: the field's own text, then its type's (through lists/maps)."""
    out = ""
    if prop and prop.get("description"):
        out += prop["description"] + "\n"
    inner = t
    while inner.kind in (api_schema.SLICE, api_schema.MAP):
        inner = inner.elem
    if inner is not t or (prop is not None):
        type_desc = inner.schema.get("description", "") if inner.definition else ""
        if type_desc and (prop is None or type_desc != prop.get("description")):
            out += type_desc + "\n"
    elif not prop:
        if t.schema.get("description"):
            out += t.schema["description"] + "\n"
    return out


def _field_list(t, level: int, recursive: bool, history: frozenset, top: bool) -> str:
    inner = _element(t)
    if inner.kind != api_schema.STRUCT:
        return ""
    if inner.definition and inner.definition in history:
        return ""
    history = history | ({inner.definition} if inner.definition else set())
    props = inner.schema.get("properties") or {}
    required = set(inner.schema.get("required") or [])
    out = ""
    for name in sorted(props):
        prop = props[name]
        ft = inner.fields[name]
        ind = level * 2
        line = indent(ind, name) + f"\t<{type_guess(ft)}>"
        if name in required:
            line += " -required-"
        line += _enum_text(_enum_of(prop, name if top else None), False, 4, ind)
        out += line + "\n"
        if not recursive:
            desc = prop.get("description") or "<no description>"
            out += indent(ind + 2, wrap_string(desc, 78 - ind)) + "\n\n"
        else:
            out += _field_list(ft, level + 1, True, history, False)
    return out


@command("explain")
def explain(inv) -> None:
    if not inv.args:
        raise KubectlError('You must specify the type of resource to explain. Use "kubectl api-resources" for a '
                           "complete list of supported resources.")
    if len(inv.args) > 1:
        raise KubectlError("We accept only this format: explain RESOURCE")
    output = inv.opts.get("output") or "plaintext"
    if output not in ("plaintext", "plaintext-openapiv2"):
        raise KubectlError(f"unsupported output format: {output}")
    parts = inv.args[0].split(".")
    rt = None
    # "deployments.apps.spec" / "deploy.spec.replicas": the longest prefix naming a type wins
    for n in range(len(parts), 0, -1):
        candidate = REGISTRY.resolve(".".join(parts[:n]))
        if candidate is not None:
            rt, path = candidate, parts[n:]
            break
    if rt is None:
        resolve_type(parts[0])  # raises kubectl's unknown-type error
    api_version = inv.opts.get("api-version") or ""
    definition_package = rt.schema_package
    version = rt.version
    if api_version:
        group, _, version = api_version.rpartition("/")
        if group != rt.group or (version != rt.version and version not in rt.also_served):
            raise KubectlError(f"couldn't find resource for \"{rt.group}/{version}, Resource={rt.plural}\"")
        definition_package = rt.schema_package.rsplit(".", 1)[0] + "." + version
    t = api_schema._type_for_definition(f"{definition_package}.{rt.kind}")
    if t is None:
        raise KubectlError(f"GVK {rt.group}/{version}, Kind={rt.kind} not found in OpenAPI schema")
    out = ""
    if rt.group:
        out += f"GROUP:      {rt.group}\n"
    out += f"KIND:       {rt.kind}\n"
    out += f"VERSION:    {version}\n\n"
    prop: dict | None = None
    for i, name in enumerate(path):
        inner = _element(t)
        props = inner.schema.get("properties") or {} if inner.kind == api_schema.STRUCT else {}
        if name not in props:
            # the template has already written the header when it throws
            inv.out(out)
            raise KubectlError(f'field "{name}" does not exist')
        prop = props[name]
        t = inner.fields[name]
        if i == len(path) - 1:
            out += f"FIELD: {name} <{type_guess(t)}>\n"
            out += _enum_text(_enum_of(prop, None), True, -1) + "\n\n"
    desc = _descriptions(prop, t) if path else (t.schema.get("description", "") + "\n"
                                                 if t.schema.get("description") else "")
    out += "DESCRIPTION:\n" + indent(4, wrap_string(desc or "<empty>", 76)) + "\n"
    fields = _field_list(t, 1, bool(inv.opts.get("recursive")), frozenset(), not path)
    if fields:
        out += "FIELDS:\n" + fields
    inv.out(out + "\n")
