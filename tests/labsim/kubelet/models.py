"""A test-only image catalogue: small models whose behaviour the test spells out in ``args``.

    image "test/app", args:
      ["serve"]                       listen on 80, serve files under /www (404 otherwise), exit 0 on SIGTERM
      ["exit", CODE, AFTER]           run AFTER seconds, then exit with CODE
      ["ignore-term"]                 run until SIGKILL (ignores SIGTERM)
      ["oom", BYTES, AFTER]           report BYTES of memory after AFTER seconds
    image "test/missing:*"            fails to pull (NotFound)
"""
from __future__ import annotations

from types import SimpleNamespace

from labsim.kubelet.images.base import ContainerProcess, ExecResult, HTTPResponse


class PullError(Exception):
    pass


class InvalidImageName(Exception):
    pass


class ScriptModel(ContainerProcess):
    def __init__(self, ctx):
        super().__init__(ctx)
        self.args = list(ctx.spec.args or ["serve"])
        self._timer = None

    def start(self):
        self.running = True
        verb = self.args[0]
        self.ctx.log(f"start {' '.join(self.args)}")
        if verb == "serve":
            self.listening.add(80)
        elif verb == "exit":
            code, after = int(self.args[1]), float(self.args[2])
            if after <= 0:
                self._die(code)
            else:
                self._timer = self.ctx.clock.call_later(after, self._die, code)
        elif verb == "oom":
            self._timer = self.ctx.clock.call_later(float(self.args[2]), self.ctx.report_memory, int(self.args[1]))

    def _die(self, code, reason=None):
        if self._timer is not None:
            self._timer.cancel()
        super()._die(code, reason)

    def signal(self, sig):
        if sig == "SIGKILL":
            self._die(137)
        elif sig == "SIGTERM" and self.args[0] != "ignore-term":
            self.ctx.log("got SIGTERM")
            self._die(0 if self.args[0] == "serve" else 143)

    def http_get(self, port, path, headers=None):
        from labsim.kubelet.images.base import ConnectionRefused

        if not self.running or port not in self.listening:
            raise ConnectionRefused()
        self.ctx.log(f'GET {path} {headers.get("User-Agent") if headers else ""}')
        if self.ctx.fs.exists("/www" + path):
            return HTTPResponse(200, self.ctx.fs.read("/www" + path))
        return HTTPResponse(404, "not found")

    def exec(self, argv, stdin=None, timeout=None):
        if argv[:1] == ["touch"]:
            self.ctx.fs.write(argv[1], "")
            return ExecResult(0)
        if argv[:1] == ["rm"]:
            self.ctx.fs.remove(argv[1])
            return ExecResult(0)
        if argv[:1] == ["cat"]:
            if self.ctx.fs.exists(argv[1]):
                return ExecResult(0, stdout=self.ctx.fs.read(argv[1]))
            return ExecResult(1, stderr=f"cat: can't open '{argv[1]}': No such file or directory\n")
        if argv[:1] == ["sleep"]:
            return ExecResult(0, duration=float(argv[1]))
        if argv[:1] == ["false"]:
            return ExecResult(1)
        return super().exec(argv, stdin, timeout)


class TestCatalog:
    PullError = PullError
    InvalidImageName = InvalidImageName

    def __init__(self):
        self.infos = {}
        for tag, size, secs in (("test/app:1", 1_000_000, 2.5), ("test/app:latest", 1_000_000, 2.5)):
            self.infos[tag] = SimpleNamespace(
                ref="docker.io/" + tag, image_id="docker.io/test/app@sha256:" + "ab" * 32, size_bytes=size,
                pull_seconds=secs, entrypoint=["/app"], cmd=[], env={}, working_dir="/", exposed_ports=[80],
                stop_signal="SIGTERM", factory=ScriptModel, layer={"/www/index.html": "hello\n"})

    def resolve(self, image):
        key = image if ":" in image else image + ":latest"
        info = self.infos.get(key)
        if info is None:
            ref = "docker.io/" + key
            raise PullError(f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": '
                            f'failed to resolve reference "{ref}": {ref}: not found')
        return info


def make_cluster(seed=0, nodes=1, preload=("test/app:1",)):
    from labsim import Cluster

    c = Cluster(seed=seed, nodes=nodes)
    cat = TestCatalog()
    for k in c.kubelets.values():
        k.use_catalog(cat)
        for image in preload:
            k.images.preload(image)
    return c


def pod_yaml(name, args=None, *, image="test/app:1", policy=None, extra_container="", pod_extra="", node=None):
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", f"  name: {name}", "spec:"]
    if node:
        lines.append(f"  nodeName: {node}")
    if policy:
        lines.append(f"  restartPolicy: {policy}")
    if pod_extra:
        lines.extend("  " + l for l in pod_extra.strip("\n").splitlines())
    lines += ["  containers:", "  - name: app", f"    image: {image}"]
    if args is not None:
        lines.append("    args: [" + ", ".join(f'"{a}"' for a in args) + "]")
    if extra_container:
        lines.extend("    " + l for l in extra_container.strip("\n").splitlines())
    return "\n".join(lines) + "\n"
