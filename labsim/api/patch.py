"""The API server's PATCH engine (``k8s.io/apiserver/pkg/endpoints/handlers/patch.go``).

Three patch types, as ``kubectl patch --type`` names them:

* ``strategic`` (``application/strategic-merge-patch+json``): :mod:`labsim.api.strategic`, lists
  merged by the schema's merge keys;
* ``merge`` (``application/merge-patch+json``, RFC 7386, evanphx/json-patch ``MergePatch``):
  objects merge recursively, ``null`` deletes, anything else (lists included) replaces;
* ``json`` (``application/json-patch+json``, RFC 6902, evanphx/json-patch v4): a list of
  ``add | remove | replace | move | copy | test`` operations on JSON pointers.

Errors are the server's: an undecodable patch is ``400 BadRequest``; a JSON patch operation that
does not apply (a failed ``test``, a missing path) is ``422 Invalid`` with the generic message
``the server rejected our request due to an error in our request`` (``NewGenericServerResponse``
discards the library's text); strategic-patch format errors are 400, the others 422 or 500 as in
``interpretStrategicMergePatchError``.

Also here: :func:`create_merge_patch` (RFC 7386 diff, ``jsonmergepatch``/evanphx
``CreateMergePatch``) used by kubectl for kinds without strategic metadata and by tests.
"""
from __future__ import annotations

import json
from typing import Any

from labsim import errors
from labsim.api import strategic
from labsim.api.meta import deep_copy

PATCH_TYPES = ("json", "merge", "strategic")

#: kube-apiserver's ``maxJSONPatchOperations``
MAX_JSON_PATCH_OPERATIONS = 10000

GENERIC_UNPROCESSABLE = "the server rejected our request due to an error in our request"


def _unprocessable(cause: str) -> errors.StatusError:
    """``NewGenericServerResponse(422, "", GroupResource{}, "", cause, 0, false)``: the cause is not shown."""
    err = errors.StatusError("Invalid", 422, GENERIC_UNPROCESSABLE, {"name": "", "group": "", "kind": ""})
    err.server_message = cause  # type: ignore[attr-defined]
    return err


def _decode(patch: Any) -> Any:
    if isinstance(patch, (bytes, bytearray)):
        patch = patch.decode()
    if isinstance(patch, str):
        try:
            return json.loads(patch)
        except ValueError as e:
            raise errors.bad_request(f"error decoding patch: {e}") from None
    return deep_copy(patch)


def apply_patch(rt, old: dict, patch: Any, patch_type: str) -> dict:
    """Apply ``patch`` (a JSON text or an already-decoded value) to ``old``; returns a new object.

    ``null`` members left in the result are dropped, as decoding the patched map into the typed
    object does (every optional field is a pointer, slice or map with ``omitempty``)."""
    return drop_nulls(_apply_patch(rt, old, patch, patch_type))


def drop_nulls(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: drop_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [drop_nulls(x) for x in v]
    return v


def _apply_patch(rt, old: dict, patch: Any, patch_type: str) -> dict:
    body = _decode(patch)
    if patch_type == "strategic":
        if not isinstance(body, dict):
            raise errors.bad_request(f"json: cannot unmarshal {_json_kind(body)} into Go value of type "
                                     "map[string]interface {}")
        try:
            return strategic.strategic_merge_patch(old, body, strategic.patch_meta_for(rt))
        except strategic.PatchError as e:
            msg = str(e)
            if msg in strategic.BAD_REQUEST_ERRORS:
                raise errors.bad_request(msg) from None
            if msg == strategic.ERR_NO_LIST_OF_LISTS:
                raise _unprocessable(msg) from None
            raise errors.internal_error(msg) from None
    if patch_type == "merge":
        if not isinstance(body, dict):
            # evanphx MergePatch: a non-object patch replaces the document; the result must
            # still decode as an object
            raise errors.bad_request("Invalid JSON Patch") if body is None else errors.bad_request(
                f"json: cannot unmarshal {_json_kind(body)} into Go value of type map[string]interface {{}}")
        return merge_patch(old, body)
    if patch_type == "json":
        if not isinstance(body, list):
            raise errors.bad_request(f"json: cannot unmarshal {_json_kind(body)} into Go value of type jsonpatch.Patch")
        if len(body) > MAX_JSON_PATCH_OPERATIONS:
            raise errors.request_entity_too_large(
                f"The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {len(body)}")
        try:
            result = apply_json_patch(old, body)
        except JSONPatchError as e:
            raise _unprocessable(str(e)) from None
        if not isinstance(result, dict):
            raise errors.bad_request(f"json: cannot unmarshal {_json_kind(result)} into Go value of type "
                                     "map[string]interface {}")
        return result
    raise errors.StatusError("UnsupportedMediaType", 415, f"the body of the request was in an unknown format - "
                             f"accepted media types include: application/json-patch+json, "
                             f"application/merge-patch+json, application/apply-patch+yaml")


def _json_kind(v: Any) -> str:
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "null"


# -- RFC 7386 -----------------------------------------------------------------------------------

def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 ``MergePatch(Target, Patch)``; inputs are not modified."""
    if not isinstance(patch, dict):
        return deep_copy(patch)
    result = deep_copy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def create_merge_patch(original: Any, modified: Any) -> Any:
    """The RFC 7386 patch that turns ``original`` into ``modified`` (``{}`` when equal)."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return deep_copy(modified)
    out: dict[str, Any] = {}
    for key, value in modified.items():
        if key not in original:
            out[key] = deep_copy(value)
        elif isinstance(value, dict) and isinstance(original[key], dict):
            sub = create_merge_patch(original[key], value)
            if sub:
                out[key] = sub
        elif not strategic.deep_equal(original[key], value):
            out[key] = deep_copy(value)
    for key in original:
        if key not in modified:
            out[key] = None
    return out


# -- RFC 6902 -----------------------------------------------------------------------------------

class JSONPatchError(Exception):
    """An operation that does not apply; messages as evanphx/json-patch v4 words them."""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _split(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise JSONPatchError(f"JSON pointer must be empty or start with a \"/\": {path}")
    return [_unescape(p) for p in path[1:].split("/")]


def _array_index(token: str, length: int, *, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return length
    if not token.lstrip("-").isdigit():
        raise JSONPatchError(f"value was not a proper array index: '{token}'")
    idx = int(token)
    if idx < 0 or idx > length or (idx == length and not allow_end):
        raise JSONPatchError(f"Unable to access invalid index: {idx}")
    return idx


def _container(doc: Any, tokens: list[str], op: str, path: str) -> Any:
    cur = doc
    for t in tokens[:-1]:
        if isinstance(cur, dict) and t in cur:
            cur = cur[t]
        elif isinstance(cur, list) and t.isdigit() and int(t) < len(cur):
            cur = cur[int(t)]
        else:
            raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\"")
        if not isinstance(cur, (dict, list)):
            raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\"")
    return cur


def _get(doc: Any, path: str) -> tuple[bool, Any]:
    cur = doc
    for t in _split(path):
        if isinstance(cur, dict) and t in cur:
            cur = cur[t]
        elif isinstance(cur, list) and t.isdigit() and int(t) < len(cur):
            cur = cur[int(t)]
        else:
            return False, None
    return True, cur


def _add(doc: Any, path: str, value: Any, op: str = "add") -> Any:
    tokens = _split(path)
    if not tokens:
        return value
    con = _container(doc, tokens, op, path)
    key = tokens[-1]
    if isinstance(con, dict):
        con[key] = value
    else:
        con.insert(_array_index(key, len(con), allow_end=True), value)
    return doc


def _remove(doc: Any, path: str, op: str = "remove") -> tuple[Any, Any]:
    tokens = _split(path)
    if not tokens:
        raise JSONPatchError(f"{op} operation does not apply: doc is missing path: \"{path}\"")
    con = _container(doc, tokens, op, path)
    key = tokens[-1]
    if isinstance(con, dict):
        if key not in con:
            raise JSONPatchError(f"Unable to remove nonexistent key: {key}: missing value")
        return doc, con.pop(key)
    idx = _array_index(key, len(con), allow_end=False)
    return doc, con.pop(idx)


def apply_json_patch(doc: Any, ops: list) -> Any:
    """Apply RFC 6902 operations to a copy of ``doc``."""
    doc = deep_copy(doc)
    for op in ops:
        if not isinstance(op, dict):
            raise JSONPatchError("Unexpected kind: unknown")
        kind = op.get("op", "unknown") if isinstance(op.get("op"), str) else "unknown"
        if "path" not in op or not isinstance(op.get("path"), str):
            raise JSONPatchError("operation missing path field: missing value")
        path = op["path"]
        if kind == "add":
            if "value" not in op:
                raise JSONPatchError("operation, missing value field: missing value")
            doc = _add(doc, path, deep_copy(op["value"]))
        elif kind == "remove":
            doc, _ = _remove(doc, path)
        elif kind == "replace":
            if "value" not in op:
                raise JSONPatchError("operation, missing value field: missing value")
            tokens = _split(path)
            if not tokens:
                doc = deep_copy(op["value"])
                continue
            con = _container(doc, tokens, "replace", path)
            key = tokens[-1]
            if isinstance(con, dict):
                if key not in con:
                    raise JSONPatchError(f"replace operation does not apply: doc is missing key: {path}: missing value")
                con[key] = deep_copy(op["value"])
            else:
                con[_array_index(key, len(con), allow_end=False)] = deep_copy(op["value"])
        elif kind in ("move", "copy"):
            src = op.get("from")
            if not isinstance(src, str):
                raise JSONPatchError(f"operation, missing from field: missing value")
            found, value = _get(doc, src)
            if not found:
                raise JSONPatchError(f"{kind} operation does not apply: doc is missing from path: {src}: missing value")
            if kind == "move":
                doc, value = _remove(doc, src, "move")
            doc = _add(doc, path, deep_copy(value), kind)
        elif kind == "test":
            found, value = _get(doc, path)
            expected = op.get("value")
            if not found:
                if expected is None and "value" in op:
                    continue
                raise JSONPatchError(f"test operation does not apply: is missing path: {path}: missing value")
            if not strategic.deep_equal(value, expected):
                raise JSONPatchError(f"testing value {path} failed: test failed")
        else:
            raise JSONPatchError(f"Unexpected kind: {kind}")
    return doc
