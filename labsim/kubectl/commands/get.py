"""``kubectl get`` (kubernetes/kubectl ``pkg/cmd/get/get.go``, v0.32).

Human-readable output (default, ``-o wide``) prints the server's table for each resource type
(``labsim.kubectl.printers.tables``) decorated by kubectl (``table_printer``), one block per type
separated by an empty line. Every other format goes through ``printGeneric``: one object as is,
several objects (or any list) wrapped in a ``List``.

Selectors are the server's business: ``-l`` and ``--field-selector`` are parsed as the API server
parses them, and a parse error is its BadRequest wrapped by kubectl's resource builder
(``Unable to find "/v1, Resource=pods" that match label selector ...``).

Limitations: ``go-template``/``template`` output formats are not simulated (a clear error);
``--raw``, ``--subresource``, ``--chunk-size`` and ``-k`` are not supported.
"""
from __future__ import annotations

import functools

from labsim.api import fields as fieldsel
from labsim.api import labels as labelsel
from labsim.api.gofmt import go_quote
from labsim.errors import KubectlError, StatusError
from labsim.kubectl import resource
from labsim.kubectl.cli import command
from labsim.kubectl.errors import format_error, verbatim
from labsim.kubectl.printers import output
from labsim.kubectl.printers.custom_columns import columns_from_spec, columns_from_template
from labsim.kubectl.printers.custom_columns import row as custom_row
from labsim.kubectl.printers.jsonpath import JSONPath, JSONPathError, go_sharp_v, relaxed_jsonpath_expression
from labsim.kubectl.printers.table_printer import TableOptions, TablePrinter
from labsim.kubectl.printers.tabwriter import GET_SETTINGS, TabWriter

ALLOWED_FORMATS = ("custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
                   "jsonpath-file,name,template,templatefile,wide,yaml")

NO_TYPE_MESSAGE = (
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported '
    "resources.\n\nerror: Required resource not specified.\n"
    'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n'
    "See 'kubectl get -h' for help and examples")


# -- printers --------------------------------------------------------------------------------------
class OutputSpec:
    """The ``-o`` value resolved to a printer kind (``get.go`` ``PrintFlags.ToPrinter``)."""

    def __init__(self, inv):
        raw = inv.opts.get("output") or ""
        template = inv.opts.get("template") or ""
        fmt, sep, arg = raw.partition("=")
        if not sep and fmt in ("jsonpath", "jsonpath-as-json", "jsonpath-file", "custom-columns",
                               "custom-columns-file", "go-template", "go-template-file", "template",
                               "templatefile"):
            arg = template
        if raw == "" and template:
            fmt = "template"
            arg = template
        valid = ("", "wide", "yaml", "json", "name", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                 "custom-columns", "custom-columns-file", "go-template", "go-template-file", "template",
                 "templatefile")
        if fmt not in valid:
            raise KubectlError(f'unable to match a printer suitable for the output format "{raw}", '
                               f"allowed formats are: {ALLOWED_FORMATS}")
        self.format = fmt
        self.arg = arg
        self.human = fmt in ("", "wide")
        self.wide = fmt == "wide"
        self.allow_missing = inv.opts.get("allow-missing-template-keys")
        self.jsonpath: JSONPath | None = None
        self.columns = None
        if fmt in ("go-template", "go-template-file", "template", "templatefile"):
            raise KubectlError(f"-o {fmt} is not supported by the simulator; use -o jsonpath or "
                               "-o custom-columns instead")
        if fmt in ("jsonpath", "jsonpath-as-json", "jsonpath-file"):
            text = arg
            if fmt == "jsonpath-file":
                text = inv.read_file(arg)
            if not text and fmt != "jsonpath-file":
                raise KubectlError("template format specified but no template given")
            try:
                self.jsonpath = JSONPath.parse(text, allow_missing_keys=self.allow_missing,
                                               output_json=fmt == "jsonpath-as-json")
            except JSONPathError as e:
                raise KubectlError(f"error parsing jsonpath {text}, {e}\n") from None
            self.raw_template = text
        if fmt == "custom-columns":
            self.columns = columns_from_spec(arg)
        elif fmt == "custom-columns-file":
            self.columns = columns_from_template(inv.read_file(arg))
        if inv.opts.get("show-labels") and not self.human:
            name = fmt.replace("-file", "").replace("-as-json", "")
            raise KubectlError(f"--show-labels option cannot be used with {name} printer")

    def print_object(self, obj: dict, show_managed: bool) -> str:
        """Print one object (or a List) with a non-table printer."""
        if not show_managed:
            obj = _strip_all_managed(obj)
        if self.format == "yaml":
            return output.to_yaml(obj)
        if self.format == "json":
            return output.to_json(obj)
        if self.jsonpath is not None:
            try:
                return self.jsonpath.execute(obj)
            except JSONPathError as e:
                dump = go_sharp_v(obj)
                buf = (f"Error executing template: {e}. Printing more information for debugging the template:\n"
                       f"\ttemplate was:\n\t\t{self.raw_template}\n"
                       f"\tobject given to jsonpath engine was:\n\t\t{dump}\n\n")
                raise KubectlError(f"error executing jsonpath {go_quote(self.raw_template)}: {buf}\n") from None
        raise AssertionError(self.format)


def _strip_all_managed(obj: dict) -> dict:
    if obj.get("kind") == "List" and isinstance(obj.get("items"), list):
        return {**obj, "items": [output.strip_managed_fields(o) for o in obj["items"]]}
    return output.strip_managed_fields(obj)


# -- sorting (kubectl pkg/cmd/get/sorter.go) -----------------------------------------------------------
def natural_less(a: str, b: str) -> bool:
    """``sortorder.NaturalLess``: digit runs compare as numbers, digits before other characters."""
    i = j = 0
    la, lb = len(a), len(b)
    while i < la and j < lb:
        c1, c2 = a[i], b[j]
        d1, d2 = c1.isdigit() and c1.isascii(), c2.isdigit() and c2.isascii()
        if d1 != d2:
            return d1
        if not d1:
            if c1 != c2:
                return c1.encode() < c2.encode()
            i += 1
            j += 1
            continue
        while i < la and a[i] == "0":
            i += 1
        while j < lb and b[j] == "0":
            j += 1
        nz1, nz2 = i, j
        while i < la and a[i].isdigit() and a[i].isascii():
            i += 1
        while j < lb and b[j].isdigit() and b[j].isascii():
            j += 1
        if (i - nz1) != (j - nz2):
            return (i - nz1) < (j - nz2)
        if a[nz1:i] != b[nz2:j]:
            return a[nz1:i] < b[nz2:j]
        if nz1 != nz2:
            return nz1 < nz2
    return la < lb


def _is_less(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return natural_less(a, b)
    if isinstance(a, bool) or isinstance(b, bool):
        return (not a) and bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a < b
    return False


def sort_objects(objs: list[dict], sort_by: str) -> list[dict]:
    """``NewTableSorter`` + ``Less``: raises KubectlError when the path is found on no object."""
    try:
        jp = JSONPath.parse(relaxed_jsonpath_expression(sort_by), allow_missing_keys=True)
    except JSONPathError as e:
        raise KubectlError(f"sorting error: {e}") from None
    keyed = []
    found = False
    for o in objs:
        try:
            res = jp.find_results(o)
        except JSONPathError as e:
            raise KubectlError(str(e)) from None
        v = res[0][0] if res and res[0] else _MISSING
        if v is not _MISSING:
            found = True
        keyed.append((v, o))
    if objs and not found:
        raise KubectlError(f"couldn't find any field with path {go_quote(sort_by)} in the list of objects")

    def cmp(x, y):
        a, b = x[0], y[0]
        if a is _MISSING:
            return -1
        if b is _MISSING:
            return 1
        if _is_less(a, b):
            return -1
        if _is_less(b, a):
            return 1
        return 0
    return [o for _, o in sorted(keyed, key=functools.cmp_to_key(cmp))]


_MISSING = object()


# -- selection ----------------------------------------------------------------------------------------
class Selection:
    """One resource type and the objects ``get`` shows for it."""

    def __init__(self, rt, objs: list[dict]):
        self.rt = rt
        self.objs = objs


def _bad_request(rt, label_sel: str, field_sel: str, detail: str) -> StatusError:
    gvr = go_quote(rt.gvr)
    return StatusError("BadRequest", 400, f"Unable to find {gvr} that match label selector {go_quote(label_sel)}, "
                                          f"field selector {go_quote(field_sel)}: {detail}")


def list_objects(inv, rt, namespace: str | None, label_sel: str, field_sel: str) -> list[dict]:
    """A LIST as the server answers it: selectors parsed and applied server-side."""
    try:
        lsel = labelsel.parse(label_sel) if label_sel else None
    except labelsel.SelectorParseError as e:
        raise _bad_request(rt, label_sel, field_sel, str(e)) from None
    try:
        fsel = fieldsel.compile(field_sel, rt.group, rt.kind) if field_sel else None
    except fieldsel.FieldSelectorError as e:
        raise _bad_request(rt, label_sel, field_sel, str(e)) from None
    objs = inv.api.list(rt, namespace)
    if lsel is not None and not lsel.empty():
        objs = [o for o in objs if lsel.matches((o.get("metadata") or {}).get("labels"))]
    if fsel is not None and not fsel.empty():
        objs = [o for o in objs if fsel.matches(o)]
    return objs


@command("get")
def get(inv) -> None:
    opts = inv.opts
    spec = OutputSpec(inv)
    filenames = opts.get("filename") or []
    if not inv.args and not filenames:
        raise verbatim(NO_TYPE_MESSAGE)
    label_sel = opts.get("selector") or ""
    field_sel = opts.get("field-selector") or ""
    all_ns = bool(opts.get("all-namespaces"))
    namespace = None if all_ns else inv.namespace
    ignore_not_found = bool(opts.get("ignore-not-found"))
    if opts.get("watch") or opts.get("watch-only"):
        from labsim.kubectl.watch import start_watch

        return start_watch(inv, spec)

    errors: list[Exception] = []
    selections: list[Selection] = []
    single_item = False
    if filenames:
        manifests = resource.read_manifests(inv, filenames, bool(opts.get("recursive")))
        for m in manifests:
            if m.error is not None:
                errors.append(m.error)
                continue
            name = (m.obj.get("metadata") or {}).get("name", "")
            try:
                ns = resource.object_namespace(inv, m.rt, m.obj)
                obj = inv.api.get(m.rt, ns, name)
            except StatusError as e:
                if not (ignore_not_found and resource.is_not_found(e)):
                    errors.append(e)
                continue
            except KubectlError as e:
                errors.append(e)
                continue
            _add(selections, m.rt, obj)
        single_item = len(manifests) == 1
    else:
        args = resource.parse_resource_args(inv.args)
        if args.named and (label_sel or field_sel):
            raise KubectlError("name cannot be provided when a selector is specified")
        if args.named and all_ns:
            raise KubectlError("a resource cannot be retrieved by name across all namespaces")
        n_names = sum(len(names) for _, names in args.selections)
        single_item = args.named and n_names == 1
        for rt, names in args.selections:
            if names:
                for name in names:
                    try:
                        obj = inv.api.get(rt, inv.namespace, name)
                    except StatusError as e:
                        if not (ignore_not_found and resource.is_not_found(e)):
                            errors.append(e)
                        continue
                    _add(selections, rt, obj)
                if not any(s.rt == rt for s in selections):
                    selections.append(Selection(rt, []))
            else:
                try:
                    objs = list_objects(inv, rt, namespace, label_sel, field_sel)
                except StatusError as e:
                    errors.append(e)
                    continue
                selections.append(Selection(rt, objs))

    if spec.human:
        _print_tables(inv, spec, selections, errors, all_ns, ignore_not_found)
    else:
        _print_generic(inv, spec, selections, errors, single_item, ignore_not_found)
    if errors:
        raise _Aggregate(errors)


def _add(selections: list[Selection], rt, obj: dict) -> None:
    if selections and selections[-1].rt == rt:
        selections[-1].objs.append(obj)
    else:
        selections.append(Selection(rt, [obj]))


class _Aggregate(KubectlError):
    """Several errors printed one per line after the output (``utilerrors.NewAggregate``)."""

    def __init__(self, errs: list[Exception]):
        from labsim.kubectl.errors import format_errors

        text = format_errors(errs) if len(errs) > 1 else format_error(errs[0])
        super().__init__(text.rstrip("\n"))
        self.verbatim = True


def _print_tables(inv, spec: OutputSpec, selections: list[Selection], errors: list, all_ns: bool,
                  ignore_not_found: bool) -> None:
    opts = inv.opts
    kinds = []
    for s in selections:
        if s.rt not in kinds:
            kinds.append(s.rt)
    with_kind = len(kinds) > 1 or bool(opts.get("show-kind"))
    sort_by = opts.get("sort-by") or ""
    written = 0
    all_namespaced = not all_ns
    out_parts: list[str] = []
    for s in selections:
        all_namespaced = all_namespaced and s.rt.namespaced
        objs = s.objs
        if not objs:
            continue
        if sort_by:
            try:
                objs = sort_objects(objs, sort_by)
            except KubectlError:
                # get.go ignores the printer's error: nothing is printed for this type
                continue
        topts = TableOptions(wide=spec.wide, no_headers=bool(opts.get("no-headers")), with_namespace=all_ns,
                             with_kind=with_kind, kind_prefix=s.rt.kind_group,
                             show_labels=bool(opts.get("show-labels")),
                             label_columns=list(opts.get("label-columns") or []))
        text = TablePrinter(s.rt, topts).lines(objs, inv.now)
        tw = TabWriter(**GET_SETTINGS)
        tw.write(text)
        block = tw.flush()
        if written and not topts.no_headers:
            out_parts.append("\n")
        out_parts.append(block)
        written += len(block)
    inv.out("".join(out_parts))
    if not written and not ignore_not_found and not errors:
        if all_namespaced:
            inv.eprintln(f"No resources found in {inv.namespace} namespace.")
        else:
            inv.eprintln("No resources found")


def _print_generic(inv, spec: OutputSpec, selections: list[Selection], errors: list, single_item: bool,
                   ignore_not_found: bool) -> None:
    opts = inv.opts
    items = [(s.rt, o) for s in selections for o in s.objs]
    if single_item and errors:
        return
    if not items and ignore_not_found:
        return
    sort_by = opts.get("sort-by") or ""
    if sort_by and len(items) > 1:
        by_obj = {id(o): rt for rt, o in items}
        try:
            objs = sort_objects([o for _, o in items], sort_by)
            items = [(by_obj[id(o)], o) for o in objs]
        except KubectlError as e:
            errors.append(e)
            return
    show_managed = bool(opts.get("show-managed-fields"))
    if spec.format == "name":
        inv.out("".join(output.name_line(rt, o) + "\n" for rt, o in items))
        return
    if spec.columns is not None:
        lines = []
        if not opts.get("no-headers"):
            lines.append("\t".join(c.header for c in spec.columns) + "\n")
        for _, o in items:
            lines.append("\t".join(custom_row(spec.columns, o)) + "\n")
        tw = TabWriter(**GET_SETTINGS)
        tw.write("".join(lines))
        inv.out(tw.flush())
        return
    if single_item and len(items) == 1:
        obj = items[0][1]
    else:
        obj = output.as_list([o for _, o in items])
    inv.out(spec.print_object(obj, show_managed))
