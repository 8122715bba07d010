"""``kubectl cluster-info`` (kubernetes/kubectl: pkg/cmd/clusterinfo/clusterinfo.go): the control
plane URL of the current context, then one line per Service labelled
``kubernetes.io/cluster-service=true`` in ``-n`` (default kube-system), named by its
``kubernetes.io/name`` label (else its name), linking to the API server's service proxy for the
first port (``[scheme:]name[:portname]``) or to its load-balancer ingress. Colours are printed only
on a terminal."""
from __future__ import annotations

from labsim.api import labels
from labsim.kubectl.cli import command
from labsim.kubectl.commands.config import current_server


def _join_scheme_name_port(scheme: str, name: str, port: str) -> str:
    """k8s.io/apimachinery/pkg/util/net ``JoinSchemeNamePort``."""
    if scheme:
        return f"{scheme}:{name}:{port}" if port else f"{scheme}:{name}"
    return f"{name}:{port}" if port else name


@command("cluster-info")
def cluster_info(inv) -> None:
    server = current_server(inv)
    namespace = inv.opts.get("namespace") or "kube-system"
    inv.println(f"Kubernetes control plane is running at {server}")
    selector = labels.parse("kubernetes.io/cluster-service=true")
    for svc in inv.api.list(inv.api.registry.for_kind("", "Service"), namespace):
        md = svc.get("metadata") or {}
        if not selector.matches(md.get("labels") or {}):
            continue
        ports = (svc.get("spec") or {}).get("ports") or []
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        if ingress:
            ip = ingress[0].get("ip") or ingress[0].get("hostname") or ""
            link = "".join(f"http://{ip}:{int(p.get('port') or 0)} " for p in ports)
        else:
            name = md.get("name", "")
            if ports:
                p = ports[0]
                scheme = "https" if p.get("name") == "https" or p.get("port") == 443 else ""
                name = _join_scheme_name_port(scheme, name, p.get("name") or "")
            link = f"{server}/api/v1/namespaces/{md.get('namespace', '')}/services/{name}/proxy"
        title = (md.get("labels") or {}).get("kubernetes.io/name") or md.get("name", "")
        inv.println(f"{title} is running at {link}")
    inv.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
