"""API errors, shaped like apimachinery's ``metav1.Status``.

Every rejected request raises one :class:`StatusError`; kubectl turns it into text the way
``cmd/util/helpers.go`` ``checkErr`` does (see ``labsim.kubectl.errors``). The factories below
produce the server's own messages (``k8s.io/apimachinery/pkg/api/errors/errors.go``)::

    StatusError                    (reason, code, message, details)
      raised by not_found, already_exists, conflict, invalid, bad_request, forbidden,
      method_not_allowed, request_entity_too_large, internal_error

A request that raises changes nothing in the store.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OPTIMISTIC_LOCK_ERROR_MSG = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


@dataclass
class FieldError:
    """One cause of an Invalid error (``k8s.io/apimachinery/pkg/util/validation/field.Error``).

    ``body`` is the already-rendered error body (``Required value``, ``Invalid value: 80: ...``);
    ``labsim.api.validation`` builds it with Go's value formatting.
    """

    field: str
    type: str  # FieldValueRequired, FieldValueInvalid, ...
    body: str

    def __str__(self) -> str:
        # field.Error.Error() is "%s: %s" even when the field path is empty (": Too long: ...")
        return f"{self.field}: {self.body}"


class StatusError(Exception):
    """An API error: what the API server sends back as a ``Status`` object."""

    def __init__(self, reason: str, code: int, message: str, details: dict[str, Any] | None = None,
                 causes: list[FieldError] | None = None):
        super().__init__(message)
        self.reason = reason
        self.code = code
        self.message = message
        self.details = details or {}
        self.causes = causes or []

    def to_status(self) -> dict[str, Any]:
        """The ``Status`` object as a real API server would serialise it."""
        status: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        details = dict(self.details)
        if self.causes:
            details["causes"] = [
                {"reason": c.type, "message": c.body, "field": c.field} for c in self.causes
            ]
        if details:
            status["details"] = details
        return status

    def __repr__(self) -> str:
        return f"StatusError({self.reason!r}, {self.code}, {self.message!r})"


def qualified_resource(plural: str, group: str) -> str:
    """``pods``, ``deployments.apps``: how apimachinery names a GroupResource."""
    return f"{plural}.{group}" if group else plural


def not_found(plural: str, group: str, name: str) -> StatusError:
    res = qualified_resource(plural, group)
    return StatusError("NotFound", 404, f'{res} "{name}" not found',
                       {"name": name, "group": group, "kind": plural})


def already_exists(plural: str, group: str, name: str) -> StatusError:
    res = qualified_resource(plural, group)
    return StatusError("AlreadyExists", 409, f'{res} "{name}" already exists',
                       {"name": name, "group": group, "kind": plural})


def conflict(plural: str, group: str, name: str, detail: str = OPTIMISTIC_LOCK_ERROR_MSG) -> StatusError:
    res = qualified_resource(plural, group)
    return StatusError("Conflict", 409, f'Operation cannot be fulfilled on {res} "{name}": {detail}',
                       {"name": name, "group": group, "kind": plural})


def invalid(kind: str, group: str, name: str, causes: list[FieldError]) -> StatusError:
    """``errors.NewInvalid``: message ``Kind.group "name" is invalid: e`` or ``[e1, e2]``."""
    # apimachinery de-duplicates identical causes (ToAggregate)
    seen: list[FieldError] = []
    for c in causes:
        if not any(str(c) == str(s) for s in seen):
            seen.append(c)
    qualified = f"{kind}.{group}" if group else kind
    if len(seen) == 1:
        agg = str(seen[0])
    else:
        agg = "[" + ", ".join(str(c) for c in seen) + "]"
    return StatusError("Invalid", 422, f'{qualified} "{name}" is invalid: {agg}',
                       {"name": name, "group": group, "kind": kind}, causes=seen)


def bad_request(message: str) -> StatusError:
    return StatusError("BadRequest", 400, message)


def forbidden(plural: str, group: str, name: str, detail: str) -> StatusError:
    res = qualified_resource(plural, group)
    return StatusError("Forbidden", 403, f'{res} "{name}" is forbidden: {detail}',
                       {"name": name, "group": group, "kind": plural})


def method_not_allowed(message: str) -> StatusError:
    return StatusError("MethodNotAllowed", 405, message)


def request_entity_too_large(message: str = "Request entity too large: limit is 3145728") -> StatusError:
    return StatusError("RequestEntityTooLarge", 413, message)


def internal_error(message: str) -> StatusError:
    return StatusError("InternalError", 500, f"Internal error occurred: {message}")


class KubectlError(Exception):
    """A client-side error of kubectl (printed as ``error: ...`` or verbatim)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
