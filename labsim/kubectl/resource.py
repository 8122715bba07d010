"""kubectl's resource builder (``k8s.io/cli-runtime/pkg/resource/builder.go``), shared by every verb.

It turns a command line into the objects a verb acts on:

* type arguments: ``pods``, ``po,svc``, ``all`` (the category), ``deployments.apps``;
* names: ``pods db web`` or ``pod/db svc/web``;
* files: ``-f pod.yaml``, ``-f dir/`` (``.json``, ``.yaml``, ``.yml`` in lexical order, ``-R`` to
  recurse), ``-f -`` (stdin), each decoded client-side by :mod:`labsim.api.decode`;

with kubectl's own error texts for malformed arguments. Label selection (``-l``) is applied by the
verbs through :mod:`labsim.api.labels`, as the server does for a LIST.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from labsim.api.registry import REGISTRY, ResourceType
from labsim.errors import KubectlError, StatusError

ONE_SLASH = "arguments in resource/name form may not have more than one slash"
NO_TYPE_NEEDED = ("there is no need to specify a resource type as a separate argument when passing arguments "
                  "in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
                  "'kubectl get resource resource/<resource_name>'")
SINGLE_RESOURCE = "arguments in resource/name form must have a single resource and name"
PROVIDE_RESOURCES = ("You must provide one or more resources by argument or filename.\n"
                     "Example resource specifications include:\n"
                     "   '-f rsrc.yaml'\n"
                     "   '--filename=rsrc.json'\n"
                     "   '<resource> <name>'\n"
                     "   '<resource>'")


def unknown_type(name: str) -> KubectlError:
    return KubectlError(f'the server doesn\'t have a resource type "{name}"')


def resolve_type(name: str) -> ResourceType:
    rt = REGISTRY.resolve(name)
    if rt is None:
        raise unknown_type(name.split(".")[0] if "." in name and REGISTRY.resolve(name.split(".")[0]) else name)
    return rt


def resolve_types(spec: str) -> list[ResourceType]:
    """``po,svc`` or ``all`` -> resource types, in kubectl's order, without duplicates."""
    out: list[ResourceType] = []
    for part in spec.split(","):
        if not part:
            continue
        if part == "all":
            types = REGISTRY.in_category("all")
        else:
            types = [resolve_type(part)]
        for rt in types:
            if rt not in out:
                out.append(rt)
    return out


@dataclass
class ResourceArgs:
    """What the positional arguments name: ``(type, [names])`` pairs in argument order."""

    selections: list[tuple[ResourceType, list[str]]] = field(default_factory=list)
    #: True when names were given (``pods db``, ``pod/db``), False for whole types
    named: bool = False
    #: the type words as typed (``po,svc``), for messages
    type_words: list[str] = field(default_factory=list)


def parse_resource_args(args: list[str]) -> ResourceArgs:
    """Interpret positional arguments as the builder's ``ResourceTypeOrNameArgs`` does."""
    result = ResourceArgs()
    if not args:
        return result
    slash_args = [a for a in args if "/" in a]
    if slash_args:
        for a in args:
            if "/" not in a:
                raise KubectlError(NO_TYPE_NEEDED)
        for a in args:
            parts = a.split("/")
            if len(parts) > 2:
                raise KubectlError(ONE_SLASH)
            type_word, name = parts
            if "," in type_word or not type_word or not name:
                raise KubectlError(SINGLE_RESOURCE)
            rt = resolve_type(type_word)
            if result.selections and result.selections[-1][0] == rt:
                result.selections[-1][1].append(name)
            else:
                result.selections.append((rt, [name]))
            result.type_words.append(type_word)
        result.named = True
        return result
    type_word, names = args[0], args[1:]
    types = resolve_types(type_word)
    result.type_words.append(type_word)
    if names:
        if len(types) > 1:
            # kubectl: "you may only specify a single resource type" when names follow several types
            raise KubectlError("arguments in resource/name form must have a single resource and name")
        result.selections.append((types[0], list(names)))
        result.named = True
    else:
        result.selections = [(rt, []) for rt in types]
    return result


@dataclass
class ManifestObject:
    """One object read from a file (or an error that document produced)."""

    source: str  # the file name as given on the command line ("-" is shown as STDIN by kubectl)
    obj: dict | None = None
    rt: ResourceType | None = None
    error: Exception | None = None


def expand_filenames(inv, filenames: list[str], recursive: bool = False) -> list[str]:
    """``-f`` arguments -> files: a directory yields its ``.json/.yaml/.yml`` files in lexical order."""
    out: list[str] = []
    for fn in filenames:
        if fn == "-":
            out.append(fn)
            continue
        if fn.startswith(("http://", "https://")):
            raise KubectlError(f'unable to read URL "{fn}", server reported 0 , status code=0')
        real = inv.cluster.resolve_path(fn)
        if not os.path.exists(real):
            raise KubectlError(f'the path "{fn}" does not exist')
        if os.path.isdir(real):
            for root, dirs, files in os.walk(real):
                dirs.sort()
                rel_root = os.path.relpath(root, real)
                for name in sorted(files):
                    if os.path.splitext(name)[1] in (".json", ".yaml", ".yml"):
                        out.append(os.path.normpath(os.path.join(fn, rel_root, name)))
                if not recursive:
                    break
        else:
            out.append(fn)
    return out


def read_manifests(inv, filenames: list[str], recursive: bool = False) -> list[ManifestObject]:
    """Read and decode every ``-f`` source. Client-side errors become ``ManifestObject.error``
    entries in document order (kubectl reports them with the other failures)."""
    from labsim.api import decode

    out: list[ManifestObject] = []
    for fn in expand_filenames(inv, filenames, recursive):
        text = inv.read_file(fn)
        source = "STDIN" if fn == "-" else fn
        for doc in decode.load_documents(text, source):
            if doc.error is not None:
                out.append(ManifestObject(source, error=doc.error))
                continue
            obj = doc.obj
            rt = REGISTRY.for_api_version(obj.get("apiVersion", ""), obj.get("kind", ""))
            if rt is None:
                ns = (obj.get("metadata") or {}).get("namespace", "") or ""
                name = (obj.get("metadata") or {}).get("name", "") or ""
                out.append(ManifestObject(source, obj=obj, error=KubectlError(
                    f'resource mapping not found for name: "{name}" namespace: "{ns}" from "{source}": '
                    f'no matches for kind "{obj.get("kind", "")}" in version "{obj.get("apiVersion", "")}"\n'
                    f"ensure CRDs are installed first")))
                continue
            out.append(ManifestObject(source, obj=obj, rt=rt))
    return out


def object_namespace(inv, rt: ResourceType, obj: dict) -> str | None:
    """The namespace an object from a file goes to: its own, else ``-n``/the context's; a clash
    between the file and an explicit ``-n`` is kubectl's error (cli-runtime resource/mapper.go)."""
    if not rt.namespaced:
        return None
    own = (obj.get("metadata") or {}).get("namespace")
    if own and inv.namespace_explicit and own != inv.namespace:
        raise KubectlError(f'the namespace from the provided object "{own}" does not match the namespace '
                           f'"{inv.namespace}". You must pass \'--namespace={own}\' to perform this operation.')
    return own or inv.namespace


def success_line(rt: ResourceType, name: str, operation: str, dry_run: str = "none") -> str:
    """``deployment.apps/web configured`` (+ `` (dry run)`` / `` (server dry run)``)."""
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"{rt.kind_group}/{name} {operation}{suffix}"


def parse_dry_run(inv) -> str:
    """``--dry-run`` -> ``none`` | ``client`` | ``server`` with kubectl's deprecation warnings."""
    if not inv.opts.changed("dry-run"):
        return "none"
    value = inv.opts.get("dry-run")
    # cmdutil.GetDryRunStrategy: the NoOptDefVal ("--dry-run" alone), then strconv.ParseBool values
    if value == "unchanged":
        inv.eprintln(klog_line(inv, "W", "helpers.go:702",
                               "--dry-run is deprecated and can be replaced with --dry-run=client."))
        return "client"
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        inv.eprintln(klog_line(inv, "W", "helpers.go:716",
                               f"--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run=client."))
        return "client"
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        inv.eprintln(klog_line(inv, "W", "helpers.go:716",
                               f"--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run=none."))
        return "none"
    if value not in ("none", "client", "server"):
        raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return value


def klog_line(inv, severity: str, location: str, message: str) -> str:
    """A klog header line (``W1124 09:00:40.000000   12345 helpers.go:716] message``) stamped with
    the simulated clock; the pid is a fixed stand-in."""
    dt = inv.cluster.clock.datetime()
    return f"{severity}{dt:%m%d %H:%M:%S}.{dt.microsecond:06d}   12345 {location}] {message}"


def klog_command_failed(inv, message: str) -> KubectlError:
    """kubectl's exit through klog for required-flag errors (``run.go:72] "command failed" err=...``)."""
    from labsim.kubectl.errors import verbatim

    escaped = message.replace('"', '\\"')
    return verbatim(klog_line(inv, "E", "run.go:72", f'"command failed" err="{escaped}"'))


def get_object(inv, rt: ResourceType, name: str, namespace: str | None = None) -> dict:
    """GET one object, raising the server's NotFound."""
    ns = namespace if namespace is not None else inv.namespace
    return inv.api.get(rt, ns if rt.namespaced else None, name)


def is_not_found(err: Exception) -> bool:
    return isinstance(err, StatusError) and err.reason == "NotFound"
