"""The image catalogue: every image the simulated registries serve, as data plus a model class.

``resolve(image)`` is what a pull does: parse and normalise the reference (``reference.py``, the
kubelet's and containerd's rules), look the repository and tag up, and return an :class:`ImageInfo`
or raise :class:`PullError` with containerd's error text. Unparsable references raise
:class:`~labsim.kubelet.images.reference.InvalidImageName` (the kubelet never pulls them).

Figures are approximations of the real linux/amd64 images, stated as such: ``size_bytes`` is close
to the compressed size containerd reports (the ``Image size: N bytes.`` of the v1.32 Pulled event;
public Docker Hub / registry figures, rounded differently per image so they do not look
synthetic), application versions are the last release of each tag as of late 2025, and digests are
*not* the real ones: they are sha256 of a fixed string naming the repository and version, so they
are stable across runs and shared by tags that alias the same image (``nginx:1.29`` and
``nginx:latest``). ``pull_seconds`` = 1 s + size / 25 MB/s (a broadband pull from Docker Hub,
rounded to the millisecond), deterministic per image.

Pull failures (containerd 1.7/2.0 as shipped with k3s v1.32; CRI maps them to gRPC codes, and the
kubelet prints ``Failed to pull image "<image>": <err>`` with the gRPC error's text):

- a tag or digest the repository does not have -> ``NotFound``:
  ``failed to pull and unpack image "docker.io/library/nginx:no-such-tag": failed to resolve
  reference "docker.io/library/nginx:no-such-tag": docker.io/library/nginx:no-such-tag: not found``
- a Docker Hub repository that does not exist (``1.9.1`` is ``docker.io/library/1.9.1:latest``,
  ``rainbow/mc-user:1.0.RELEASE``, ``sakuragaara/flaskapp:v1``): Docker Hub answers 401 to an
  anonymous token for a missing repository, so containerd cannot tell "missing" from "private":
  ``... failed to resolve reference "docker.io/library/1.9.1:latest": pull access denied,
  repository does not exist or may require authorization: server message: insufficient_scope:
  authorization failed`` (gRPC code ``Unknown``). Texts as in kubelet events of containerd-based
  clusters (e.g. pfnet/image-pull-secrets-provisioner#31, 2024).
- a registry host that does not resolve: ``failed to do request: Head "https://<host>/v2/<path>/
  manifests/<tag>": dial tcp: lookup <host>: no such host`` (``Unknown``).
"""
from __future__ import annotations

import hashlib
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from labsim.kubelet.images.fs import ImageLayer
from labsim.kubelet.images.reference import (
    InvalidImageName, Reference, ReferenceError, parse_docker_ref, normalize as _normalize)

__all__ = ["ImageInfo", "PullError", "InvalidImageName", "resolve", "normalize", "lookup",
           "known_images", "REGISTRIES"]


class PullError(Exception):
    """A pull that the registry/containerd refuses.

    ``message`` is containerd's text; ``code`` the gRPC code the CRI returns (``NotFound``,
    ``Unknown``); ``str(err)`` is what the kubelet prints after ``Failed to pull image "x": `` and in
    the ``ErrImagePull`` waiting message: ``rpc error: code = NotFound desc = <message>``.
    """

    def __init__(self, message: str, code: str = "Unknown", ref: str = ""):
        self.message = message
        self.code = code
        self.ref = ref
        super().__init__(f"rpc error: code = {code} desc = {message}")


@dataclass(eq=False)
class ImageInfo:
    """One pullable image (a repository:tag or repository@digest that resolves)."""

    ref: str  # fully qualified reference as pulled: docker.io/library/nginx:1.27
    image_id: str  # repo digest: docker.io/library/nginx@sha256:<64 hex>
    size_bytes: int
    pull_seconds: float
    entrypoint: list[str]
    cmd: list[str]
    env: dict[str, str]
    working_dir: str
    exposed_ports: list[int]
    stop_signal: str
    factory: Callable[[Any], Any]
    layer: ImageLayer
    #: the application's version (nginx 1.27.5, mongod 3.3.15 ...): models print it
    version: str = ""
    #: model-specific knobs (OS flavour, log style ...)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def files(self) -> dict[str, str]:
        return self.layer.files

    @property
    def digest(self) -> str:
        return self.image_id.split("@", 1)[1]

    @property
    def repository(self) -> str:
        return self.image_id.split("@", 1)[0]


# -- model factories ---------------------------------------------------------------------------
class _Factory:
    """``factory(ctx) -> ContainerProcess``; imports the model lazily (the busybox model is
    engineer 3's and may land after the catalogue)."""

    def __init__(self, module: str, cls: str):
        self.module, self.cls = module, cls
        self.info: ImageInfo | None = None

    def __call__(self, ctx):
        try:
            model = getattr(importlib.import_module(self.module), self.cls)
        except (ImportError, AttributeError):
            model = _shell_only()
        try:
            params = inspect.signature(model).parameters
        except (TypeError, ValueError):  # pragma: no cover
            params = {}
        if "info" in params:
            return model(ctx, info=self.info)
        return model(ctx)


def _shell_only():
    from labsim.kubelet.images.common import ShellOnlyProcess

    return ShellOnlyProcess


# -- image files -------------------------------------------------------------------------------
NGINX_INDEX_OLD = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

#: nginx's docs/html/index.html since the dark-mode change (615 bytes, the size in seed 002's logs)
NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_50X = """<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
"""

NGINX_DEFAULT_CONF = """server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

_OS_RELEASE = {
    "buster": 'PRETTY_NAME="Debian GNU/Linux 10 (buster)"\nNAME="Debian GNU/Linux"\nVERSION_ID="10"\n'
              'VERSION="10 (buster)"\nVERSION_CODENAME=buster\nID=debian\n',
    "bullseye": 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\n'
                'VERSION="11 (bullseye)"\nVERSION_CODENAME=bullseye\nID=debian\n',
    "bookworm": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
                'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
    "trixie": 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="13"\n'
              'VERSION="13 (trixie)"\nVERSION_CODENAME=trixie\nID=debian\n',
    "jessie": 'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\nVERSION_ID="8"\n'
              'VERSION="8 (jessie)"\nID=debian\n',
    "xenial": 'NAME="Ubuntu"\nVERSION="16.04.7 LTS (Xenial Xerus)"\nID=ubuntu\nID_LIKE=debian\n'
              'PRETTY_NAME="Ubuntu 16.04.7 LTS"\nVERSION_ID="16.04"\n',
    "noble": 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\n'
             'VERSION="24.04.3 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n',
    "alpine": 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.22.1\nPRETTY_NAME="Alpine Linux v3.22"\n'
              'HOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
}

_PASSWD_DEBIAN = ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                  "bin:x:2:2:bin:/bin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
_PASSWD_ALPINE = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"

#: programs whose presence the shell can check (``which curl``); contents are not meaningful
_DEBIAN_BIN = ["bash", "cat", "chmod", "cp", "date", "echo", "env", "grep", "hostname", "kill", "ls",
               "mkdir", "mv", "ps", "pwd", "rm", "sed", "sh", "sleep", "tail", "touch"]
_BUSYBOX_BIN = _DEBIAN_BIN[1:] + ["wget", "nc", "vi", "top", "head", "wc", "ping", "nslookup"]


def _rootfs(os_name: str, extra_bins: tuple[str, ...] = ()) -> dict[str, str]:
    files: dict[str, str] = {"/tmp/": "", "/root/": "", "/var/log/": "", "/proc/": "", "/dev/": ""}
    files["/etc/os-release"] = _OS_RELEASE[os_name]
    alpine = os_name == "alpine"
    files["/etc/passwd"] = _PASSWD_ALPINE if alpine else _PASSWD_DEBIAN
    bins = _BUSYBOX_BIN if alpine else _DEBIAN_BIN
    for b in list(bins) + list(extra_bins):
        files[f"/bin/{b}" if b in bins else f"/usr/bin/{b}"] = ""
    return files


def _nginx_files(os_name: str, index: str) -> Callable[[], dict[str, str]]:
    def build() -> dict[str, str]:
        files = _rootfs(os_name, ("curl",) if os_name != "alpine" else ())
        files.update({
            "/usr/share/nginx/html/index.html": index,
            "/usr/share/nginx/html/50x.html": NGINX_50X,
            "/etc/nginx/nginx.conf": "user  nginx;\nworker_processes  auto;\n",
            "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT_CONF,
            "/docker-entrypoint.sh": "",
            "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh": "",
            "/docker-entrypoint.d/20-envsubst-on-templates.sh": "",
            "/docker-entrypoint.d/30-tune-worker-processes.sh": "",
            "/usr/sbin/nginx": "",
            "/var/log/nginx/access.log": "",
            "/var/log/nginx/error.log": "",
            "/var/cache/nginx/": "",
        })
        return files
    return build


def _simple_files(os_name: str, extra: dict[str, str], bins: tuple[str, ...] = ()) -> Callable[[], dict[str, str]]:
    def build() -> dict[str, str]:
        files = _rootfs(os_name, bins)
        files.update(extra)
        return files
    return build


# -- the catalogue ---------------------------------------------------------------------------
@dataclass
class _Entry:
    repository: str  # docker.io/library/nginx
    tags: tuple[str, ...]
    key: str  # what aliases share (the digest seed)
    version: str
    size: int
    entrypoint: list[str]
    cmd: list[str]
    env: dict[str, str]
    working_dir: str
    ports: list[int]
    stop_signal: str
    model: tuple[str, str]
    files: Callable[[], dict[str, str]]
    extra: dict[str, Any] = field(default_factory=dict)


_M = "labsim.kubelet.images."
_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_ENTRIES: list[_Entry] = []


def _nginx(tags, version, size, os_name, njs, pkg, gcc, worker_pid, *, index=NGINX_INDEX,
           repository="docker.io/library/nginx", local_resolvers=True, dynpkg=False, key=None):
    env = {"PATH": _PATH, "NGINX_VERSION": version, "NJS_VERSION": njs}
    if njs and os_name != "alpine":
        env["NJS_RELEASE"] = pkg
    env["PKG_RELEASE"] = pkg
    if dynpkg:
        env["DYNPKG_RELEASE"] = pkg
    if not njs:
        del env["NJS_VERSION"]
    scripts = ["10-listen-on-ipv6-by-default.sh"]
    if local_resolvers:
        scripts.append("15-local-resolvers.envsh")
    scripts += ["20-envsubst-on-templates.sh", "30-tune-worker-processes.sh"]
    _ENTRIES.append(_Entry(
        repository, tuple(tags), key or f"nginx-{version}-{os_name}", version, size,
        ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"], env, "", [80], "SIGQUIT",
        (_M + "nginx", "NginxProcess"), _nginx_files(os_name, index),
        {"os": os_name, "gcc": gcc, "worker_pid": worker_pid, "entrypoint_scripts": scripts}))


# nginx (docker-library nginx; versions: last release of each tag; gcc strings of their Debian)
_nginx(["1.21.1"], "1.21.1", 53_574_811, "buster", "0.6.1", "1~buster", "8.3.0 (Debian 8.3.0-6)", 31,
       local_resolvers=False)
_nginx(["1.21", "1.21.6"], "1.21.6", 56_730_402, "bullseye", "0.7.3", "1~bullseye",
       "10.2.1 20210110 (Debian 10.2.1-6)", 31, local_resolvers=False)
_nginx(["1.27", "1.27.5"], "1.27.5", 72_227_389, "bookworm", "0.8.10", "1~bookworm",
       "12.2.0 (Debian 12.2.0-14)", 29, dynpkg=True)
_nginx(["1.28", "1.28.0", "stable"], "1.28.0", 72_195_116, "bookworm", "0.8.10", "1~bookworm",
       "12.2.0 (Debian 12.2.0-14)", 29, dynpkg=True)
_nginx(["latest", "1.29", "1.29.1", "mainline"], "1.29.1", 72_319_674, "trixie", "0.9.1", "1~trixie",
       "14.2.0 (Debian 14.2.0-19)", 29, dynpkg=True)
_nginx(["alpine", "1.29-alpine", "mainline-alpine"], "1.29.1", 21_436_211, "alpine", "0.9.1", "1",
       "14.2.0 (Alpine 14.2.0)", 29, dynpkg=True)
_nginx(["1.27-alpine"], "1.27.5", 20_418_320, "alpine", "0.8.10", "1", "14.2.0 (Alpine 14.2.0)", 29,
       dynpkg=True)
# registry.k8s.io/nginx-slim: the Kubernetes docs' StatefulSet image (nginx version unverified)
_nginx(["0.24"], "1.25.4", 32_109_733, "bookworm", "", "", "12.2.0 (Debian 12.2.0-14)", 29,
       repository="registry.k8s.io/nginx-slim", key="nginx-slim-0.24")
for _tag in ("0.26", "0.27"):
    _nginx([_tag], "1.27.1", 33_072_905 + int(_tag[-1]) * 1000, "bookworm", "", "", "12.2.0 (Debian 12.2.0-14)", 29,
           repository="registry.k8s.io/nginx-slim", key=f"nginx-slim-{_tag}")


def _add(repository, tags, version, size, entrypoint, cmd, env, working_dir, ports, stop_signal,
         model, files, key=None, **extra):
    _ENTRIES.append(_Entry(repository, tuple(tags), key or f"{repository}-{version}", version, size,
                           entrypoint, cmd, dict({"PATH": _PATH}, **env), working_dir, ports,
                           stop_signal, (_M + model[0], model[1]), files, extra))


# mongo (docker-library mongo). 3.3 env from seed 000's `kubectl exec ... env` output.
_mongo_files = _simple_files("jessie", {"/data/db/": "", "/data/configdb/": "", "/entrypoint.sh": ""})
_add("docker.io/library/mongo", ["3.3", "3.3.15"], "3.3.15", 121_460_517, ["/entrypoint.sh"], ["mongod"],
     {"GOSU_VERSION": "1.7", "MONGO_MAJOR": "3.3", "MONGO_VERSION": "3.3.15",
      "MONGO_PACKAGE": "mongodb-org-unstable"}, "", [27017], "SIGTERM", ("mongo", "MongoProcess"),
     _mongo_files, log="text", http_interface=True, git="1ec1ff9d06ea6c8e6a6d3fc5f9ddec7f7a2e4f5f")
_add("docker.io/library/mongo", ["3.4", "3.4.24"], "3.4.24", 150_823_104, ["docker-entrypoint.sh"], ["mongod"],
     {"GOSU_VERSION": "1.11", "JSYAML_VERSION": "3.13.0", "GPG_KEYS": "0C49F3730359A14518585931BC711F9BA15703C6",
      "MONGO_PACKAGE": "mongodb-org", "MONGO_REPO": "repo.mongodb.org", "MONGO_MAJOR": "3.4",
      "MONGO_VERSION": "3.4.24"}, "", [27017], "SIGTERM", ("mongo", "MongoProcess"),
     _simple_files("xenial", {"/data/db/": "", "/data/configdb/": "", "/usr/local/bin/docker-entrypoint.sh": ""}),
     log="text", http_interface=True, git="865b4f6a96d0f5425e39a18337105f33e8db504d")
_add("docker.io/library/mongo", ["latest", "8", "8.0", "8.0.13"], "8.0.13", 279_381_922,
     ["docker-entrypoint.sh"], ["mongod"],
     {"GOSU_VERSION": "1.17", "JSYAML_VERSION": "3.13.1", "MONGO_PACKAGE": "mongodb-org",
      "MONGO_REPO": "repo.mongodb.org", "MONGO_MAJOR": "8.0", "MONGO_VERSION": "8.0.13", "HOME": "/data/db"},
     "", [27017], "SIGTERM", ("mongo", "MongoProcess"),
     _simple_files("noble", {"/data/db/": "", "/data/configdb/": "", "/usr/local/bin/docker-entrypoint.sh": ""}),
     log="json", http_interface=False, git="a5b7ef5ae6a5e0ea0a0d5e4e8d2c29f2c4b7c3b6")

# httpd / redis / influxdb
_add("docker.io/library/httpd", ["latest", "2.4", "2", "2.4.65"], "2.4.65", 45_270_913, [], ["httpd-foreground"],
     {"HTTPD_PREFIX": "/usr/local/apache2", "HTTPD_VERSION": "2.4.65"}, "/usr/local/apache2", [80],
     "SIGWINCH", ("httpd", "HttpdProcess"),
     _simple_files("trixie", {"/usr/local/apache2/htdocs/index.html": "<html><body><h1>It works!</h1></body></html>\n",
                               "/usr/local/bin/httpd-foreground": "", "/usr/local/apache2/conf/httpd.conf": ""}))
_add("docker.io/library/redis", ["latest", "8", "8.2", "8.2.1"], "8.2.1", 52_618_340, ["docker-entrypoint.sh"],
     ["redis-server"], {"REDIS_DOWNLOAD_URL": "https://github.com/redis/redis/archive/refs/tags/8.2.1.tar.gz"},
     "/data", [6379], "SIGTERM", ("redis", "RedisProcess"),
     _simple_files("bookworm", {"/data/": "", "/usr/local/bin/docker-entrypoint.sh": "",
                                "/usr/local/bin/redis-server": "", "/usr/local/bin/redis-cli": ""}))
_add("docker.io/library/influxdb", ["latest", "2", "2.7", "2.7.12"], "2.7.12", 118_440_617, ["/entrypoint.sh"],
     ["influxd"], {"INFLUXDB_VERSION": "2.7.12", "INFLUX_CLI_VERSION": "2.7.5", "INFLUXD_INIT_PORT": "9999",
                   "INFLUXD_INIT_PING_ATTEMPTS": "600", "DOCKER_INFLUXDB_INIT_CLI_CONFIG_NAME": "default"},
     "", [8086], "SIGTERM", ("influxdb", "InfluxdbProcess"),
     _simple_files("bookworm", {"/var/lib/influxdb2/": "", "/etc/influxdb2/": "", "/entrypoint.sh": ""}))

# the course's workload images
_add("docker.io/vfarcic/go-demo-2", ["latest", "2.0"], "2.0", 5_972_418, [], ["go-demo"], {"DB": "db"}, "",
     [8080], "SIGTERM", ("godemo", "GoDemoProcess"),
     _simple_files("alpine", {"/usr/local/bin/go-demo": ""}), key="go-demo-2")
_add("docker.io/agilestacks/fluentd-elasticsearch", ["v1.3.0"], "v1.3.0", 143_862_561, [], ["/run.sh"],
     {"FLUENTD_ARGS": "--no-supervisor -q"}, "", [], "SIGTERM", ("fluentd", "FluentdProcess"),
     _simple_files("jessie", {"/run.sh": "", "/etc/td-agent/td-agent.conf": ""}))
_add("gcr.io/google_containers/pause", ["2.0"], "2.0", 350_138, ["/pause"], [], {}, "", [], "SIGTERM",
     ("pause", "PauseProcess"), _simple_files("alpine", {"/pause": ""}), handles_term=False)
for _t, _s in (("3.10", 320_368), ("3.9", 321_520), ("3.6", 301_773)):
    _add("registry.k8s.io/pause", [_t], _t, _s, ["/pause"], [], {}, "", [], "SIGTERM",
         ("pause", "PauseProcess"), _simple_files("alpine", {"/pause": ""}), handles_term=True)
_add("registry.k8s.io/hpa-example", ["latest"], "hpa-example", 181_372_409, [], ["apache2-foreground"],
     {"PHP_INI_DIR": "/usr/local/etc/php", "PHP_VERSION": "5.6.14"}, "/var/www/html", [80], "SIGTERM",
     ("phpapache", "PhpApacheProcess"),
     _simple_files("jessie", {"/var/www/html/index.php":
                              '<?php\n  $x = 0.0001;\n  for ($i = 0; $i <= 1000000; $i++) {\n'
                              '    $x += sqrt($x);\n  }\n  echo "OK!";\n?>\n',
                              "/usr/local/bin/apache2-foreground": ""}, ("curl",)))

# shell images: the busybox model and file tree are engineer 3's (labsim.kubelet.images.busybox)
def _busybox_files(alpine: bool) -> Callable[[], dict[str, str]]:
    def build() -> dict[str, str]:
        try:
            return importlib.import_module(_M + "busybox").busybox_files(alpine)
        except (ImportError, AttributeError):
            return _rootfs("alpine") if alpine else {"/bin/busybox": "", "/tmp/": "", "/root/": ""}
    return build


for _tags, _v, _s in ((["latest", "1.37", "1.37.0", "stable"], "1.37.0", 2_155_304),
                      (["1.36", "1.36.1"], "1.36.1", 2_158_987), (["1.35"], "1.35.0", 2_214_600)):
    _add("docker.io/library/busybox", _tags, _v, _s, [], ["sh"], {}, "", [], "SIGTERM",
         ("busybox", "BusyboxProcess"), _busybox_files(False), shell="busybox")
for _tags, _v, _s in ((["latest", "3", "3.22", "3.22.1"], "3.22.1", 3_799_123), (["3.21"], "3.21.4", 3_645_870),
                      (["3.20"], "3.20.7", 3_625_542)):
    _add("docker.io/library/alpine", _tags, _v, _s, [], ["/bin/sh"], {}, "", [], "SIGTERM",
         ("busybox", "AlpineProcess"), _busybox_files(True), shell="alpine")

#: registries the simulated cluster can reach; others do not resolve in DNS
REGISTRIES = ("docker.io", "registry.k8s.io", "gcr.io", "k8s.gcr.io", "quay.io", "ghcr.io")
#: registries that answer 404 (not 401) for a repository that does not exist
_NOT_FOUND_REGISTRIES = ("registry.k8s.io", "gcr.io", "k8s.gcr.io")

_BY_REPO: dict[str, dict[str, _Entry]] = {}
for _e in _ENTRIES:
    for _tag in _e.tags:
        _BY_REPO.setdefault(_e.repository, {})[_tag] = _e

_INFO_CACHE: dict[tuple[str, str], ImageInfo] = {}


def _digest(e: _Entry) -> str:
    return "sha256:" + hashlib.sha256(f"labsim-image:{e.repository}@{e.key}".encode()).hexdigest()


def _info(e: _Entry, ref: str) -> ImageInfo:
    cache_key = (ref, e.key)
    info = _INFO_CACHE.get(cache_key)
    if info is not None:
        return info
    layer = _LAYERS.get(e.key)
    if layer is None:
        layer = _LAYERS[e.key] = ImageLayer(e.files)
    factory = _Factory(*e.model)
    info = ImageInfo(
        ref=ref, image_id=f"{e.repository}@{_digest(e)}", size_bytes=e.size,
        pull_seconds=round(1.0 + e.size / 25_000_000, 3), entrypoint=list(e.entrypoint),
        cmd=list(e.cmd), env=dict(e.env), working_dir=e.working_dir, exposed_ports=list(e.ports),
        stop_signal=e.stop_signal, factory=factory, layer=layer, version=e.version, extra=dict(e.extra))
    factory.info = info
    _INFO_CACHE[cache_key] = info
    return info


_LAYERS: dict[str, ImageLayer] = {}


def normalize(image: str) -> str:
    """``nginx`` -> ``docker.io/library/nginx:latest`` (raises InvalidImageName)."""
    return _normalize(image)


def _fail_text(ref: str, reason: str) -> str:
    return f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": {reason}'


def resolve(image: str) -> ImageInfo:
    """Pull ``image`` (as written in the pod spec): its :class:`ImageInfo`, or raise
    :class:`InvalidImageName` / :class:`PullError`."""
    try:
        ref: Reference = parse_docker_ref(image)
    except ReferenceError as e:
        raise InvalidImageName(image, str(e)) from None
    full = str(ref)
    tags = _BY_REPO.get(ref.name)
    if tags is None:
        if ref.domain not in REGISTRIES:
            host = ref.domain
            what = ref.digest or ref.tag
            raise PullError(_fail_text(full, (
                f'failed to do request: Head "https://{host}/v2/{ref.path}/manifests/{what}": '
                f"dial tcp: lookup {host.split(':')[0]}: no such host")), "Unknown", full)
        if ref.domain in _NOT_FOUND_REGISTRIES:
            raise PullError(_fail_text(full, f"{full}: not found"), "NotFound", full)
        raise PullError(_fail_text(full, (
            "pull access denied, repository does not exist or may require authorization: "
            "server message: insufficient_scope: authorization failed")), "Unknown", full)
    if ref.digest:
        for e in tags.values():
            if _digest(e) == ref.digest:
                return _info(e, full)
        raise PullError(_fail_text(full, f"{full}: not found"), "NotFound", full)
    e = tags.get(ref.tag)
    if e is None:
        raise PullError(_fail_text(full, f"{full}: not found"), "NotFound", full)
    return _info(e, full)


def lookup(image: str) -> ImageInfo | None:
    """:func:`resolve` without exceptions (None for anything that would not pull)."""
    try:
        return resolve(image)
    except (PullError, InvalidImageName):
        return None


def known_images() -> list[str]:
    """Every pullable ``repository:tag`` (sorted), for docs and tests."""
    return sorted(f"{repo}:{tag}" for repo, tags in _BY_REPO.items() for tag in tags)
