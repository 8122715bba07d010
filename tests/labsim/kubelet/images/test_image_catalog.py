"""The image catalogue: resolution, data, and the containerd pull errors."""
import pytest

from labsim.kubelet.images.catalog import InvalidImageName, PullError, known_images, resolve

COURSE_REGISTRY = [
    "nginx:1.21", "nginx:1.21.1", "nginx:1.27", "nginx:1.28", "nginx:latest", "nginx",
    "docker.io/library/nginx:latest", "docker.io/library/nginx:1.27", "registry.k8s.io/nginx-slim:0.24",
    "busybox", "busybox:1.36", "busybox:1.37", "alpine", "mongo:3.3", "mongo:3.4", "mongo",
    "vfarcic/go-demo-2", "vfarcic/go-demo-2:2.0", "influxdb", "agilestacks/fluentd-elasticsearch:v1.3.0",
    "gcr.io/google_containers/pause:2.0", "registry.k8s.io/pause:3.10", "registry.k8s.io/hpa-example",
    "httpd", "redis",
]


@pytest.mark.parametrize("image", COURSE_REGISTRY)
def test_course_registry_resolves(image):
    info = resolve(image)
    assert info.image_id.startswith(info.repository + "@sha256:") and len(info.digest) == 71
    assert info.size_bytes > 100_000
    assert info.pull_seconds == round(1.0 + info.size_bytes / 25_000_000, 3)


def test_reference_and_data():
    info = resolve("nginx:1.27")
    assert info.ref == "docker.io/library/nginx:1.27"
    assert info.entrypoint == ["/docker-entrypoint.sh"]
    assert info.cmd == ["nginx", "-g", "daemon off;"]
    assert info.stop_signal == "SIGQUIT" and info.exposed_ports == [80]
    assert info.env["NGINX_VERSION"] == "1.27.5"
    assert 70_000_000 < info.size_bytes < 75_000_000
    assert resolve("nginx").ref == "docker.io/library/nginx:latest"
    mongo = resolve("mongo:3.3")
    assert (mongo.cmd, mongo.exposed_ports, mongo.stop_signal) == (["mongod"], [27017], "SIGTERM")
    assert mongo.env["MONGO_VERSION"] == "3.3.15" and mongo.env["MONGO_PACKAGE"] == "mongodb-org-unstable"
    httpd = resolve("httpd")
    assert (httpd.cmd, httpd.stop_signal, httpd.working_dir) == (["httpd-foreground"], "SIGWINCH", "/usr/local/apache2")
    assert resolve("redis").exposed_ports == [6379]
    gd = resolve("vfarcic/go-demo-2")
    assert (gd.exposed_ports, gd.env["DB"]) == ([8080], "db")


def test_digests_are_deterministic_and_shared_by_aliases():
    assert resolve("nginx:latest").image_id == resolve("docker.io/library/nginx:1.29").image_id
    assert resolve("nginx:1.27").image_id == resolve("nginx:1.27.5").image_id
    assert resolve("nginx:1.27").image_id != resolve("nginx:1.28").image_id
    # pulling by digest finds the same image; the tag is dropped as containerd does
    by_digest = resolve("nginx:whatever@" + resolve("nginx:1.27").digest)
    assert by_digest.image_id == resolve("nginx:1.27").image_id
    assert by_digest.ref == "docker.io/library/nginx@" + resolve("nginx:1.27").digest


def test_image_files_are_shared_between_resolutions():
    assert resolve("nginx:1.27").layer is resolve("docker.io/library/nginx:1.27.5").layer
    assert len(resolve("nginx:1.27").files["/usr/share/nginx/html/index.html"]) == 615


NOT_FOUND = ('failed to pull and unpack image "{r}": failed to resolve reference "{r}": {r}: not found')
DENIED = ('failed to pull and unpack image "{r}": failed to resolve reference "{r}": pull access denied, '
          'repository does not exist or may require authorization: server message: insufficient_scope: '
          'authorization failed')


@pytest.mark.parametrize("image,code,template,ref", [
    ("nginx:no-such-tag", "NotFound", NOT_FOUND, "docker.io/library/nginx:no-such-tag"),
    ("nginx:1.9.1", "NotFound", NOT_FOUND, "docker.io/library/nginx:1.9.1"),
    ("1.9.1", "Unknown", DENIED, "docker.io/library/1.9.1:latest"),
    ("rainbow/mc-user:1.0.RELEASE", "Unknown", DENIED, "docker.io/rainbow/mc-user:1.0.RELEASE"),
    ("sakuragaara/flaskapp:v1", "Unknown", DENIED, "docker.io/sakuragaara/flaskapp:v1"),
    ("registry.k8s.io/nope:1", "NotFound", NOT_FOUND, "registry.k8s.io/nope:1"),
    ("nginx@sha256:" + "0" * 64, "NotFound", NOT_FOUND, "docker.io/library/nginx@sha256:" + "0" * 64),
])
def test_pull_errors(image, code, template, ref):
    with pytest.raises(PullError) as e:
        resolve(image)
    msg = template.format(r=ref)
    assert (e.value.code, e.value.message, e.value.ref) == (code, msg, ref)
    assert str(e.value) == f"rpc error: code = {code} desc = {msg}"


def test_unknown_registry_host():
    with pytest.raises(PullError) as e:
        resolve("myregistry.example:5000/team/app:v2")
    assert e.value.message == (
        'failed to pull and unpack image "myregistry.example:5000/team/app:v2": failed to resolve '
        'reference "myregistry.example:5000/team/app:v2": failed to do request: Head '
        '"https://myregistry.example:5000/v2/team/app/manifests/v2": dial tcp: lookup '
        'myregistry.example: no such host')


def test_invalid_image_name():
    with pytest.raises(InvalidImageName) as e:
        resolve("NGINX:1.27")
    assert str(e.value) == ('Failed to apply default image tag "NGINX:1.27": couldn\'t parse image name '
                            '"NGINX:1.27": invalid reference format: repository name (library/NGINX) '
                            'must be lowercase')


def test_known_images_sorted():
    names = known_images()
    assert names == sorted(names) and "docker.io/library/nginx:1.27" in names
