"""kubectl explain: the plaintext template's layout over the v1.32 schemas."""
from labsim import Cluster
from labsim.kubectl.commands.explain import wrap_string


def explain(args):
    return Cluster().kubectl("explain " + args)


def test_kind_header_description_and_fields():
    r = explain("pods")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n"
        "    Pod is a collection of containers that can run on a host. This resource is\n"
        "    created by clients and scheduled onto hosts.\n    \nFIELDS:\n"
        "  apiVersion\t<string>\n"
        "    APIVersion defines the versioned schema of this representation of an object.\n")
    assert "  metadata\t<ObjectMeta>\n" in r.stdout
    assert "  spec\t<PodSpec>\n" in r.stdout
    assert r.stdout.endswith("\n\n\n")


def test_field_path_shows_the_field_then_the_type_description():
    r = explain("deploy.spec")
    assert r.stdout.startswith(
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
        "FIELD: spec <DeploymentSpec>\n\n\n"
        "DESCRIPTION:\n"
        "    Specification of the desired behavior of the Deployment.\n"
        "    DeploymentSpec is the specification of the desired behavior of the\n"
        "    Deployment.\n    \nFIELDS:\n")
    assert "  selector\t<LabelSelector> -required-\n" in r.stdout
    assert "  template\t<PodTemplateSpec> -required-\n" in r.stdout


def test_list_and_map_types():
    r = explain("pods.spec")
    assert "  containers\t<[]Container> -required-\n" in r.stdout
    assert "  nodeSelector\t<map[string]string>\n" in r.stdout
    r = explain("pods.spec.containers.resources")
    assert "  limits\t<map[string]Quantity>\n" in r.stdout
    r = explain("pods.spec.containers.livenessProbe.httpGet")
    assert "  port\t<IntOrString> -required-\n" in r.stdout


def test_recursive_prints_the_field_tree():
    r = explain("svc.spec.ports --recursive")
    assert "FIELDS:\n  appProtocol\t<string>\n  name\t<string>\n  nodePort\t<integer>\n" in r.stdout
    assert "  targetPort\t<IntOrString>\n" in r.stdout


def test_unknown_field_and_type():
    r = explain("deployment.spec.sepc")
    assert r.stdout == "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
    assert r.stderr == 'error: field "sepc" does not exist\n' and r.exit_code == 1
    r = explain("foo")
    assert r.stderr == 'error: the server doesn\'t have a resource type "foo"\n' and r.exit_code == 1
    r = Cluster().kubectl("explain")
    assert r.stderr == ('error: You must specify the type of resource to explain. Use "kubectl api-resources" '
                        "for a complete list of supported resources.\n")


def test_word_wrap_matches_go_wordwrap():
    # mitchellh/go-wordwrap: breaks at spaces, keeps words longer than the limit whole
    assert wrap_string("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert wrap_string("a verylongword b", 4) == "a\nverylongword\nb"
    assert wrap_string("line one\nline two", 80) == "line one\nline two"
