"""Lifecycle hooks (postStart, preStop) as kubelet tasks.

Port of ``pkg/kubelet/lifecycle/handlers.go`` (HandlerRunner.Run: exec, httpGet, sleep and the
error messages that become the ``PostStartHookError`` waiting message). Hooks take simulated
time: an exec hook as long as its command runs (``ExecResult.duration``), ``sleep`` its seconds.
"""
from __future__ import annotations

from typing import Generator

from labsim.kubelet.images.base import ConnectionRefused, Timeout
from labsim.kubelet.prober import host_port, resolve_port


def pod_ref(pod: dict) -> str:
    """``format.Pod``: ``name_namespace(uid)``."""
    md = pod["metadata"]
    return f"{md['name']}_{md.get('namespace', '')}({md.get('uid', '')})"


def go_string_slice(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


def run_hook(pw, inst, container: dict, handler: dict, timeout: float | None = None) -> Generator:
    """Run a hook handler in ``inst``; returns ``(ok, message)`` after the hook's duration."""
    name = container["name"]
    if handler.get("exec") is not None:
        argv = list(handler["exec"].get("command") or [])
        proc = inst.proc
        if proc is None or not inst.running:
            return False, "container not running"
        res = proc.exec(argv, None, timeout)
        if res.duration:
            yield float(res.duration) if timeout is None else min(float(res.duration), float(timeout))
        if res.error is not None:
            err = f"rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: {res.error}: unknown"
            return False, (f"Exec lifecycle hook ({go_string_slice(argv)}) for Container \"{name}\" in Pod "
                           f"\"{pod_ref(pw.pod)}\" failed - error: {err}, message: \"\"")
        if res.exit_code != 0:
            out = (res.stdout or "") + (res.stderr or "")
            err = f"command '{' '.join(argv)}' exited with {res.exit_code}: {res.stderr or ''}"
            return False, (f"Exec lifecycle hook ({go_string_slice(argv)}) for Container \"{name}\" in Pod "
                           f"\"{pod_ref(pw.pod)}\" failed - error: {err}, message: {_go_quote(out)}")
        return True, ""
    if handler.get("httpGet") is not None:
        hg = handler["httpGet"]
        port = resolve_port(hg.get("port"), container) or 80
        host = hg.get("host") or pw.pod_ip or ""
        path = hg.get("path") or ""
        url = f"{(hg.get('scheme') or 'HTTP').lower()}://{host_port(host, port)}{path if path.startswith('/') or not path else '/' + path}"
        try:
            resp = pw.kl.network.http_get(None, host, port, path or "/", {"User-Agent": "kube-lifecycle/1.32"})
            err = None if 200 <= resp.status < 400 else f"HTTP lifecycle hook ({path}) for Container \"{name}\" in Pod \"{pod_ref(pw.pod)}\" failed - error: Get \"{url}\": HTTP status {resp.status}"
        except ConnectionRefused:
            err = f"Get \"{url}\": dial tcp {host_port(host, port)}: connect: connection refused"
        except (Timeout, LookupError):
            err = f"Get \"{url}\": context deadline exceeded"
        if err is not None:
            if not err.startswith("HTTP lifecycle hook"):
                err = (f"HTTP lifecycle hook ({path}) for Container \"{name}\" in Pod \"{pod_ref(pw.pod)}\" "
                       f"failed - error: {err}")
            return False, err
        return True, ""
    if handler.get("sleep") is not None:
        seconds = float(handler["sleep"].get("seconds") or 0)
        if timeout is not None:
            seconds = min(seconds, float(timeout))
        if seconds > 0:
            yield seconds
        return True, ""
    return False, "Cannot run handler: invalid handler"


def _go_quote(s: str) -> str:
    from labsim.api.gofmt import go_quote

    return go_quote(s)
