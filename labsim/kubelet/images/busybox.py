"""The busybox and alpine images: PID 1 is the container's command run by the shell engine.

- No command: the image default is ``sh`` (busybox; alpine ``/bin/sh``). Without ``stdin: true``
  and a TTY the shell reads end-of-file at once and exits 0: a plain ``busybox`` pod completes
  immediately (``Completed``, then ``CrashLoopBackOff`` under ``restartPolicy: Always``).
- ``command: ["sleep", "3600"]`` runs the ``sleep`` applet as PID 1, which ignores SIGTERM (PID 1
  has no handler), so ``kubectl delete pod`` waits the whole grace period; SIGKILL ends it (137).
- The image listens nowhere; ``exec`` runs one-shot commands through the same shell
  (:func:`~labsim.kubelet.images.shell.exec_command`).

Files: the pod-specific ``/etc/hostname``, ``/etc/hosts`` and ``/etc/resolv.conf`` are written by
the runtime in a real cluster (kubelet-managed mounts); this model writes them into the container
filesystem at start when absent (:func:`pod_etc_files`), with the cluster DNS ``10.43.0.10``
(k3s) and the ``<ns>.svc.cluster.local svc.cluster.local cluster.local`` search path, ``ndots:5``.
"""
from __future__ import annotations

from .base import ContainerProcess, ExecResult
from .shell import BUSYBOX_APPLETS, Machine, exec_command, run_shell

CLUSTER_DNS = "10.43.0.10"
CLUSTER_DOMAIN = "cluster.local"

BUSYBOX_OS_RELEASE = None  # busybox has no /etc/os-release
ALPINE_OS_RELEASE = ('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.22.1\nPRETTY_NAME="Alpine Linux v3.22"\n'
                     'HOME_URL="https://alpinelinux.org/"\n'
                     'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n')


def busybox_files(alpine: bool = False) -> dict[str, str]:
    """A plausible minimal busybox/alpine tree (for the catalogue's image layer)."""
    files = {"/tmp/": "", "/root/": "", "/home/": "", "/var/": "", "/var/log/": "", "/proc/": "",
             "/dev/": "", "/usr/bin/": "", "/usr/sbin/": "", "/sbin/": "", "/etc/": ""}
    files["/etc/passwd"] = ("root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
                            "nobody:x:65534:65534:nobody:/home:/bin/false\n")
    files["/etc/group"] = "root:x:0:\ndaemon:x:1:\nnobody:x:65534:\n"
    files["/bin/busybox"] = ""
    for name in sorted(BUSYBOX_APPLETS):
        files[f"/bin/{name}"] = ""
    if alpine:
        files["/etc/os-release"] = ALPINE_OS_RELEASE
        files["/etc/alpine-release"] = "3.22.1\n"
        files["/lib/apk/db/installed"] = ""
    return files


def pod_etc_files(ctx) -> dict[str, str]:
    """``/etc/hostname``, ``/etc/hosts`` and ``/etc/resolv.conf`` as the kubelet writes them."""
    pod = getattr(ctx, "pod", None) or {}
    ns = (pod.get("metadata") or {}).get("namespace") or "default"
    hostname = getattr(ctx, "hostname", "") or (pod.get("metadata") or {}).get("name", "localhost")
    ip = getattr(ctx, "pod_ip", "") or ""
    hosts = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
             "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
    if ip:
        hosts += f"{ip}\t{hostname}\n"
    resolv = (f"search {ns}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}\n"
              f"nameserver {CLUSTER_DNS}\noptions ndots:5\n")
    return {"/etc/hostname": hostname + "\n", "/etc/hosts": hosts, "/etc/resolv.conf": resolv}


class BusyboxProcess(ContainerProcess):
    """busybox (and alpine, whose ``/bin/sh`` is busybox ash): the command runs in the shell."""

    image_default_cmd = ["sh"]

    def __init__(self, ctx, info=None):
        super().__init__(ctx)
        self.info = info
        self.machine = Machine(ctx, commands=BUSYBOX_APPLETS)
        self.main = None

    def _argv(self) -> list[str]:
        spec = self.ctx.spec
        info = self.info
        entry = list(getattr(info, "entrypoint", None) or [])
        cmd = list(getattr(info, "cmd", None) or self.image_default_cmd)
        if spec.command:
            return list(spec.command) + list(spec.args or [])
        return entry + (list(spec.args) if spec.args is not None else cmd)

    def start(self) -> None:
        self.running = True
        fs = self.ctx.fs
        for path, data in pod_etc_files(self.ctx).items():
            try:
                if not fs.exists(path):
                    if not fs.exists("/etc"):
                        fs.mkdir("/etc", parents=True)
                    fs.write(path, data)
            except (OSError, ValueError):
                pass
        self.main = run_shell(self.ctx, self._argv(), as_pid1=True, machine=self.machine,
                              on_exit=self._on_exit)

    def _on_exit(self, code: int, reason: str | None = None, message: str | None = None) -> None:
        if not self.running:
            return
        self.running = False
        self.ctx.exited(code, reason, message)

    def signal(self, sig: str) -> None:
        if self.main is not None and self.main.running:
            self.main.signal(sig)

    def exec(self, argv: list[str], stdin: str | None = None, timeout: float | None = None) -> ExecResult:
        return exec_command(self.ctx, argv, stdin=stdin, timeout=timeout, machine=self.machine)

    @property
    def busy(self) -> bool:
        """The main process is a CPU-bound loop (reported to ``ctx.report_cpu``)."""
        return bool(self.main is not None and self.main.busy)


class AlpineProcess(BusyboxProcess):
    """alpine: the same busybox ash and applets, image default ``/bin/sh``."""

    image_default_cmd = ["/bin/sh"]
