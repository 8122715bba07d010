"""Strategic merge patch: a port of ``k8s.io/apimachinery/pkg/util/strategicpatch`` (v0.32).

Two halves, as upstream:

* **applying** a patch (what the API server does for ``PATCH`` with
  ``application/strategic-merge-patch+json``): :func:`strategic_merge_patch`;
* **computing** patches (what ``kubectl apply`` does client-side):
  :func:`create_two_way_merge_patch` and :func:`create_three_way_merge_patch` (last-applied,
  file, live).

Lists merge according to the ``x-kubernetes-patch-strategy`` / ``x-kubernetes-patch-merge-key``
extensions of the v1.32 OpenAPI schema shipped by ``kubernetes-validate`` (the same metadata the
``patchStrategy``/``patchMergeKey`` struct tags of ``k8s.io/api`` carry): containers and volumes by
``name``, container ports by ``containerPort``, ``env`` by ``name``, ``volumeMounts`` by
``mountPath``, Service ports by ``port``, conditions by ``type``, ``ownerReferences`` by ``uid``,
``finalizers`` as a set; ``DeploymentSpec.strategy`` has ``retainKeys``. Directives:
``$patch: replace|delete|merge``, ``$setElementOrder/<list>``, ``$retainKeys``,
``$deleteFromPrimitiveList/<list>``.

Numbers: Go decodes every JSON number as ``float64``; here ``int`` and ``float`` compare as one
"number" type and ``bool`` is never a number.

Limitations: no conflict detection for ``overwrite=False`` three-way patches (kubectl apply always
overwrites); a field the schema does not know is treated as having no patch metadata (upstream's
OpenAPI lookup returns ``unable to find api field``), so a typo'd field merges like JSON merge patch.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from labsim.api.meta import deep_copy

DIRECTIVE_MARKER = "$patch"
DELETE_DIRECTIVE = "delete"
REPLACE_DIRECTIVE = "replace"
MERGE_DIRECTIVE = "merge"
RETAIN_KEYS_STRATEGY = "retainKeys"
DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList"
RETAIN_KEYS_DIRECTIVE = "$" + RETAIN_KEYS_STRATEGY
SET_ELEMENT_ORDER_PREFIX = "$setElementOrder"

# k8s.io/apimachinery/pkg/util/mergepatch/errors.go
ERR_BAD_JSON_DOC = "invalid JSON document"
ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"
ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST = "invalid patch format of setElementOrder list"

#: errors the API server turns into 400 BadRequest (others become 422, handlers/patch.go interpretStrategicMergePatchError)
BAD_REQUEST_ERRORS = frozenset({ERR_BAD_JSON_DOC, ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST,
                                ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS,
                                ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST})


class PatchError(Exception):
    """A strategic merge patch failure, with upstream's message."""


# -- Go value semantics ------------------------------------------------------------------------

def _tclass(v: Any) -> str:
    """``reflect.TypeOf`` of a value decoded by encoding/json."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    return type(v).__name__


def deep_equal(a: Any, b: Any) -> bool:
    """``reflect.DeepEqual`` over JSON values (``1 == 1.0``, ``True != 1``)."""
    ta, tb = _tclass(a), _tclass(b)
    if ta != tb:
        return False
    if ta == "map":
        return len(a) == len(b) and all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if ta == "slice":
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    return a == b


def _scalar_eq(a: Any, b: Any) -> bool:
    """Go's ``==`` on two ``interface{}`` scalars."""
    return _tclass(a) == _tclass(b) and a == b


def go_format_float(f: float) -> str:
    """``fmt.Sprintf("%v", float64)``: shortest representation, exponent below 1e-4 or from 1e21."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    if f == int(f) and abs(f) < 1e21:
        return str(int(f))
    r = repr(float(f))
    if "e" in r or "E" in r:
        mant, exp = r.split("e")
        e = int(exp)
        if -4 <= e < 21:
            return format(f, "f").rstrip("0").rstrip(".")
        return f"{mant}e{'-' if e < 0 else '+'}{abs(e):02d}"
    return r


def go_str(v: Any) -> str:
    """``fmt.Sprintf("%v", v)`` for a JSON value."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return go_format_float(float(v))
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_str(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_str(x) for x in v) + "]"
    return str(v)


def _type_name(v: Any) -> str:
    return {"map": "map[string]interface {}", "slice": "[]interface {}", "nil": "<nil>"}.get(_tclass(v), _tclass(v))


def _err_bad_arg_type(expected: str, actual: Any) -> PatchError:
    return PatchError(f"expected a {expected}, but received a {_type_name(actual)}")


def _err_no_merge_key(m: dict, k: str) -> PatchError:
    return PatchError(f"map: {go_str(m)} does not contain declared merge key: {k}")


def _err_bad_patch_type(t: Any, m: dict) -> PatchError:
    return PatchError(f"unknown patch type: {go_str(t)} in map: {go_str(m)}")


# -- patch metadata from the OpenAPI schema ----------------------------------------------------

_SCHEMA_DIR = ("kubernetes-json-schema", "v1.32.0-local", "_definitions.json")


@lru_cache(maxsize=1)
def _k8s_definitions() -> dict[str, dict]:
    from labsim.api.schema import kubernetes_validate_dir

    path = os.path.join(kubernetes_validate_dir(), *_SCHEMA_DIR)
    with open(path) as f:
        return json.load(f)["$defs"]


class PatchMeta:
    """``LookupPatchMeta`` over a JSON-schema node (``PatchMetaFromOpenAPIV3``).

    ``definitions`` maps a definition name to its schema; ``$ref`` values are resolved by their
    last path segment (``#/$defs/X`` and ``#/components/schemas/X`` both work)."""

    __slots__ = ("definitions", "node")

    def __init__(self, definitions: dict[str, dict] | None, node: dict | None):
        self.definitions = definitions
        self.node = self._resolve(node)

    def _resolve(self, node: dict | None) -> dict | None:
        for _ in range(16):
            if not isinstance(node, dict):
                return None
            if node.get("allOf"):
                node = node["allOf"][0]
                continue
            ref = node.get("$ref")
            if ref:
                node = (self.definitions or {}).get(ref.rsplit("/", 1)[-1])
                continue
            return node
        return None

    def _field(self, key: str) -> dict | None:
        node = self.node
        if node is None:
            return None
        props = node.get("properties")
        if props and key in props:
            return props[key]
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            return extra
        return None

    @staticmethod
    def _meta(field: dict | None) -> tuple[list[str], str]:
        if not field:
            return [], ""
        strategy = field.get("x-kubernetes-patch-strategy")
        return (strategy.split(",") if strategy else []), field.get("x-kubernetes-patch-merge-key", "")

    def lookup_struct(self, key: str) -> tuple["PatchMeta", list[str], str]:
        field = self._field(key)
        strategies, merge_key = self._meta(field)
        return PatchMeta(self.definitions, field), strategies, merge_key

    def lookup_slice(self, key: str) -> tuple["PatchMeta", list[str], str]:
        field = self._field(key)
        strategies, merge_key = self._meta(field)
        # PatchMetaFromOpenAPIV3.LookupPatchMetadataForSlice: the items' schema, else the field's own
        if isinstance(field, dict) and field.get("items") is not None:
            field = field["items"]
        return PatchMeta(self.definitions, field), strategies, merge_key

    def name(self) -> str:
        return "struct"


NO_META = PatchMeta(None, None)


def patch_meta_for(rt) -> PatchMeta:
    """The schema of a resource type (``io.k8s.api.apps.v1.Deployment``); unknown kinds get none."""
    if rt is None or not getattr(rt, "schema_package", ""):
        return NO_META
    return _meta_for_definition(f"{rt.schema_package}.{rt.kind}")


@lru_cache(maxsize=None)
def _meta_for_definition(name: str) -> PatchMeta:
    defs = _k8s_definitions()
    if name not in defs:
        return NO_META
    return PatchMeta(defs, {"$ref": "#/$defs/" + name})


def _extract_retain_keys_patch_strategy(strategies: list[str]) -> tuple[bool, str]:
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == RETAIN_KEYS_STRATEGY else (False, strategies[0])
    if len(strategies) == 2:
        if strategies[0] == RETAIN_KEYS_STRATEGY:
            return True, strategies[1]
        if strategies[1] == RETAIN_KEYS_STRATEGY:
            return True, strategies[0]
    raise PatchError(f"unexpected patch strategy: [{' '.join(strategies)}]")


# -- diff (patch creation) ----------------------------------------------------------------------

class DiffOptions:
    __slots__ = ("set_element_order", "ignore_changes_and_additions", "ignore_deletions", "build_retain_keys")

    def __init__(self, set_element_order=False, ignore_changes_and_additions=False, ignore_deletions=False,
                 build_retain_keys=False):
        self.set_element_order = set_element_order
        self.ignore_changes_and_additions = ignore_changes_and_additions
        self.ignore_deletions = ignore_deletions
        self.build_retain_keys = build_retain_keys

    def copy(self, **kw) -> "DiffOptions":
        d = DiffOptions(self.set_element_order, self.ignore_changes_and_additions, self.ignore_deletions,
                        self.build_retain_keys)
        for k, v in kw.items():
            setattr(d, k, v)
        return d


def create_two_way_merge_patch(original: dict, modified: dict, meta: PatchMeta = NO_META) -> dict:
    """``CreateTwoWayMergeMapPatchUsingLookupPatchMeta``: the patch that turns original into modified."""
    return _diff_maps(original or {}, modified or {}, meta, DiffOptions(set_element_order=True))


def create_three_way_merge_patch(original: dict | None, modified: dict, current: dict,
                                 meta: PatchMeta = NO_META) -> dict:
    """``CreateThreeWayMergePatch(original, modified, current, schema, overwrite=true)``.

    Changes and additions come from diffing *current* (live) with *modified* (the file);
    deletions only from diffing *original* (last-applied) with *modified*, so fields set by
    others (controllers, defaults) survive."""
    original = deep_copy(original or {})
    modified = deep_copy(modified or {})
    current = deep_copy(current or {})
    delta = _diff_maps(current, modified, meta, DiffOptions(ignore_deletions=True, set_element_order=True))
    deletions = _diff_maps(original, modified, meta,
                           DiffOptions(set_element_order=True, ignore_changes_and_additions=True))
    return _merge_map(deletions, delta, meta, merge_parallel_list=False, ignore_unmatched_nulls=False)


def _diff_maps(original: dict, modified: dict, meta: PatchMeta, opts: DiffOptions) -> dict:
    patch: dict[str, Any] = {}
    retain_keys: list[Any] = []
    for key, mval in modified.items():
        if opts.build_retain_keys and mval is not None:
            retain_keys.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = mval
            continue
        oval = original[key]
        if key == DIRECTIVE_MARKER:
            if not isinstance(oval, str) or not isinstance(mval, str):
                raise PatchError(f"invalid value for special key: {DIRECTIVE_MARKER}")
            if mval != oval:
                patch[DIRECTIVE_MARKER] = mval
            continue
        if _tclass(oval) != _tclass(mval):
            if not opts.ignore_changes_and_additions:
                patch[key] = mval
            continue
        if isinstance(oval, dict):
            _handle_map_diff(key, oval, mval, patch, meta, opts)
        elif isinstance(oval, list):
            _handle_slice_diff(key, oval, mval, patch, meta, opts)
        elif not opts.ignore_changes_and_additions and not deep_equal(oval, mval):
            patch[key] = mval
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain_keys and (patch or _has_additional_new_field(original, modified)):
        patch[RETAIN_KEYS_DIRECTIVE] = _sort_scalars(retain_keys)
    return patch


def _has_additional_new_field(original: dict, modified: dict) -> bool:
    return any(v is not None and k not in modified for k, v in original.items())


def _handle_map_diff(key: str, oval: dict, mval: dict, patch: dict, meta: PatchMeta, opts: DiffOptions) -> None:
    sub, strategies, _ = meta.lookup_struct(key)
    retain, strategy = _extract_retain_keys_patch_strategy(strategies)
    opts = opts.copy(build_retain_keys=retain)
    if strategy == REPLACE_DIRECTIVE:
        if not opts.ignore_changes_and_additions:
            patch[key] = mval
        return
    value = _diff_maps(oval, mval, sub, opts)
    if value:
        patch[key] = value


def _handle_slice_diff(key: str, oval: list, mval: list, patch: dict, meta: PatchMeta, opts: DiffOptions) -> None:
    sub, strategies, merge_key = meta.lookup_slice(key)
    retain, strategy = _extract_retain_keys_patch_strategy(strategies)
    if strategy == MERGE_DIRECTIVE:
        opts = opts.copy(build_retain_keys=retain)
        add_list, deletion_list, set_order_list = _diff_lists(oval, mval, sub, merge_key, opts)
        if add_list:
            patch[key] = add_list
        if deletion_list:
            patch[f"{DELETE_FROM_PRIMITIVE_LIST_PREFIX}/{key}"] = deletion_list
        if set_order_list:
            patch[f"{SET_ELEMENT_ORDER_PREFIX}/{key}"] = set_order_list
        return
    if not opts.ignore_changes_and_additions and not deep_equal(oval, mval):
        patch[key] = mval


def _slice_element_kind(*slices: list) -> str:
    prev = None
    for s in slices:
        for v in s:
            t = _tclass(v)
            if prev is None:
                prev = t
                if t == "slice":
                    raise PatchError(ERR_NO_LIST_OF_LISTS)
            elif prev != t:
                raise PatchError("list element types are not identical: " + go_str(list(slices)))
    if prev is None:
        raise PatchError("no elements in any of the given slices")
    return prev


def _diff_lists(original: list, modified: list, meta: PatchMeta, merge_key: str,
                opts: DiffOptions) -> tuple[list, list, list]:
    if not original:
        if not modified or opts.ignore_changes_and_additions:
            return [], [], []
        return list(modified), [], []
    kind = _slice_element_kind(original, modified)
    set_order: list = []
    if kind == "map":
        patch_list, delete_list = _diff_lists_of_maps(original, modified, meta, merge_key, opts)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        order_same = _is_order_same(original, modified, merge_key)
        patch_list = patch_list + delete_list
        delete_list = []
        if opts.set_element_order and (
                (not opts.ignore_changes_and_additions and (patch_list or not order_same))
                or (not opts.ignore_deletions and patch_list)):
            set_order = [{merge_key: v[merge_key]} for v in modified]
        return patch_list, delete_list, set_order
    patch_list, delete_list = _diff_lists_of_scalars(original, modified, opts)
    patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
    if opts.set_element_order and ((not opts.ignore_deletions and delete_list) or
                                   (not opts.ignore_changes_and_additions and not deep_equal(original, modified))):
        set_order = list(modified)
    return patch_list, delete_list, set_order


def _is_order_same(original: list, modified: list, merge_key: str) -> bool:
    if len(original) != len(modified):
        return False
    return all(_merge_key_value_equal(o, m, merge_key) for o, m in zip(original, modified))


def _diff_lists_of_scalars(original: list, modified: list, opts: DiffOptions) -> tuple[list, list]:
    o_sorted = _sort_scalars(list(original))
    m_sorted = _sort_scalars(list(modified))
    oi = mi = 0
    add: list = []
    deletion: list = []
    while oi < len(o_sorted) or mi < len(m_sorted):
        o_in, m_in = oi < len(o_sorted), mi < len(m_sorted)
        os_ = go_str(o_sorted[oi]) if o_in else ""
        ms_ = go_str(m_sorted[mi]) if m_in else ""
        if o_in and m_in and os_ == ms_:
            oi += 1
            mi += 1
        elif not o_in or (o_in and m_in and os_ > ms_):
            if not opts.ignore_changes_and_additions:
                add.append(m_sorted[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletion.append(o_sorted[oi])
            oi += 1
    return add, _deduplicate_scalars(deletion)


def _diff_lists_of_maps(original: list, modified: list, meta: PatchMeta, merge_key: str,
                        opts: DiffOptions) -> tuple[list, list]:
    patch: list = []
    deletion: list = []
    o_sorted = _sort_merge_lists_by_name_array(original, meta, merge_key, recurse=False)
    m_sorted = _sort_merge_lists_by_name_array(modified, meta, merge_key, recurse=False)
    oi = mi = 0
    while oi < len(o_sorted) or mi < len(m_sorted):
        o_in, m_in = oi < len(o_sorted), mi < len(m_sorted)
        o_el = o_val = m_el = m_val = None
        os_ = ms_ = ""
        if o_in:
            o_el, o_val = _map_and_merge_key_value(oi, merge_key, o_sorted)
            os_ = go_str(o_val)
        if m_in:
            m_el, m_val = _map_and_merge_key_value(mi, merge_key, m_sorted)
            ms_ = go_str(m_val)
        if o_in and m_in and os_ == ms_:
            value = _diff_maps(o_el, m_el, meta, opts)
            if value:
                value[merge_key] = m_val
                patch.append(value)
            oi += 1
            mi += 1
        elif not o_in or (o_in and m_in and os_ > ms_):
            if not opts.ignore_changes_and_additions:
                patch.append(m_el)
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletion.append({merge_key: o_val, DIRECTIVE_MARKER: DELETE_DIRECTIVE})
            oi += 1
    return patch, deletion


def _map_and_merge_key_value(i: int, merge_key: str, maps: list) -> tuple[dict, Any]:
    m = maps[i]
    if not isinstance(m, dict):
        raise _err_bad_arg_type("map[string]interface {}", m)
    if merge_key not in m:
        raise _err_no_merge_key(m, merge_key)
    return m, m[merge_key]


# -- ordering helpers ---------------------------------------------------------------------------

def _sort_key_str(v: Any) -> str:
    return go_str(v)


def _sort_scalars(s: list) -> list:
    return sorted(s, key=_sort_key_str)


def _deduplicate_scalars(s: list) -> list:
    """Upstream's in-place de-duplication (it moves the last element into the hole)."""
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _scalar_eq(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _index(lst: list, value: Any, merge_key: str, kind: str) -> int:
    if kind == "map":
        get = lambda item: item.get(merge_key) if isinstance(item, dict) else None  # noqa: E731
    else:
        get = lambda item: item  # noqa: E731
    target = get(value)
    for i, v in enumerate(lst):
        if _scalar_eq(target, get(v)):
            return i
    return -1


def _validate_merge_key_in_lists(merge_key: str, *lists: list) -> None:
    for lst in lists:
        for item in lst:
            if not isinstance(item, dict):
                raise _err_bad_arg_type("map[string]interface {}", item)
            if merge_key not in item:
                raise _err_no_merge_key(item, merge_key)


def _extract_to_delete_items(lst: list) -> tuple[list, list]:
    non_delete, to_delete = [], []
    for v in lst:
        if not isinstance(v, dict):
            raise _err_bad_arg_type("map[string]interface {}", v)
        if v.get(DIRECTIVE_MARKER) == DELETE_DIRECTIVE:
            to_delete.append(v)
        else:
            non_delete.append(v)
    return non_delete, to_delete


def _normalize_slice_order(to_sort: list, order: list, merge_key: str, kind: str) -> list:
    to_delete: list = []
    if kind == "map":
        _validate_merge_key_in_lists(merge_key, to_sort, order)
        to_sort, to_delete = _extract_to_delete_items(to_sort)
    # sort.SliceStable by position in ``order``; items absent from it keep their relative place
    positions = [_index(order, v, merge_key, kind) for v in to_sort]
    if all(p >= 0 for p in positions):
        order_of = sorted(range(len(to_sort)), key=lambda i: (positions[i], i))
        to_sort = [to_sort[i] for i in order_of]
    else:
        known = sorted((p, i) for i, p in enumerate(positions) if p >= 0)
        slots = [i for i, p in enumerate(positions) if p >= 0]
        result = list(to_sort)
        for slot, (_, src) in zip(slots, known):
            result[slot] = to_sort[src]
        to_sort = result
    return to_sort + to_delete


def _merge_sorted_slice(left: list, right: list, server_order: list, merge_key: str, kind: str) -> list:
    out = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(patch: list, server_only: list, patch_order: list, server_order: list,
                             merge_key: str, kind: str) -> list:
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted_slice(server_only, patch, server_order, merge_key, kind)


def _sort_merge_lists_by_name_map(s: dict, meta: PatchMeta) -> dict:
    out: dict[str, Any] = {}
    for k, v in s.items():
        if k == RETAIN_KEYS_DIRECTIVE:
            if not isinstance(v, list):
                raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS)
            v = _sort_scalars(v)
        elif k.startswith(DELETE_FROM_PRIMITIVE_LIST_PREFIX):
            if not isinstance(v, list):
                raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST)
            v = _sort_scalars(v)
        elif k.startswith(SET_ELEMENT_ORDER_PREFIX):
            if not isinstance(v, list):
                raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST)
        elif k != DIRECTIVE_MARKER:
            if isinstance(v, dict):
                sub, _, _ = meta.lookup_struct(k)
                v = _sort_merge_lists_by_name_map(v, sub)
            elif isinstance(v, list):
                sub, strategies, merge_key = meta.lookup_slice(k)
                _, strategy = _extract_retain_keys_patch_strategy(strategies)
                if strategy == MERGE_DIRECTIVE:
                    v = _sort_merge_lists_by_name_array(v, sub, merge_key, recurse=True)
        out[k] = v
    return out


def sort_merge_lists_by_name(obj: dict, meta: PatchMeta = NO_META) -> dict:
    """``sortMergeListsByName``: a canonical order for comparing patches (used by tests)."""
    return _sort_merge_lists_by_name_map(obj, meta)


def _sort_merge_lists_by_name_array(s: list, meta: PatchMeta, merge_key: str, recurse: bool) -> list:
    if not s:
        return s
    kind = _slice_element_kind(s)
    if kind != "map":
        return _sort_scalars(_deduplicate_scalars(s))
    items = [_sort_merge_lists_by_name_map(e, meta) if recurse else e for e in s]
    return sorted(items, key=lambda m: go_str(m.get(merge_key)))


# -- merge (patch application) ------------------------------------------------------------------

def strategic_merge_patch(original: dict, patch: dict, meta: PatchMeta = NO_META) -> dict:
    """``StrategicMergeMapPatchUsingLookupPatchMeta``: apply ``patch`` to ``original`` (neither is
    modified; a new object is returned)."""
    if not isinstance(original, dict) or not isinstance(patch, dict):
        raise PatchError(ERR_BAD_JSON_DOC)
    return _merge_map(deep_copy(original), deep_copy(patch), meta, merge_parallel_list=True,
                      ignore_unmatched_nulls=True)


def _merge_map(original: dict | None, patch: dict, meta: PatchMeta, *, merge_parallel_list: bool,
               ignore_unmatched_nulls: bool) -> dict:
    if DIRECTIVE_MARKER in patch:
        directive = patch[DIRECTIVE_MARKER]
        if directive == REPLACE_DIRECTIVE:
            del patch[DIRECTIVE_MARKER]
            return patch
        if directive == DELETE_DIRECTIVE:
            return {}
        raise _err_bad_patch_type(directive, patch)
    if original is None:
        original = {}
    _apply_retain_keys_directive(original, patch, merge_parallel_list)
    _merge_patch_into_original(original, patch, meta, merge_parallel_list, ignore_unmatched_nulls)
    for k in list(patch):
        if k not in patch:
            continue
        patch_v = patch[k]
        is_delete_list = False
        if k.startswith(DELETE_FROM_PRIMITIVE_LIST_PREFIX):
            if not merge_parallel_list:
                original[k] = patch_v
                continue
            k = _extract_key(k, DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            is_delete_list = True
        if patch_v is None:
            original.pop(k, None)
            if ignore_unmatched_nulls:
                continue
        if k not in original or _tclass(original[k]) != _tclass(patch_v):
            if not is_delete_list:
                if ignore_unmatched_nulls:
                    _discard_null_values(patch_v)
                value, keep = _remove_directives(patch_v)
                if keep:
                    original[k] = value
                else:
                    original.pop(k, None)
            continue
        cur = original[k]
        if isinstance(cur, dict):
            sub, strategies, _ = meta.lookup_struct(k)
            _, strategy = _extract_retain_keys_patch_strategy(strategies)
            if strategy != REPLACE_DIRECTIVE:
                original[k] = _merge_map(cur, patch_v, sub, merge_parallel_list=merge_parallel_list,
                                         ignore_unmatched_nulls=ignore_unmatched_nulls)
            else:
                original[k] = patch_v
        elif isinstance(cur, list):
            sub, strategies, merge_key = meta.lookup_slice(k)
            _, strategy = _extract_retain_keys_patch_strategy(strategies)
            original[k] = _merge_slice_handler(cur, patch_v, sub, strategy, merge_key, is_delete_list,
                                               merge_parallel_list, ignore_unmatched_nulls)
        else:
            value, keep = _remove_directives(patch_v)
            if keep:
                original[k] = value
            else:
                original.pop(k, None)
    return original


def _extract_key(s: str, prefix: str) -> str:
    parts = s.split("/", 1)
    if len(parts) <= 1 or parts[0] != prefix:
        if prefix == DELETE_FROM_PRIMITIVE_LIST_PREFIX:
            raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST)
        if prefix == SET_ELEMENT_ORDER_PREFIX:
            raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST)
        raise PatchError(f'fail to find unknown prefix "{prefix}" in {s}\n')
    return parts[1]


def _discard_null_values(v: Any) -> None:
    if isinstance(v, dict):
        for k in list(v):
            if v[k] is None:
                del v[k]
            else:
                _discard_null_values(v[k])
    elif isinstance(v, list):
        for x in v:
            _discard_null_values(x)


def _remove_directives(obj: Any) -> tuple[Any, bool]:
    if isinstance(obj, dict):
        if DIRECTIVE_MARKER in obj:
            return None, False
        for k in list(obj):
            value, keep = _remove_directives(obj[k])
            if keep:
                obj[k] = value
            else:
                del obj[k]
        return obj, True
    if isinstance(obj, list):
        out = []
        for v in obj:
            value, keep = _remove_directives(v)
            if keep:
                out.append(value)
        return out, True
    return obj, True


def _apply_retain_keys_directive(original: dict, patch: dict, merge_parallel_list: bool) -> None:
    if RETAIN_KEYS_DIRECTIVE not in patch:
        return
    retain = patch.pop(RETAIN_KEYS_DIRECTIVE)
    if not merge_parallel_list:
        if RETAIN_KEYS_DIRECTIVE in original:
            if not deep_equal(original[RETAIN_KEYS_DIRECTIVE], retain):
                raise PatchError(f"{go_str(original[RETAIN_KEYS_DIRECTIVE])} and {go_str(retain)} are not deep equal: "
                                 "this may happen when calculating the 3-way diff patch")
        else:
            original[RETAIN_KEYS_DIRECTIVE] = retain
        return
    if not isinstance(retain, list):
        raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS)
    keep = list(retain)
    for k, v in patch.items():
        if v is None or k.startswith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) or k.startswith(SET_ELEMENT_ORDER_PREFIX):
            continue
        if not any(_scalar_eq(k, r) for r in keep):
            raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS)
    for k in list(original):
        if not any(_scalar_eq(k, r) for r in keep):
            del original[k]


def _merge_patch_into_original(original: dict, patch: dict, meta: PatchMeta, merge_parallel_list: bool,
                               ignore_unmatched_nulls: bool) -> None:
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER_PREFIX)]:
        order = patch[key]
        if not merge_parallel_list:
            if key in original:
                if not deep_equal(original[key], order):
                    raise PatchError(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST)
            else:
                original[key] = order
        del patch[key]
        if not isinstance(order, list):
            raise _err_bad_arg_type("[]interface {}", order)
        original_key = _extract_key(key, SET_ELEMENT_ORDER_PREFIX)
        found_original = original_key in original
        found_patch = original_key in patch
        original_list: list = []
        patch_list: list = []
        if found_original:
            original_list = original[original_key]
            if not isinstance(original_list, list):
                raise _err_bad_arg_type("[]interface {}", original_list)
        if found_patch:
            patch_list = patch[original_key]
            if not isinstance(patch_list, list):
                raise _err_bad_arg_type("[]interface {}", patch_list)
        sub, strategies, merge_key = meta.lookup_slice(original_key)
        _, strategy = _extract_retain_keys_patch_strategy(strategies)
        _validate_patch_with_set_order_list(patch_list, order, merge_key)
        if found_original and not found_patch:
            merged = original_list
        elif not found_original and found_patch:
            value, keep = _remove_directives(patch_list)
            if not keep:
                continue
            merged = value
        elif found_original and found_patch:
            merged = _merge_slice_handler(original_list, patch_list, sub, strategy, merge_key, False,
                                          merge_parallel_list, ignore_unmatched_nulls)
        else:
            continue
        if not merge_key:
            patch_items, server_only = _partition_primitives(merged, order)
        else:
            patch_items, server_only = _partition_maps(merged, order, merge_key)
        kind = _slice_element_kind(original_list, patch_list)
        original[original_key] = _normalize_element_order(patch_items, server_only, order, original_list,
                                                          merge_key, kind)
        patch.pop(original_key, None)


def _validate_patch_with_set_order_list(patch_list: list, order: list, merge_key: str) -> None:
    if not order or not patch_list:
        return
    non_delete = _extract_to_delete_items(patch_list)[0] if merge_key else patch_list
    pi = oi = 0
    while pi < len(non_delete) and oi < len(order):
        if isinstance(non_delete[pi], dict) and DIRECTIVE_MARKER in non_delete[pi]:
            pi += 1
            continue
        if _merge_key_value_equal(non_delete[pi], order[oi], merge_key):
            pi += 1
        oi += 1
    if pi < len(non_delete) and oi >= len(order):
        raise PatchError(f"The order in patch list:\n{go_str(patch_list)}\n doesn't match "
                         f"{SET_ELEMENT_ORDER_PREFIX} list:\n{go_str(order)}\n")


def _merge_key_value_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _scalar_eq(left, right)
    if not isinstance(left, dict):
        raise _err_bad_arg_type("map[string]interface {}", left)
    if not isinstance(right, dict):
        raise _err_bad_arg_type("map[string]interface {}", right)
    if merge_key not in left:
        raise _err_no_merge_key(left, merge_key)
    if merge_key not in right:
        raise _err_no_merge_key(right, merge_key)
    return _scalar_eq(left[merge_key], right[merge_key])


def _partition_primitives(original: list, partition_by: list) -> tuple[list, list]:
    patch, server_only = [], []
    for v in original:
        (patch if any(_scalar_eq(v, p) for p in partition_by) else server_only).append(v)
    return patch, server_only


def _partition_maps(original: list, partition_by: list, merge_key: str) -> tuple[list, list]:
    patch, server_only = [], []
    for v in original:
        if not isinstance(v, dict):
            raise _err_bad_arg_type("map[string]interface {}", v)
        if merge_key not in v:
            raise _err_no_merge_key(v, merge_key)
        found = _find_map_in_slice(partition_by, merge_key, v[merge_key])[2]
        (patch if found else server_only).append(v)
    return patch, server_only


def _find_map_in_slice(lst: list, key: str, value: Any) -> tuple[dict | None, int, bool]:
    for i, v in enumerate(lst):
        if not isinstance(v, dict):
            raise PatchError(f"value for key {i} is not a map")
        if key in v and _scalar_eq(v[key], value):
            return v, i, True
    return None, 0, False


def _merge_slice_handler(original: Any, patch: Any, meta: PatchMeta, strategy: str, merge_key: str,
                         is_delete_list: bool, merge_parallel_list: bool, ignore_unmatched_nulls: bool) -> list:
    if not isinstance(original, list):
        raise _err_bad_arg_type("[]interface {}", original)
    if not isinstance(patch, list):
        raise _err_bad_arg_type("[]interface {}", patch)
    if strategy == MERGE_DIRECTIVE or is_delete_list:
        return _merge_slice(original, patch, meta, merge_key, is_delete_list, merge_parallel_list,
                            ignore_unmatched_nulls)
    return patch


def _go_cap(n: int) -> int:
    """Capacity of a slice Go built by appending ``n`` elements one at a time (encoding/json
    ``arrayInterface``, protobuf unmarshalling): the next power of two."""
    cap = 0
    while cap < n:
        cap = max(1, cap * 2)
    return cap


def _merge_slice(original: list, patch: list, meta: PatchMeta, merge_key: str, is_delete_list: bool,
                 merge_parallel_list: bool, ignore_unmatched_nulls: bool) -> list:
    """``mergeSlice``. Upstream works on Go slices that share their backing array with the
    caller's copy of ``original`` (deletions shift it in place, appends within capacity write into
    it); the ``$setElementOrder`` step then orders by that mutated view, and upstream's expected
    results depend on it. ``original`` is updated in place to mirror that view."""
    if not original and not patch:
        return original
    kind = _slice_element_kind(original, patch)
    length = len(original)
    backing = list(original) + [None] * (_go_cap(length) - length)
    if kind != "map":
        if merge_parallel_list and is_delete_list:
            return [v for v in original if not any(_scalar_eq(v, d) for d in patch)]
        if length + len(patch) <= len(backing):
            backing[length:length + len(patch)] = patch
            n = _deduplicate_in_place(backing, length + len(patch))
            merged = backing[:n]
            original[:] = backing[:length]
        else:
            merged = _deduplicate_scalars(original + patch)
        server_order = original
    else:
        if not merge_key:
            raise PatchError(f"cannot merge lists without merge key for {meta.name()}")
        n, without, replace = _merge_slice_with_special_elements(backing, length, patch, merge_key)
        if replace:
            merged = _merge_slice_without_special_elements(without, [], merge_key, meta, merge_parallel_list,
                                                           ignore_unmatched_nulls)
            server_order = list(without)
            patch = without
        else:
            merged = _merge_slice_without_special_elements(backing, without, merge_key, meta,
                                                           merge_parallel_list, ignore_unmatched_nulls, n)
            server_order = backing[:n]
            patch = without
        original[:] = backing[:length]
    if not merge_key:
        patch_items, server_only = _partition_primitives(merged, patch)
    else:
        patch_items, server_only = _partition_maps(merged, patch, merge_key)
    return _normalize_element_order(patch_items, server_only, patch, server_order, merge_key, kind)


def _deduplicate_in_place(s: list, length: int) -> int:
    """``deduplicateScalars`` on ``s[:length]`` in place; returns the new length."""
    last = length - 1
    i = 0
    while i < last:
        j = i + 1
        while j <= last:
            if _scalar_eq(s[i], s[j]):
                s[j] = s[last]
                last -= 1
                j -= 1
            j += 1
        i += 1
    return last + 1


def _merge_slice_with_special_elements(backing: list, n: int, patch: list,
                                       merge_key: str) -> tuple[int, list, bool]:
    """Apply ``$patch: delete`` items (shifting ``backing[:n]`` in place as Go's
    ``append(s[:i], s[i+1:]...)`` does); return the new length, the other patch items and
    whether ``$patch: replace`` was given."""
    without: list = []
    replace = False
    for v in patch:
        if DIRECTIVE_MARKER not in v:
            without.append(v)
            continue
        directive = v[DIRECTIVE_MARKER]
        if directive == DELETE_DIRECTIVE:
            if merge_key not in v:
                raise _err_no_merge_key(v, merge_key)
            value = v[merge_key]
            while True:
                _, idx, found = _find_map_in_slice(backing[:n], merge_key, value)
                if not found:
                    break
                backing[idx:n - 1] = backing[idx + 1:n]
                n -= 1
        elif directive == REPLACE_DIRECTIVE:
            replace = True
        elif directive == MERGE_DIRECTIVE:
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise _err_bad_patch_type(directive, v)
    return n, without, replace


def _merge_slice_without_special_elements(backing: list, patch: list, merge_key: str, meta: PatchMeta,
                                          merge_parallel_list: bool, ignore_unmatched_nulls: bool,
                                          n: int | None = None) -> list:
    """Merge patch items into ``backing[:n]``; appends land in ``backing`` while it has room."""
    if n is None:
        n = len(backing)
    current = backing
    aliased = True
    for v in patch:
        if merge_key not in v:
            raise _err_no_merge_key(v, merge_key)
        found_map, idx, found = _find_map_in_slice(current[:n], merge_key, v[merge_key])
        if found:
            current[idx] = _merge_map(found_map, v, meta, merge_parallel_list=merge_parallel_list,
                                      ignore_unmatched_nulls=ignore_unmatched_nulls)
        elif aliased and n < len(current):
            current[n] = v
            n += 1
        else:
            if aliased:
                current = list(current[:n])
                aliased = False
            current.append(v)
            n += 1
    return list(current[:n])
