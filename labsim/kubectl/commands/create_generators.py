"""``kubectl create <generator>``: the subcommands that build one object from flags
(``kubernetes/kubectl: pkg/cmd/create/create_*.go``, v1.32).

Every generator follows the same steps as upstream, so errors come out in the same order:

1. cobra's required flags (``create deployment`` without ``--image``): kubectl exits through klog
   (``E... run.go:72] "command failed" err="required flag(s) \\"image\\" not set"``);
2. ``Complete``: exactly one NAME before ``--`` (``NameFromCommandArgs``: ``error: exactly one NAME
   is required, got 2`` + ``See 'kubectl create deployment -h' for help and examples``), then
   ``--dry-run``, ``-o``, ``--validate``;
3. ``Validate``: the command's own flag checks;
4. ``Run``: build the Go struct, add the last-applied annotation for ``--save-config``
   (``util.CreateOrUpdateAnnotation``: the typed object's JSON), then either print it
   (``--dry-run=client``; ``-n`` given explicitly puts the namespace into the object) or POST it
   with the typed client and print the answer. API errors are wrapped as each command does it:
   ``failed to create deployment: <err>``, ``failed to create secret <err>`` (no colon),
   ``failed to create ClusterIP service: <err>``; ``create namespace`` does not wrap.

Objects are printed as the Go structs marshal (:mod:`labsim.kubectl.printers.typed`): ``-o json``
in struct field order with ``"creationTimestamp": null`` and ``"status": {}``, ``-o yaml`` sorted.

Not offered: ``create secret tls`` (needs X.509/PEM key parsing), ``create role``/``clusterrole``
(need the discovery-driven resource/verb checks), ``create poddisruptionbudget``, ``create token``,
``-o go-template``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re

from labsim.api.registry import REGISTRY
from labsim.errors import KubectlError, StatusError
from labsim.kubectl.cli import command
from labsim.kubectl.commands.apply import LAST_APPLIED, prune_nulls, validation_directive, warn_all
from labsim.kubectl.printers import output
from labsim.kubectl.printers.typed import to_typed, typed_compact_json, typed_json
from labsim.kubectl.resource import klog_command_failed, parse_dry_run, parse_resource_args, success_line

ALLOWED_FORMATS = ("go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
                   "templatefile,yaml")


# apimachinery util/validation (the texts the generators print): labsim.api.utilvalidation
from labsim.api.utilvalidation import (  # noqa: E402
    is_config_map_key,
    is_dns1123_subdomain,
    is_env_var_name,
    is_valid_port_name,
)


def _go_atoi(s: str) -> int | None:
    """``strconv.Atoi``: optional sign, decimal digits, int64 range."""
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        return None
    v = int(s)
    return v if -(1 << 63) <= v < (1 << 63) else None


# -- the shared steps ---------------------------------------------------------------------------------

class _Output:
    """``PrintFlags.ToPrinter`` for the generators: success line, name, yaml, json, jsonpath."""

    def __init__(self, inv):
        from labsim.kubectl.printers.jsonpath import JSONPath, JSONPathError

        raw = inv.opts.get("output") or ""
        template = inv.opts.get("template") or ""
        fmt, sep, arg = raw.partition("=")
        if not sep and fmt in ("jsonpath", "jsonpath-as-json", "jsonpath-file", "go-template",
                               "go-template-file", "template", "templatefile"):
            arg = template
        if raw == "" and template:
            fmt, arg = "template", template
        if fmt not in ("", "name", "yaml", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file", "go-template",
                       "go-template-file", "template", "templatefile"):
            raise KubectlError(f'unable to match a printer suitable for the output format "{raw}", '
                               f"allowed formats are: {ALLOWED_FORMATS}")
        if fmt in ("go-template", "go-template-file", "template", "templatefile"):
            raise KubectlError(f"-o {fmt} is not supported by the simulator; use -o jsonpath instead")
        self.inv = inv
        self.format = fmt
        self.jsonpath = None
        self.show_managed = inv.opts.get("show-managed-fields")
        if fmt.startswith("jsonpath"):
            text = inv.read_file(arg) if fmt == "jsonpath-file" else arg
            if not text and fmt != "jsonpath-file":
                raise KubectlError("template format specified but no template given")
            try:
                self.jsonpath = JSONPath.parse(text, allow_missing_keys=inv.opts.get("allow-missing-template-keys"),
                                               output_json=fmt == "jsonpath-as-json")
            except JSONPathError as e:
                raise KubectlError(f"error parsing jsonpath {text}, {e}\n") from None
            self.template = text

    def print(self, rt, obj: dict, dry_run: str) -> None:
        from labsim.kubectl.printers.jsonpath import JSONPathError

        if not self.show_managed:
            obj = output.strip_managed_fields(obj)
        name = (obj.get("metadata") or {}).get("name", "")
        if self.format == "":
            self.inv.println(success_line(rt, name, "created", dry_run))
        elif self.format == "name":
            self.inv.println(f"{rt.kind_group}/{name}")
        elif self.format == "yaml":
            self.inv.out(output.to_yaml(to_typed(obj)))
        elif self.format == "json":
            self.inv.out(typed_json(obj))
        else:
            try:
                self.inv.out(self.jsonpath.execute(json.loads(typed_json(obj))))
            except JSONPathError as e:
                raise KubectlError(f"error executing jsonpath {json.dumps(self.template)}: Error executing "
                                   f"template: {e}. Printing more information for debugging the template:\n") from None


class _Generator:
    """One ``create <generator>`` invocation: name, dry-run strategy, printer, validation."""

    def __init__(self, inv, required: tuple[str, ...] = ()):
        missing = [f for f in sorted(required) if not inv.opts.changed(f)]
        if missing:
            # cobra ValidateRequiredFlags, before the command runs; kubectl exits through klog
            raise klog_command_failed(inv, 'required flag(s) "{}" not set'.format('", "'.join(missing)))
        self.inv = inv
        n = inv.args_len_at_dash if inv.args_len_at_dash >= 0 else len(inv.args)
        if n != 1:
            raise KubectlError(f"exactly one NAME is required, got {n}\n"
                               f"See 'kubectl {inv.path} -h' for help and examples")
        self.name = inv.args[0]
        self.command = list(inv.args[1:])
        self.dry_run = parse_dry_run(inv)
        self.printer = _Output(inv)
        self.validation = validation_directive(inv)
        # clientcmd Namespace(): "enforce" only when -n/--namespace was given
        self.enforce_namespace = inv.namespace_explicit
        self.namespace = inv.namespace

    def meta(self, namespaced: bool = True, **extra) -> dict:
        md: dict = {"name": self.name}
        if namespaced and self.enforce_namespace:
            md["namespace"] = self.namespace
        md.update(extra)
        return md

    def run(self, obj: dict, wrap: str | None) -> None:
        """``Run``: annotate, create unless a client dry run, print. ``wrap`` formats API errors
        (``"failed to create deployment: {}"``); None leaves them as the server's."""
        inv = self.inv
        rt = REGISTRY.for_api_version(obj["apiVersion"], obj["kind"])
        if inv.opts.get("save-config"):
            obj = _with_typed_last_applied(obj)
        if self.dry_run != "client":
            body = prune_nulls(to_typed(obj))
            warnings: list[str] = []
            try:
                obj = inv.api.create(body, self.namespace if rt.namespaced else None,
                                     dry_run=self.dry_run == "server", field_validation=self.validation,
                                     warnings=warnings)
            except StatusError as e:
                if wrap is None:
                    raise
                raise KubectlError(wrap.format(e.message)) from None
            finally:
                warn_all(inv, warnings)
        self.printer.print(rt, obj, self.dry_run)


def _with_typed_last_applied(obj: dict) -> dict:
    """``util.CreateApplyAnnotation``: the annotation is ``runtime.Encode`` of the typed object
    (struct order, ``"creationTimestamp":null``) without the annotation itself, plus a newline."""
    md = dict(obj.get("metadata") or {})
    annotations = {k: v for k, v in (md.get("annotations") or {}).items() if k != LAST_APPLIED}
    md["annotations"] = annotations
    encoded = typed_compact_json({**obj, "metadata": md}) + "\n"
    md["annotations"] = {**annotations, LAST_APPLIED: encoded}
    return {**obj, "metadata": md}


def _read_bytes(inv, path: str) -> bytes:
    with open(inv.cluster.resolve_path(path), "rb") as f:
        return f.read()


def _stat(inv, path: str) -> str:
    """``os.Stat`` for the ``--from-file`` sources: "dir", "file"; a missing path is kubectl's
    ``error reading <path>: no such file or directory``."""
    real = inv.cluster.resolve_path(path)
    if not os.path.exists(real):
        raise KubectlError(f"error reading {path}: no such file or directory")
    return "dir" if os.path.isdir(real) else "file"


def _dir_entries(inv, path: str) -> list[tuple[str, str]]:
    """``os.ReadDir`` (sorted by name), regular files only: (key, item path)."""
    real = inv.cluster.resolve_path(path)
    out = []
    for name in sorted(os.listdir(real)):
        full = os.path.join(real, name)
        if os.path.isfile(full) and not os.path.islink(full):
            out.append((name, os.path.join(path, name)))
    return out


def parse_file_source(source: str) -> tuple[str, str]:
    """``util.ParseFileSource``: ``path`` (key = base name) or ``key=path``."""
    n = source.count("=")
    if n == 0:
        base = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or ("/" if source.startswith("/") else ".")
        return base, source
    if n == 1 and source.startswith("="):
        raise KubectlError(f"key name for file path {source[1:]} missing")
    if n == 1 and source.endswith("="):
        raise KubectlError(f"file path for key name {source[:-1]} missing")
    if n > 1:
        raise KubectlError("key names or file paths cannot contain '='")
    key, path = source.split("=")
    return key, path


def parse_literal_source(source: str) -> tuple[str, str]:
    """``util.ParseLiteralSource``: ``key=value`` (the value may contain ``=``)."""
    if source.startswith("=") or "=" not in source:
        raise KubectlError(f"invalid literal source {source}, expected key=value")
    key, _, value = source.partition("=")
    return key, value


def env_file_pairs(inv, path: str, kind: str) -> list[tuple[str, str]]:
    """``cmdutil.AddFromEnvFile``: ``KEY=value`` lines; blank lines and ``#`` comments skipped;
    a line without ``=`` takes the variable from kubectl's environment (empty here)."""
    if _stat(inv, path) == "dir":
        raise KubectlError(f"env {kind} file cannot be a directory")
    data = _read_bytes(inv, path)
    out = []
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, raw in enumerate(lines):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise KubectlError(f"env file {path} contains invalid utf8 bytes at line {i + 1}: "
                               f"[{' '.join(str(b) for b in raw)}]") from None
        if i == 0 and line.startswith("\ufeff"):
            line = line[1:]
        line = line.lstrip(" \t\n\v\f\r\x85\xa0")
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        errs = is_env_var_name(key)
        if errs:
            raise KubectlError(f"{json.dumps(key)} is not a valid key name: {';'.join(errs)}")
        out.append((key, value if sep else ""))
    return out


def _encode_hash(data: str) -> str:
    """kubectl ``hash.encodeHash``: first 10 hex digits of the SHA-256, vowel-like ones mapped."""
    hexed = hashlib.sha256(data.encode("utf-8", errors="surrogateescape")).hexdigest()[:10]
    return hexed.translate(str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"}))


# -- create namespace / serviceaccount ----------------------------------------------------------------

@command("create namespace")
def create_namespace(inv) -> None:
    g = _Generator(inv)
    # NamespaceOptions.createNamespace: no namespace, no labels; the API error is not wrapped
    g.run({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": g.name}}, None)


@command("create serviceaccount")
def create_serviceaccount(inv) -> None:
    g = _Generator(inv)
    g.run({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": g.meta()},
          "failed to create serviceaccount: {}")


# -- create deployment --------------------------------------------------------------------------------

@command("create deployment")
def create_deployment(inv) -> None:
    g = _Generator(inv, required=("image",))
    images = inv.opts.get("image") or []
    if len(images) > 1 and g.command:
        raise KubectlError("cannot specify multiple --image options and command")
    labels = {"app": g.name}
    containers = []
    for image in images:
        # buildPodSpec: the last path element, without tag and digest; '_' and '.' are replaced
        # and a random suffix keeps names unique (sanitizeAndUniquify)
        name = image.split("/")[-1]
        if ":" in name:
            name = name.split(":")[0]
        if "@" in name:
            name = name.split("@")[0]
        if "_" in name or "." in name:
            name = name.replace("_", "-").replace(".", "-") + "-" + inv.cluster.rand.name_suffix()
        c = {"name": name, "image": image}
        if g.command:
            c["command"] = g.command
        containers.append(c)
    port = inv.opts.get("port")
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": g.meta(labels=labels),
           "spec": {"replicas": inv.opts.get("replicas"), "selector": {"matchLabels": labels},
                    "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}}}}
    g.run(obj, "failed to create deployment: {}")


# -- create configmap / secret generic / secret docker-registry ---------------------------------------

@command("create configmap")
def create_configmap(inv) -> None:
    g = _Generator(inv)
    files, literals, env_files = (inv.opts.get("from-file") or [], inv.opts.get("from-literal") or [],
                                  inv.opts.get("from-env-file") or [])
    if env_files and (files or literals):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    data: dict[str, str] = {}
    binary: dict[str, str] = {}

    def add(key: str, value: bytes) -> None:
        errs = is_config_map_key(key)
        if errs:
            raise KubectlError(f"{json.dumps(key)} is not a valid key name for a ConfigMap: {','.join(errs)}")
        if key in data:
            raise KubectlError(f'cannot add key "{key}", another key by that name already exists in Data for '
                               f'ConfigMap "{g.name}"')
        if key in binary:
            raise KubectlError(f'cannot add key "{key}", another key by that name already exists in BinaryData '
                               f'for ConfigMap "{g.name}"')
        try:
            data[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = base64.b64encode(value).decode()

    # createConfigMap: files, then literals, then env files
    for source in files:
        key, path = parse_file_source(source)
        if _stat(inv, path) == "dir":
            if "=" in source:
                raise KubectlError("cannot give a key name for a directory path")
            for item, item_path in _dir_entries(inv, path):
                add(item, _read_bytes(inv, item_path))
        else:
            add(key, _read_bytes(inv, path))
    for source in literals:
        key, value = parse_literal_source(source)
        add(key, value.encode("utf-8", errors="surrogateescape"))
    for path in env_files:
        for key, value in env_file_pairs(inv, path, "config"):
            add(key, value.encode("utf-8"))
    name = g.name
    if inv.opts.get("append-hash"):
        doc = {"data": data, "kind": "ConfigMap", "name": name}
        if binary:
            doc["binaryData"] = binary
        name = f"{name}-{_encode_hash(output.to_compact_json(doc))}"
    md = g.meta()
    md["name"] = name
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": md, "data": data, "binaryData": binary}
    g.run(obj, "failed to create configmap: {}")


def _secret(g: _Generator, secret_type: str, data: dict[str, str]) -> None:
    name = g.name
    if g.inv.opts.get("append-hash"):
        doc = {"data": data, "kind": "Secret", "name": name, "type": secret_type}
        name = f"{name}-{_encode_hash(output.to_compact_json(doc))}"
    md = g.meta()
    md["name"] = name
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": md, "data": data, "type": secret_type}
    g.run(obj, "failed to create secret {}")


def _secret_add(data: dict[str, str], key: str, value: bytes) -> None:
    errs = is_config_map_key(key)
    if errs:
        raise KubectlError(f"{json.dumps(key)} is not valid key name for a Secret {';'.join(errs)}")
    if key in data:
        raise KubectlError(f"cannot add key {key}, another key by that name already exists")
    data[key] = base64.b64encode(value).decode()


def _secret_files(inv, data: dict[str, str], files: list[str]) -> None:
    for source in files:
        key, path = parse_file_source(source)
        if _stat(inv, path) == "dir":
            if "=" in source:
                raise KubectlError("cannot give a key name for a directory path")
            for item, item_path in _dir_entries(inv, path):
                _secret_add(data, item, _read_bytes(inv, item_path))
        else:
            _secret_add(data, key, _read_bytes(inv, path))


@command("create secret generic")
def create_secret_generic(inv) -> None:
    g = _Generator(inv)
    files, literals, env_files = (inv.opts.get("from-file") or [], inv.opts.get("from-literal") or [],
                                  inv.opts.get("from-env-file") or [])
    if env_files and (files or literals):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    data: dict[str, str] = {}
    # createSecret: literals, then files, then env files
    for source in literals:
        key, value = parse_literal_source(source)
        _secret_add(data, key, value.encode("utf-8", errors="surrogateescape"))
    _secret_files(inv, data, files)
    for path in env_files:
        for key, value in env_file_pairs(inv, path, "secret"):
            _secret_add(data, key, value.encode("utf-8"))
    _secret(g, inv.opts.get("type") or "", data)


def _go_json_string(s: str) -> str:
    return output.to_compact_json(s)


@command("create secret docker-registry")
def create_secret_docker_registry(inv) -> None:
    g = _Generator(inv)
    files = inv.opts.get("from-file") or []
    user, password = inv.opts.get("docker-username") or "", inv.opts.get("docker-password") or ""
    email, server = inv.opts.get("docker-email") or "", inv.opts.get("docker-server") or ""
    if not files and not (user and password and server):
        raise KubectlError("either --from-file or the combination of --docker-username, --docker-password and "
                           "--docker-server is required")
    data: dict[str, str] = {}
    if files:
        _secret_files(inv, data, files)
    else:
        # handleDockerCfgJSONContent: json.Marshal(DockerConfigJSON), entry fields omitempty
        auth = base64.b64encode(f"{user}:{password}".encode()).decode()
        entry = ",".join(f'"{k}":{_go_json_string(v)}'
                         for k, v in (("username", user), ("password", password), ("email", email), ("auth", auth))
                         if v)
        content = '{"auths":{' + _go_json_string(server) + ":{" + entry + "}}}"
        data[".dockerconfigjson"] = base64.b64encode(content.encode()).decode()
    _secret(g, "kubernetes.io/dockerconfigjson", data)


# -- create service <type> ----------------------------------------------------------------------------

def _parse_ports(spec: str) -> tuple[int, int | str]:
    """``parsePorts``: ``port[:targetPort]``; the port is ``utilsnet.ParsePort(s, true)``."""
    parts = spec.split(":")
    if not re.fullmatch(r"[0-9]+", parts[0]):
        raise KubectlError(f'strconv.ParseUint: parsing {json.dumps(parts[0])}: invalid syntax')
    port = int(parts[0])
    if port > 65535:
        raise KubectlError(f'strconv.ParseUint: parsing {json.dumps(parts[0])}: value out of range')
    if len(parts) == 1:
        return port, port
    target_text = parts[1]
    num = _go_atoi(target_text)
    if num is None:
        errs = is_valid_port_name(target_text)
        if errs:
            raise KubectlError(",".join(errs))
        return port, target_text
    if not 1 <= num <= 65535:
        raise KubectlError("must be between 1 and 65535, inclusive")
    return port, num


def _create_service(inv, service_type: str) -> None:
    g = _Generator(inv, required=("external-name",) if service_type == "ExternalName" else ())
    tcp = inv.opts.get("tcp") or []
    cluster_ip = inv.opts.get("clusterip") or ""
    external_name = inv.opts.get("external-name") or ""
    if cluster_ip == "None" and service_type != "ClusterIP":
        raise KubectlError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and service_type != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    if service_type == "ExternalName" and is_dns1123_subdomain(external_name):
        raise KubectlError(f"invalid service external name {external_name}")
    node_port = inv.opts.get("node-port") if service_type == "NodePort" else 0
    ports = []
    for spec in tcp:
        port, target = _parse_ports(spec)
        ports.append({"name": spec.replace(":", "-"), "protocol": "TCP", "port": port, "targetPort": target,
                      "nodePort": node_port})
    labels = {"app": g.name}
    spec = {"ports": ports, "selector": dict(labels), "type": service_type, "externalName": external_name}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": g.meta(labels=labels), "spec": spec}
    g.run(obj, f"failed to create {service_type} service: {{}}")


@command("create service clusterip")
def create_service_clusterip(inv) -> None:
    _create_service(inv, "ClusterIP")


@command("create service nodeport")
def create_service_nodeport(inv) -> None:
    _create_service(inv, "NodePort")


@command("create service loadbalancer")
def create_service_loadbalancer(inv) -> None:
    _create_service(inv, "LoadBalancer")


@command("create service externalname")
def create_service_externalname(inv) -> None:
    _create_service(inv, "ExternalName")


# -- create job / cronjob -----------------------------------------------------------------------------

@command("create job")
def create_job(inv) -> None:
    g = _Generator(inv)
    image, source = inv.opts.get("image") or "", inv.opts.get("from") or ""
    if (not image and not source) or (image and source):
        raise KubectlError("either --image or --from must be specified")
    if g.command and source:
        raise KubectlError("cannot specify --from and command")
    if image:
        container = {"name": g.name, "image": image}
        if g.command:
            container["command"] = g.command
        obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": g.meta(),
               "spec": {"template": {"spec": {"containers": [container], "restartPolicy": "Never"}}}}
    else:
        obj = _job_from_cronjob(inv, g, source)
    g.run(obj, "failed to create job: {}")


def _job_from_cronjob(inv, g: _Generator, source: str) -> dict:
    """``--from=cronjob/NAME``: the builder fetches the object; the Job copies the CronJob's
    jobTemplate, is owned by it and carries ``cronjob.kubernetes.io/instantiate: manual``."""
    sel = parse_resource_args([source])
    objs = []
    for rt, names in sel.selections:
        if names:
            objs.extend(inv.api.get(rt, inv.namespace, n) for n in names)
        else:
            objs.extend(inv.api.list(rt, inv.namespace if rt.namespaced else None))
    if len(objs) != 1:
        raise KubectlError("from must be an existing cronjob")
    cronjob = objs[0]
    if cronjob.get("kind") != "CronJob":
        kind = cronjob.get("kind", "")
        pkg = (cronjob.get("apiVersion", "").rpartition("/")[2]) or "v1"
        raise KubectlError(f"unknown object type *{pkg}.{kind}")
    template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
    tmd = template.get("metadata") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual", **(tmd.get("annotations") or {})}
    md = g.meta(annotations=annotations)
    if tmd.get("labels"):
        md["labels"] = tmd["labels"]
    cmd = cronjob["metadata"]
    md["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cmd.get("name", ""),
                              "uid": cmd.get("uid", ""), "controller": True}]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": md, "spec": template.get("spec") or {}}


@command("create cronjob")
def create_cronjob(inv) -> None:
    g = _Generator(inv, required=("image", "schedule"))
    container = {"name": g.name, "image": inv.opts.get("image")}
    if g.command:
        container["command"] = g.command
    restart = inv.opts.get("restart") or "OnFailure"
    obj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": g.meta(),
           "spec": {"schedule": inv.opts.get("schedule"),
                    "jobTemplate": {"metadata": {"name": g.name},
                                    "spec": {"template": {"spec": {"containers": [container],
                                                                   "restartPolicy": restart}}}}}}
    g.run(obj, "failed to create cronjob: {}")


# -- create ingress -----------------------------------------------------------------------------------

_RULE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)"
                   r"(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?", re.ASCII)


def _backend(service: str) -> dict:
    name, port = service.split(":")[0], service.split(":")[1]
    # intstr.Parse: a number is a port number, anything else a port name
    num = _go_atoi(port)
    if num is not None and -(1 << 31) <= num < (1 << 31):
        backend_port = {"number": num}
    else:
        backend_port = {"name": port}
    return {"service": {"name": name, "port": backend_port}}


@command("create ingress")
def create_ingress(inv) -> None:
    g = _Generator(inv)
    rules, annotations = inv.opts.get("rule") or [], inv.opts.get("annotation") or []
    default_backend = inv.opts.get("default-backend") or ""
    if not default_backend and not rules:
        raise KubectlError("not enough information provided: every ingress has to either specify a default-backend "
                           "(which catches all traffic) or a list of rules (which catch specific paths)")
    for rule in rules:
        if not _RULE.match(rule):
            raise KubectlError(f"rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
    for a in annotations:
        if "=" not in a:
            raise KubectlError(f"annotation {a} is invalid and should be in format key=[value]")
    if default_backend and len(default_backend.split(":")) != 2:
        raise KubectlError("default-backend should be in format servicename:serviceport")
    spec: dict = {}
    if inv.opts.get("class"):
        spec["ingressClassName"] = inv.opts.get("class")
    if default_backend:
        spec["defaultBackend"] = _backend(default_backend)
    # buildTLSRules
    tls_list: list[dict] = []
    hosts_seen: set[str] = set()
    for rule in rules:
        parts = rule.split(",")
        if len(parts) != 2:
            continue
        host = rule.split("/", 1)[0]
        secret_parts = parts[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        idx = next((i for i, t in enumerate(tls_list) if t.get("secretName", "") == secret), -1)
        if host in hosts_seen:
            continue
        if idx > -1:
            tls_list[idx].setdefault("hosts", []).append(host)
            hosts_seen.add(host)
            continue
        entry: dict = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            tls_list.append(entry)
        hosts_seen.add(host)
    spec["tls"] = tls_list
    # buildIngressRules: one rule per host, paths appended in order
    ingress_rules: list[dict] = []
    for rule in rules:
        without_tls = rule.split(",")[0]
        host, path_svc = without_tls.split("/", 1)
        path_part, service = path_svc.split("=")[0], path_svc.split("=")[1]
        path = "/" + path_part
        path_type = "Exact"
        if path.endswith("*"):
            path_type, path = "Prefix", path[:-1]
        http_path = {"path": path, "pathType": path_type, "backend": _backend(service)}
        existing = next((r for r in ingress_rules if r.get("host", "") == host), None)
        if existing is not None:
            existing["http"]["paths"].append(http_path)
            continue
        entry = {"host": host} if host else {}
        entry["http"] = {"paths": [http_path]}
        ingress_rules.append(entry)
    spec["rules"] = ingress_rules
    ann = {}
    for a in annotations:
        k, _, v = a.partition("=")
        ann[k] = v
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": g.meta(annotations=ann),
           "spec": spec}
    g.run(obj, "failed to create ingress: {}")


# -- create priorityclass / quota ---------------------------------------------------------------------

@command("create priorityclass")
def create_priorityclass(inv) -> None:
    g = _Generator(inv)
    obj = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": g.name},
           "value": inv.opts.get("value"), "globalDefault": inv.opts.get("global-default"),
           "description": inv.opts.get("description") or "",
           "preemptionPolicy": inv.opts.get("preemption-policy")}
    g.run(obj, "failed to create priorityclass: {}")


@command("create quota")
def create_quota(inv) -> None:
    from labsim.api.quantity import QuantityError, canonical

    g = _Generator(inv)
    hard_spec, scopes_spec = inv.opts.get("hard") or "", inv.opts.get("scopes") or ""
    spec: dict = {}
    if hard_spec:
        hard = {}
        for statement in hard_spec.split(","):
            parts = statement.split("=")
            if len(parts) != 2:
                raise KubectlError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
            try:
                hard[parts[0]] = canonical(parts[1])
            except QuantityError as e:
                raise KubectlError(str(e)) from None
        spec["hard"] = hard
    if scopes_spec:
        scopes = []
        for scope in scopes_spec.split(","):
            if scope == "":
                raise KubectlError('invalid resource quota scope ""')
            scopes.append(scope)
        spec["scopes"] = scopes
    obj = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": g.meta(), "spec": spec}
    g.run(obj, "failed to create quota: {}")


# -- create rolebinding / clusterrolebinding ----------------------------------------------------------

def _subjects(inv) -> list[dict]:
    """Users, then groups, then ``namespace:name`` service accounts, in flag order per kind."""
    subjects = [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": u}
                for u in inv.opts.get("user") or []]
    subjects += [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": g}
                 for g in inv.opts.get("group") or []]
    for sa in inv.opts.get("serviceaccount") or []:
        tokens = sa.split(":")
        if len(tokens) != 2 or not tokens[0] or not tokens[1]:
            raise KubectlError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "namespace": tokens[0], "name": tokens[1]})
    return subjects


@command("create rolebinding")
def create_rolebinding(inv) -> None:
    g = _Generator(inv)
    role, cluster_role = inv.opts.get("role") or "", inv.opts.get("clusterrole") or ""
    if bool(role) == bool(cluster_role):
        raise KubectlError("exactly one of clusterrole or role must be specified")
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role" if role else "ClusterRole",
           "name": role or cluster_role}
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": g.meta(),
           "subjects": _subjects(inv), "roleRef": ref}
    g.run(obj, "failed to create rolebinding: {}")


@command("create clusterrolebinding")
def create_clusterrolebinding(inv) -> None:
    g = _Generator(inv, required=("clusterrole",))
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": inv.opts.get("clusterrole")}
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
           "metadata": {"name": g.name}, "subjects": _subjects(inv), "roleRef": ref}
    g.run(obj, "failed to create clusterrolebinding: {}")
