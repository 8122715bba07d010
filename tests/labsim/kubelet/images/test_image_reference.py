"""Image reference parsing: cases ported from distribution/reference v0.6.0 (reference_test.go
TestReferenceParse, normalize_test.go TestValidateReferenceName / TestValidateRemoteName /
TestParseRepositoryInfo / TestParseReferenceWithTagAndDigest) and the kubelet's texts."""
import pytest

from labsim.kubelet.images.reference import (
    ERR_DIGEST_INVALID_LENGTH, ERR_DIGEST_UNSUPPORTED, ERR_NAME_CONTAINS_UPPERCASE, ERR_NAME_EMPTY,
    ERR_NAME_TOO_LONG, ERR_REFERENCE_INVALID_FORMAT, InvalidImageName, ReferenceError,
    apply_default_image_tag, normalize, parse, parse_normalized_named)

F64 = "f" * 64

PARSE_OK = [  # input, repository (name), domain, tag, digest
    ("test_com", "test_com", "", "", ""),
    ("test.com:tag", "test.com", "", "tag", ""),
    ("test.com:5000", "test.com", "", "5000", ""),
    ("test.com/repo:tag", "test.com/repo", "test.com", "tag", ""),
    ("test:5000/repo", "test:5000/repo", "test:5000", "", ""),
    ("test:5000/repo:tag", "test:5000/repo", "test:5000", "tag", ""),
    (f"test:5000/repo@sha256:{F64}", "test:5000/repo", "test:5000", "", f"sha256:{F64}"),
    (f"test:5000/repo:tag@sha256:{F64}", "test:5000/repo", "test:5000", "tag", f"sha256:{F64}"),
    ("lowercase:Uppercase", "lowercase", "", "Uppercase", ""),
    ("a/" * 127 + "a:tag-puts-this-over-max", "a/" * 127 + "a", "a", "tag-puts-this-over-max", ""),
    ("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "", ""),
    ("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com",
     "some-long-tag", ""),
    ("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app", "b.gcr.io",
     "test.example.com", ""),
    ("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com", "xn--n3h.com", ""),
    ("xn--7o8h.com/myimage:xn--7o8h.com@sha512:" + "f" * 128, "xn--7o8h.com/myimage", "xn--7o8h.com",
     "xn--7o8h.com", "sha512:" + "f" * 128),
    ("foo_bar.com:8080", "foo_bar.com", "", "8080", ""),
    ("foo/foo_bar.com:8080", "foo/foo_bar.com", "foo", "8080", ""),
    ("192.168.1.1", "192.168.1.1", "", "", ""),
    ("192.168.1.1:tag", "192.168.1.1", "", "tag", ""),
    ("192.168.1.1:5000", "192.168.1.1", "", "5000", ""),
    ("192.168.1.1/repo", "192.168.1.1/repo", "192.168.1.1", "", ""),
    ("192.168.1.1:5000/repo", "192.168.1.1:5000/repo", "192.168.1.1:5000", "", ""),
    ("192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo", "192.168.1.1:5000", "5050", ""),
    ("[2001:db8::1]/repo", "[2001:db8::1]/repo", "[2001:db8::1]", "", ""),
    ("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]/repo", "[2001:db8:1:2:3:4:5:6]", "tag", ""),
    ("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "", ""),
    ("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", ""),
    (f"[2001:db8::1]:5000/repo@sha256:{F64}", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "", f"sha256:{F64}"),
    ("[2001:db8::]:5000/repo", "[2001:db8::]:5000/repo", "[2001:db8::]:5000", "", ""),
    ("[::1]:5000/repo", "[::1]:5000/repo", "[::1]:5000", "", ""),
    ("example.com/" + "a" * 255 + ":tag", "example.com/" + "a" * 255, "example.com", "tag", ""),
]

PARSE_ERR = [
    ("", ERR_NAME_EMPTY),
    (":justtag", ERR_REFERENCE_INVALID_FORMAT),
    (f"@sha256:{F64}", ERR_REFERENCE_INVALID_FORMAT),
    ("repo@sha256:" + "f" * 34, ERR_DIGEST_INVALID_LENGTH),
    (f"validname@invaliddigest:{F64}", ERR_DIGEST_UNSUPPORTED),
    ("Uppercase:tag", ERR_NAME_CONTAINS_UPPERCASE),
    ("test:5000/Uppercase/lowercase:tag", ERR_NAME_CONTAINS_UPPERCASE),
    ("domain/" + "a" * 256 + ":tag", ERR_NAME_TOO_LONG),
    ("aa/asdf$$^/aa", ERR_REFERENCE_INVALID_FORMAT),
    ("[2001:db8::1]", ERR_REFERENCE_INVALID_FORMAT),
    ("[2001:db8::1]:5000", ERR_REFERENCE_INVALID_FORMAT),
    ("[2001:db8::1]:tag", ERR_REFERENCE_INVALID_FORMAT),
    ("[fe80::1%eth0]:5000/repo", ERR_REFERENCE_INVALID_FORMAT),
    ("[fe80::1%@invalidzone]:5000/repo", ERR_REFERENCE_INVALID_FORMAT),
]


@pytest.mark.parametrize("inp,repo,domain,tag,digest", PARSE_OK)
def test_parse(inp, repo, domain, tag, digest):
    r = parse(inp)
    assert (str(r), r.name, r.domain, r.tag, r.digest) == (inp, repo, domain, tag, digest)


@pytest.mark.parametrize("inp,err", PARSE_ERR)
def test_parse_errors(inp, err):
    with pytest.raises(ReferenceError) as e:
        parse(inp)
    assert str(e.value) == err


VALID_NAMES = [
    "docker/docker", "library/debian", "debian", "localhost/library/debian", "localhost/debian",
    "LOCALDOMAIN/library/debian", "LOCALDOMAIN/debian", "docker.io/docker/docker",
    "docker.io/library/debian", "docker.io/debian", "index.docker.io/docker/docker",
    "index.docker.io/library/debian", "index.docker.io/debian", "127.0.0.1:5000/docker/docker",
    "127.0.0.1:5000/library/debian", "127.0.0.1:5000/debian", "192.168.0.1", "192.168.0.1:80",
    "192.168.0.1:8/debian", "192.168.0.2:25000/debian",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "[fc00::1]:5000/docker",
    "[fc00::1]:5000/docker/docker", "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
    "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    "Docker/docker", "DOCKER/docker",
    # TestValidateRemoteName
    "docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t", "dock__er/docker",
]
INVALID_NAMES = [
    "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker",
    "-docker.io/docker/docker", "docker///docker", "docker.io/docker/Docker",
    "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000", "fc00::1:5000/debian",
    "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian",
    "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    # TestValidateRemoteName
    "docker-/docker", "-docker-/docker", "____/____", "_docker/_docker", "dock..er/docker",
    "dock_.er/docker", "dock-.er/docker", "docker/",
    "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_" * 4 + "/docker",
]


@pytest.mark.parametrize("name", VALID_NAMES)
def test_valid_names(name):
    parse_normalized_named(name)


@pytest.mark.parametrize("name", INVALID_NAMES)
def test_invalid_names(name):
    with pytest.raises(ReferenceError):
        parse_normalized_named(name)


REPO_INFO = [  # familiar, full, ambiguous, domain, remote
    ("localhost/fooo", "localhost/fooo", "", "localhost", "fooo"),
    ("localhost/fooo/bar", "localhost/fooo/bar", "", "localhost", "fooo/bar"),
    ("LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "", "LOCALDOMAIN", "fooo"),
    ("fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io", "fooo/bar"),
    ("ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io", "library/ubuntu"),
    ("nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io", "nonlibrary/ubuntu"),
    ("other/library", "docker.io/other/library", "", "docker.io", "other/library"),
    ("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "", "127.0.0.1:8000", "private/moonbase"),
    ("example.com:8000/privatebasee", "example.com:8000/privatebasee", "", "example.com:8000", "privatebasee"),
    ("ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base",
     "docker.io", "library/ubuntu-12.04-base"),
    ("foo", "docker.io/library/foo", "docker.io/foo", "docker.io", "library/foo"),
    ("library/foo/bar", "docker.io/library/foo/bar", "", "docker.io", "library/foo/bar"),
    ("store/foo/bar", "docker.io/store/foo/bar", "", "docker.io", "store/foo/bar"),
    ("Foo/bar", "Foo/bar", "", "Foo", "bar"),
    ("FOO/bar", "FOO/bar", "", "FOO", "bar"),
]


@pytest.mark.parametrize("familiar,full,ambiguous,domain,remote", REPO_INFO)
def test_repository_info(familiar, full, ambiguous, domain, remote):
    for s in [familiar, full] + ([ambiguous] if ambiguous else []):
        r = parse_normalized_named(s)
        assert (r.familiar_name, str(r), r.domain, r.path) == (familiar, full, domain, remote)


def test_tag_and_digest():
    short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
    r = parse_normalized_named(short)
    assert str(r) == "docker.io/library/" + short
    assert r.familiar == short
    # containerd pulls the digest and drops the tag (ParseDockerRef)
    assert normalize(short) == "docker.io/library/busybox@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"


@pytest.mark.parametrize("image,expected", [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.27", "docker.io/library/nginx:1.27"),
    ("docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27"),
    ("docker.io/nginx", "docker.io/library/nginx:latest"),
    ("index.docker.io/library/nginx:latest", "docker.io/library/nginx:latest"),
    ("library/nginx", "docker.io/library/nginx:latest"),
    ("registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.24"),
    ("vfarcic/go-demo-2", "docker.io/vfarcic/go-demo-2:latest"),
    ("1.9.1", "docker.io/library/1.9.1:latest"),
    ("rainbow/mc-user:1.0.RELEASE", "docker.io/rainbow/mc-user:1.0.RELEASE"),
    ("gcr.io/google_containers/pause:2.0", "gcr.io/google_containers/pause:2.0"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
])
def test_normalize(image, expected):
    assert normalize(image) == expected


@pytest.mark.parametrize("image,reason", [
    ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
    ("nginx:", "invalid reference format"),
    ("nginx::1.27", "invalid reference format"),
    ("nginx:1.27 ", "invalid reference format"),
    (" nginx", "invalid reference format"),
    ("nginx@sha256:abc", "invalid reference format"),  # the digest pattern needs 32+ hex digits
    ("nginx@sha256:" + "f" * 40, "invalid checksum digest length"),
    ("ng inx", "invalid reference format"),
    ("", "invalid reference format"),  # normalised to "docker.io/library/" first
    ("a" * 64, "invalid repository name (" + "a" * 64 + "), cannot specify 64-byte hexadecimal strings"),
    ("nginx:-bad", "invalid reference format"),
])
def test_invalid_image_name_kubelet_text(image, reason):
    with pytest.raises(InvalidImageName) as e:
        normalize(image)
    assert str(e.value) == (f'Failed to apply default image tag "{image}": '
                            f'couldn\'t parse image name "{image}": {reason}')


def test_apply_default_image_tag_keeps_the_short_name():
    # pkg/kubelet/images/image_manager.go applyDefaultImageTag
    assert apply_default_image_tag("busybox") == "busybox:latest"
    assert apply_default_image_tag("nginx:1.27") == "nginx:1.27"
    assert apply_default_image_tag("localhost:5000/app") == "localhost:5000/app:latest"
    digest = "nginx@sha256:" + F64
    assert apply_default_image_tag(digest) == digest
