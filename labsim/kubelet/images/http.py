"""HTTP-serving helpers for image models: request targets, time formats, the servers' error pages.

Bodies are byte-exact copies of what the real servers send (nginx: ``ngx_http_special_response.c``;
Apache httpd 2.4: ``modules/http/http_protocol.c`` ``get_canned_error_string``), because learners
see them with ``curl`` and their sizes appear in access logs.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from urllib.parse import unquote

from labsim.clock import EPOCH
from labsim.kubelet.images.base import HTTPResponse

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

#: User-Agent of kubelet HTTP probes in v1.32 (pkg/probe/http/request.go: "kube-probe/<major>.<minor>")
PROBE_USER_AGENT = "kube-probe/1.32"


def _dt(t: float):
    return EPOCH + timedelta(seconds=t)


@lru_cache(maxsize=256)
def _clf_second(second: int) -> str:
    d = _dt(second)
    return f"{d.day:02d}/{_MONTHS[d.month - 1]}/{d.year}:{d:%H:%M:%S} +0000"


def clf_time(t: float) -> str:
    """Common Log Format time (nginx ``$time_local``, Apache ``%t`` without brackets):
    ``24/Nov/2026:09:00:40 +0000``. Cached per second: every access-log line formats one."""
    return _clf_second(int(t // 1))


def nginx_log_time(t: float) -> str:
    """nginx error-log time: ``2026/11/24 09:00:40``."""
    return _dt(t).strftime("%Y/%m/%d %H:%M:%S")


def apache_log_time(t: float) -> str:
    """Apache 2.4 error-log time: ``Tue Nov 24 09:00:40.123456 2026``."""
    d = _dt(t)
    return f"{_DAYS[d.weekday()]} {_MONTHS[d.month - 1]} {d.day:02d} {d:%H:%M:%S}.{d.microsecond:06d} {d.year}"


def go_log_time(t: float) -> str:
    """Go ``log`` default flags: ``2026/11/24 09:00:40``."""
    return _dt(t).strftime("%Y/%m/%d %H:%M:%S")


def iso_millis(t: float, tz: str = "+0000") -> str:
    """``2026-11-24T09:00:31.204+0000`` (mongod 3.x log time)."""
    d = _dt(t)
    return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond // 1000:03d}{tz}"


@dataclass
class Request:
    """One HTTP request as a server model sees it."""

    method: str
    target: str  # the request-target as sent (``/a%20b?x=1``)
    path: str  # decoded path without query
    query: str
    headers: dict[str, str]
    client_ip: str
    host: str  # Host header value

    @property
    def user_agent(self) -> str:
        return self.header("User-Agent", "-")

    def header(self, name: str, default: str = "") -> str:
        """A header by case-insensitive name (keys are kept in Go's canonical form)."""
        return self.headers.get(canonical_header_key(name), default)


@lru_cache(maxsize=1024)
def canonical_header_key(key: str) -> str:
    """``textproto.CanonicalMIMEHeaderKey``: ``user-agent`` -> ``User-Agent``, as Go's HTTP
    server stores request headers."""
    if any(c in key for c in " :\t") or not key.isascii():
        return key
    return "-".join(part[:1].upper() + part[1:].lower() for part in key.split("-"))


def make_request(ctx, port: int, path: str, headers: dict[str, str] | None,
                 client_ip: str | None, method: str = "GET") -> Request:
    """Build a :class:`Request`. A probe has no client address in the call; the kubelet's probes
    come from the node's bridge address, the ``.1`` of the pod's subnet (``10.42.0.1`` on k3s's
    cni0), which is what real access logs show for ``kube-probe`` requests."""
    headers = {canonical_header_key(k): v for k, v in (headers or {}).items()}
    target = path or "/"
    if not target.startswith("/"):
        target = "/" + target
    raw_path, _, query = target.partition("?")
    host = headers.get("Host")
    if host is None:
        host = f"{ctx.pod_ip}:{port}" if port != 80 else f"{ctx.pod_ip}"
        if "User-Agent" in headers and headers["User-Agent"].startswith("kube-probe/"):
            host = f"{ctx.pod_ip}:{port}"  # Go's http client keeps an explicit port
    return Request(method, target, unquote(raw_path) if "%" in raw_path else raw_path, query, headers,
                   client_ip or gateway_ip(ctx.pod_ip), host)


@lru_cache(maxsize=4096)
def gateway_ip(pod_ip: str) -> str:
    parts = (pod_ip or "10.42.0.0").split(".")
    if len(parts) == 4:
        return ".".join(parts[:3] + ["1"])
    return pod_ip


def safe_join(root: str, path: str) -> str:
    """Map a decoded URI path under a document root, as servers do (no escaping ``..``)."""
    norm = posixpath.normpath("/" + path.lstrip("/"))
    if path.endswith("/") and norm != "/":
        norm += "/"
    return root.rstrip("/") + norm


# -- nginx ---------------------------------------------------------------------------------
_NGINX_TITLES = {
    301: "301 Moved Permanently", 302: "302 Found", 400: "400 Bad Request",
    403: "403 Forbidden", 404: "404 Not Found", 405: "405 Not Allowed",
    500: "500 Internal Server Error", 502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable",
    504: "504 Gateway Time-out",
}


def nginx_error_page(status: int, version: str) -> str:
    """nginx's built-in error page (``server_tokens on``): ``ngx_http_error_<code>_page`` followed
    by ``ngx_http_error_tail``, CRLF line ends."""
    title = _NGINX_TITLES[status]
    return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n"
            f"<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n")


# -- Apache httpd 2.4 -------------------------------------------------------------------------
def apache_error_page(status: int) -> str:
    """Apache 2.4's canned error documents (``ap_send_error_response``)."""
    titles = {403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed"}
    texts = {
        403: "<p>You don't have permission to access this resource.</p>\n",
        404: "<p>The requested URL was not found on this server.</p>\n",
        405: "<p>The requested method is not allowed for this URL.</p>\n",
    }
    title = titles[status]
    return ("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n"
            f"<title>{title}</title>\n</head><body>\n<h1>{title.split(' ', 1)[1]}</h1>\n"
            f"{texts[status]}</body></html>\n")


def response(status: int, body: str = "", content_type: str = "text/html", **extra: str) -> HTTPResponse:
    headers = {"Content-Type": content_type, "Content-Length": str(body_bytes(body))}
    if extra:
        headers.update({k.replace("_", "-"): v for k, v in extra.items()})
    return HTTPResponse(status, body, headers)


def body_bytes(body: str) -> int:
    """Length in bytes as sent (UTF-8); ASCII bodies, the usual case, need no encoding."""
    return len(body) if body.isascii() else len(body.encode())
