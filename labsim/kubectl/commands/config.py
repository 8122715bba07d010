"""``kubectl config`` (kubernetes/kubectl: pkg/cmd/config/*.go): views and edits of the learner's
kubeconfig, kept in ``cluster.kubeconfig`` (:class:`labsim.cluster.KubeConfig`).

Messages that name the kubeconfig file use :data:`KUBECONFIG_PATH` (``$HOME/.kube/config`` of
the notebook user) unless the KubeConfig carries a ``path`` attribute.
"""
from __future__ import annotations

from labsim.errors import KubectlError
from labsim.kubectl.cli import cli_data, command
from labsim.kubectl.printers.output import to_json, to_yaml
from labsim.kubectl.printers.tabwriter import TabWriter

KUBECONFIG_PATH = "/home/jovyan/.kube/config"
#: fields ``config view`` hides unless ``--raw`` (clientcmdapi.RedactSecrets/ShortenConfig)
_DATA_FIELDS = ("certificate-authority-data", "client-certificate-data", "client-key-data")
_REDACTED_FIELDS = ("token", "password")
#: Go struct field order of clientcmd/api/v1 types (JSON output keeps it)
_CLUSTER_ORDER = ("server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority",
                  "certificate-authority-data", "proxy-url", "disable-compression", "extensions")
_USER_ORDER = ("client-certificate", "client-certificate-data", "client-key", "client-key-data", "token",
               "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username", "password", "auth-provider",
               "exec", "extensions")
_CONTEXT_ORDER = ("cluster", "user", "namespace", "extensions")


def config_path(inv) -> str:
    return getattr(inv.cluster.kubeconfig, "path", None) or KUBECONFIG_PATH


def current_server(inv) -> str:
    """The server URL of the current context's cluster (``restclient.Config.Host``)."""
    kc = inv.cluster.kubeconfig
    ctx = kc.contexts.get(kc.current_context) or {}
    return (kc.clusters.get(ctx.get("cluster", "")) or {}).get("server", "")


def _ordered(d: dict, order: tuple[str, ...]) -> dict:
    out = {k: d[k] for k in order if k in d and d[k] not in (None, "")}
    out.update({k: v for k, v in d.items() if k not in out and v not in (None, "")})
    return out


def _hide(d: dict, raw: bool) -> dict:
    if raw:
        return dict(d)
    out = {}
    for k, v in d.items():
        if k in _DATA_FIELDS and v:
            out[k] = "DATA+OMITTED"
        elif k in _REDACTED_FIELDS and v:
            out[k] = "REDACTED"
        else:
            out[k] = v
    return out


def kubeconfig_document(inv, minify: bool = False, raw: bool = False) -> dict:
    """The kubeconfig as ``config view`` serialises it (clientcmd/api/v1 ``Config``)."""
    kc = inv.cluster.kubeconfig
    contexts, clusters, users = kc.contexts, kc.clusters, kc.users
    if minify:
        if not kc.current_context:
            raise KubectlError("current-context must exist in order to minify")
        if kc.current_context not in contexts:
            raise KubectlError(f"cannot locate context {kc.current_context}")
        ctx = contexts[kc.current_context]
        contexts = {kc.current_context: ctx}
        clusters = {k: v for k, v in clusters.items() if k == ctx.get("cluster")}
        users = {k: v for k, v in users.items() if k == ctx.get("user")}
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "preferences": {},
        "clusters": [{"name": n, "cluster": _ordered(_hide(clusters[n], raw), _CLUSTER_ORDER)} for n in sorted(clusters)],
        "users": [{"name": n, "user": _ordered(_hide(users[n], raw), _USER_ORDER)} for n in sorted(users)],
        "contexts": [{"name": n, "context": _ordered(contexts[n], _CONTEXT_ORDER)} for n in sorted(contexts)],
        "current-context": kc.current_context,
    }


@command("config view")
def view(inv) -> None:
    if inv.args:
        raise KubectlError(f"unexpected arguments: [{' '.join(inv.args)}]\nSee 'kubectl config view -h' for help and examples")
    doc = kubeconfig_document(inv, minify=bool(inv.opts.get("minify")), raw=bool(inv.opts.get("raw")))
    output = inv.opts.get("output") or "yaml"
    if output == "yaml":
        inv.out(to_yaml(doc))
    elif output == "json":
        inv.out(to_json(doc, sort=False))
    elif output.startswith("jsonpath=") or output.startswith("jsonpath-as-json="):
        from labsim.kubectl.printers.jsonpath import JSONPath, JSONPathError

        kind, _, template = output.partition("=")
        try:
            jp = JSONPath.parse(template, allow_missing_keys=True, output_json=kind == "jsonpath-as-json")
            inv.out(jp.execute(doc))
        except JSONPathError as e:
            raise KubectlError(str(e)) from None
    else:
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed formats are: '
                           "json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,go-template,"
                           "go-template-file,templatefile,yaml")


def _help_error(inv, path: str, message: str) -> None:
    """``helpErrorf``: the command's help on stdout, then the error."""
    inv.out(cli_data().get(path, {}).get("help", ""))
    raise KubectlError(message)


@command("config current-context")
def current_context(inv) -> None:
    kc = inv.cluster.kubeconfig
    if not kc.current_context:
        raise KubectlError("current-context is not set")
    inv.println(kc.current_context)


@command("config use-context")
def use_context(inv) -> None:
    if len(inv.args) != 1:
        _help_error(inv, "config use-context", f"Unexpected args: [{' '.join(inv.args)}]")
    name = inv.args[0]
    kc = inv.cluster.kubeconfig
    if name not in kc.contexts:
        raise KubectlError(f'no context exists with the name: "{name}"')
    kc.current_context = name
    inv.println(f'Switched to context "{name}".')


@command("config set-context")
def set_context(inv) -> None:
    if len(inv.args) > 1:
        _help_error(inv, "config set-context", f"Unexpected args: [{' '.join(inv.args)}]")
    name = inv.args[0] if inv.args else ""
    current = bool(inv.opts.get("current"))
    if not name and not current:
        raise KubectlError("you must specify a non-empty context name or --current")
    if name and current:
        raise KubectlError("you cannot specify both a context name and --current")
    kc = inv.cluster.kubeconfig
    if current:
        if not kc.current_context:
            raise KubectlError("no current context is set")
        name = kc.current_context
    exists = name in kc.contexts
    ctx = dict(kc.contexts.get(name) or {})
    for flag, key in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if inv.opts.changed(flag):
            value = inv.opts.get(flag) or ""
            if value:
                ctx[key] = value
            else:
                ctx.pop(key, None)
    kc.contexts[name] = ctx
    inv.println(f'Context "{name}" {"modified" if exists else "created"}.')


def _table(rows: list[list[str]], headers: list[str] | None) -> str:
    tw = TabWriter(minwidth=6, tabwidth=4, padding=3)  # printers.GetNewTabWriter
    if headers:
        tw.write("\t".join(headers) + "\n")
    for r in rows:
        tw.write("\t".join(r) + "\n")
    return tw.flush()


@command("config get-contexts")
def get_contexts(inv) -> None:
    kc = inv.cluster.kubeconfig
    output = inv.opts.get("output") or ""
    if output not in ("", "name"):
        raise KubectlError(f"output must be one of '' or 'name': {output}")
    names = sorted(kc.contexts) if not inv.args else list(inv.args)
    missing = [n for n in names if n not in kc.contexts]
    names = [n for n in names if n in kc.contexts]
    if output == "name":
        for n in names:
            inv.println(n)
    else:
        rows = []
        for n in names:
            ctx = kc.contexts[n]
            rows.append(["*" if n == kc.current_context else "", n, ctx.get("cluster", ""), ctx.get("user", ""),
                         ctx.get("namespace", "")])
        headers = None if inv.opts.get("no-headers") else ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
        inv.out(_table(rows, headers))
    if missing:
        raise KubectlError("\n".join(f"context {n} not found" for n in missing))


@command("config get-clusters")
def get_clusters(inv) -> None:
    inv.println("NAME")
    for n in sorted(inv.cluster.kubeconfig.clusters):
        inv.println(n)


@command("config get-users")
def get_users(inv) -> None:
    inv.println("NAME")
    for n in sorted(inv.cluster.kubeconfig.users):
        inv.println(n)


@command("config rename-context")
def rename_context(inv) -> None:
    if len(inv.args) != 2:
        _help_error(inv, "config rename-context", f"Unexpected args: [{' '.join(inv.args)}]")
    old, new = inv.args
    kc = inv.cluster.kubeconfig
    path = config_path(inv)
    if old not in kc.contexts:
        raise KubectlError(f'cannot rename the context "{old}", it\'s not in {path}')
    if new in kc.contexts:
        raise KubectlError(f'cannot rename the context "{old}", the context "{new}" already exists in {path}')
    kc.contexts[new] = kc.contexts.pop(old)
    if kc.current_context == old:
        kc.current_context = new
    inv.println(f'Context "{old}" renamed to "{new}".')


@command("config delete-context")
def delete_context(inv) -> None:
    if len(inv.args) != 1:
        _help_error(inv, "config delete-context", f"Unexpected args: [{' '.join(inv.args)}]")
    name = inv.args[0]
    kc = inv.cluster.kubeconfig
    path = config_path(inv)
    if name not in kc.contexts:
        raise KubectlError(f"cannot delete context {name}, not in {path}")
    if kc.current_context == name:
        inv.err('warning: this removed your active context, use "kubectl config use-context" to select a different one\n')
    del kc.contexts[name]
    inv.println(f"deleted context {name} from {path}")
