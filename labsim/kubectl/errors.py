"""How kubectl prints errors (``k8s.io/kubectl/pkg/cmd/util/helpers.go``, ``checkErr``).

* Invalid (422): ``The <Kind> "<name>" is invalid: <field>: <message>`` built from the Status
  details; several causes print as ``...is invalid: `` then ``* field: message`` lines.
* other API errors: ``Error from server (<Reason>): <message>``.
* client-side errors: ``error: <message>``.
* several errors (several objects failed): one line each, Invalid ones printed raw as
  ``Error from server (Invalid): <message>``.

Every error goes to stderr and makes kubectl exit 1.
"""
from __future__ import annotations

from labsim.errors import KubectlError, StatusError


class FileContextError(Exception):
    """An API error with kubectl's file context (``error when creating "pod.yaml": ...``)."""

    def __init__(self, status: StatusError, context: str):
        super().__init__(status.message)
        self.status = status
        self.context = context


def with_source(err: StatusError, verb: str, source: str) -> StatusError:
    """``cmdutil.AddSourceToErr``: prefix the Status message with ``error when <verb> "<file>": ``."""
    if not source:
        return err
    wrapped = StatusError(err.reason, err.code, f'error when {verb} "{source}": {err.message}', err.details,
                          err.causes)
    return wrapped


def format_error(err: Exception) -> str:
    """The text kubectl prints for a single error (with the trailing newline)."""
    if isinstance(err, StatusError):
        if err.reason == "Invalid" and (err.causes or err.details):
            kind = err.details.get("kind", "")
            name = err.details.get("name", "")
            prefix = f'The {kind} "{name}" is invalid' if (kind or name) else "The request is invalid"
            causes: list[str] = []
            for c in err.causes:
                s = f"{c.field}: {c.body}"  # statusCausesToAggrError: "%s: %s" even for an empty field
                if s not in causes:
                    causes.append(s)
            if not causes:
                # checkErr: with no kind/name and no causes the server's message is appended
                if not (kind or name) and err.message:
                    return f"{prefix}: {err.message}\n"
                return f"{prefix}\n"
            if len(causes) == 1:
                return f"{prefix}: {causes[0]}\n"
            return f"{prefix}: \n" + "".join(f"* {c}\n" for c in causes)
        if err.reason == "Unauthorized":
            return f"error: You must be logged in to the server ({err.message})\n"
        if err.reason:
            return f"Error from server ({err.reason}): {err.message}\n"
        return f"Error from server: {err.message}\n"
    if isinstance(err, KubectlError):
        msg = err.message
        if not msg.startswith("error: ") and not getattr(err, "verbatim", False):
            msg = "error: " + msg
        return msg if msg.endswith("\n") else msg + "\n"
    msg = str(err)
    return (msg if msg.startswith("error: ") else "error: " + msg) + "\n"


def format_errors(errs: list[Exception]) -> str:
    """Several errors: checkErr prints an aggregate with ``MultipleErrors("", errs)``: API errors
    through ``StandardErrorMessage`` (``Error from server (Reason): message``, Invalid ones raw),
    any other error as its bare text, without the ``error: `` prefix a single error gets."""
    if len(errs) == 1:
        return format_error(errs[0])
    out = []
    for e in errs:
        if isinstance(e, StatusError):
            line = f"Error from server ({e.reason}): {e.message}" if e.reason else f"Error from server: {e.message}"
        elif isinstance(e, KubectlError):
            line = e.message
        else:
            line = str(e)
        if line not in out:
            out.append(line)
    return "".join(l + "\n" for l in out)


def verbatim(message: str) -> KubectlError:
    """A client error printed exactly as given (no ``error: `` prefix)."""
    e = KubectlError(message)
    e.verbatim = True  # type: ignore[attr-defined]
    return e
