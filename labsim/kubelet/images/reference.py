"""Image references: parsing and normalisation exactly as the kubelet and containerd do it.

The kubelet parses ``spec.containers[].image`` with ``github.com/distribution/reference`` v0.6.0
(``ParseNormalizedNamed``, through ``pkg/util/parsers.ParseImageName``) before it pulls; a reference
that does not parse gives the waiting reason ``InvalidImageName``. containerd then pulls the
*normalised* reference (``ParseDockerRef``): ``nginx`` -> ``docker.io/library/nginx:latest``,
``name:tag@digest`` -> ``name@digest``.

This module is a line-by-line port of distribution/reference v0.6.0 (``regexp.go``,
``reference.go`` ``Parse``, ``normalize.go`` ``ParseNormalizedNamed``/``splitDockerDomain``/
``ParseDockerRef``/``FamiliarName``) and of the digest validation of
``github.com/opencontainers/go-digest`` (``Digest.Validate``); error texts are the Go ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# -- distribution/reference v0.6.0: regexp.go -------------------------------------------------
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_OPTIONAL_PORT = r"(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
_IDENTIFIER = r"([a-f0-9]{64})"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*"
_HOST = r"(?:" + _DOMAIN_NAME + "|" + _IPV6 + ")"
_DOMAIN_AND_PORT = _HOST + _OPTIONAL_PORT
_PATH_COMPONENT = _ALNUM + r"(?:" + _SEPARATOR + _ALNUM + r")*"
_REMOTE_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_NAME = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME

# Go's \w is ASCII only: re.ASCII keeps Python's \w the same.
_REFERENCE_RE = re.compile(
    r"^(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?$", re.ASCII)
_ANCHORED_NAME_RE = re.compile(r"^(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")$", re.ASCII)
_ANCHORED_IDENTIFIER_RE = re.compile(r"^" + _IDENTIFIER + r"$", re.ASCII)
_ANCHORED_TAG_RE = re.compile(r"^" + _TAG + r"$", re.ASCII)

NAME_TOTAL_LENGTH_MAX = 255
DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"

# reference.go error values
ERR_REFERENCE_INVALID_FORMAT = "invalid reference format"
ERR_TAG_INVALID_FORMAT = "invalid tag format"
ERR_NAME_CONTAINS_UPPERCASE = "repository name must be lowercase"
ERR_NAME_EMPTY = "repository name must have at least one component"
ERR_NAME_TOO_LONG = f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
# go-digest errors
ERR_DIGEST_INVALID_FORMAT = "invalid checksum digest format"
ERR_DIGEST_INVALID_LENGTH = "invalid checksum digest length"
ERR_DIGEST_UNSUPPORTED = "unsupported digest algorithm"

#: go-digest algorithms available in the kubelet binary (crypto/sha256 and crypto/sha512 linked)
_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
_DIGEST_ANCHORED_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


class ReferenceError(ValueError):
    """A reference that distribution/reference rejects; ``str()`` is the Go error text."""


class InvalidImageName(ReferenceError):
    """The kubelet cannot parse ``spec.containers[].image`` (waiting reason ``InvalidImageName``).

    ``str(err)`` is the message the kubelet puts in the container status and the ``InspectFailed``
    event: ``Failed to apply default image tag "X": couldn't parse image name "X": <reason>``
    (kubernetes/kubernetes: pkg/kubelet/images/image_manager.go EnsureImageExists,
    pkg/util/parsers/parsers.go ParseImageName).
    """

    def __init__(self, image: str, reason: str):
        self.image = image
        self.reason = reason
        super().__init__(
            f"Failed to apply default image tag {go_quote(image)}: "
            f"couldn't parse image name {go_quote(image)}: {reason}")


@dataclass(frozen=True)
class Reference:
    """A parsed reference: ``domain`` may be empty only for un-normalised :func:`parse` results."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        return f"{self.domain}/{self.path}" if self.domain else self.path

    def __str__(self) -> str:
        s = self.name
        if self.tag:
            s += ":" + self.tag
        if self.digest:
            s += "@" + self.digest
        return s

    @property
    def familiar_name(self) -> str:
        """``FamiliarName``: ``docker.io/library/nginx`` -> ``nginx``."""
        if self.domain != DEFAULT_DOMAIN:
            return self.name
        path = self.path
        if path.startswith(OFFICIAL_REPO_PREFIX) and "/" not in path[len(OFFICIAL_REPO_PREFIX):]:
            path = path[len(OFFICIAL_REPO_PREFIX):]
        return path

    @property
    def familiar(self) -> str:
        """``FamiliarString``: the short form docker prints."""
        s = self.familiar_name
        if self.tag:
            s += ":" + self.tag
        if self.digest:
            s += "@" + self.digest
        return s


def go_quote(s: str) -> str:
    """Go's ``%q`` for the strings that appear here (printable ASCII mostly)."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def validate_digest(d: str) -> None:
    """go-digest ``Digest.Validate``."""
    i = d.find(":")
    if i <= 0 or i + 1 == len(d):
        raise ReferenceError(ERR_DIGEST_INVALID_FORMAT)
    algorithm, encoded = d[:i], d[i + 1:]
    size = _DIGEST_SIZES.get(algorithm)
    if size is None:
        if not _DIGEST_ANCHORED_RE.match(d):
            raise ReferenceError(ERR_DIGEST_INVALID_FORMAT)
        raise ReferenceError(ERR_DIGEST_UNSUPPORTED)
    if len(encoded) != size * 2:
        raise ReferenceError(ERR_DIGEST_INVALID_LENGTH)
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        raise ReferenceError(ERR_DIGEST_INVALID_FORMAT)


def parse(s: str) -> Reference:
    """``reference.Parse`` (v0.6.0): no normalisation; domain only when followed by a path."""
    m = _REFERENCE_RE.match(s)
    if m is None:
        if s == "":
            raise ReferenceError(ERR_NAME_EMPTY)
        if _REFERENCE_RE.match(s.lower()) is not None:
            raise ReferenceError(ERR_NAME_CONTAINS_UPPERCASE)
        raise ReferenceError(ERR_REFERENCE_INVALID_FORMAT)
    name, tag, digest = m.group(1), m.group(2) or "", m.group(3) or ""
    nm = _ANCHORED_NAME_RE.match(name)
    if nm is not None and nm.group(1) is not None:
        domain, path = nm.group(1), nm.group(2)
    else:
        domain, path = "", name
    if len(path) > NAME_TOTAL_LENGTH_MAX:
        raise ReferenceError(ERR_NAME_TOO_LONG)
    if digest:
        validate_digest(digest)
    return Reference(domain, path, tag, digest)


def split_docker_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain`` (v0.6.0)."""
    maybe_domain, sep, maybe_remote = name.partition("/")
    if not sep:
        return DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name
    if maybe_domain == "localhost":
        domain, remote = maybe_domain, maybe_remote
    elif maybe_domain == LEGACY_DEFAULT_DOMAIN:
        domain, remote = DEFAULT_DOMAIN, maybe_remote
    elif "." in maybe_domain or ":" in maybe_domain:
        domain, remote = maybe_domain, maybe_remote
    elif maybe_domain.lower() != maybe_domain:
        domain, remote = maybe_domain, maybe_remote
    else:
        domain, remote = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in remote:
        remote = OFFICIAL_REPO_PREFIX + remote
    return domain, remote


def parse_normalized_named(s: str) -> Reference:
    """``ParseNormalizedNamed`` (v0.6.0): the familiar form made fully qualified (no default tag)."""
    if _ANCHORED_IDENTIFIER_RE.match(s):
        raise ReferenceError(
            f"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = split_docker_domain(s)
    remote = remainder.split(":", 1)[0] if ":" in remainder else remainder
    if remote.lower() != remote:
        raise ReferenceError(f"invalid reference format: repository name ({remote}) must be lowercase")
    ref = parse(domain + "/" + remainder)
    if not ref.domain and not ref.path:  # pragma: no cover - Parse always yields a name here
        raise ReferenceError(f"reference {ref} has no name")
    return ref


def parse_docker_ref(s: str) -> Reference:
    """``ParseDockerRef``: normalised, with ``:latest`` when untagged, and the tag dropped when a
    digest is present (containerd pulls ``name@digest``)."""
    ref = parse_normalized_named(s)
    if ref.digest:
        return Reference(ref.domain, ref.path, "", ref.digest)
    if not ref.tag:
        return Reference(ref.domain, ref.path, DEFAULT_TAG, "")
    return ref


def normalize(image: str) -> str:
    """The fully qualified reference containerd pulls: ``nginx`` -> ``docker.io/library/nginx:latest``.

    Raises :class:`InvalidImageName` (with the kubelet's text) when the kubelet would not parse it.
    """
    try:
        return str(parse_docker_ref(image))
    except ReferenceError as e:
        raise InvalidImageName(image, str(e)) from None


def apply_default_image_tag(image: str) -> str:
    """The kubelet's ``applyDefaultImageTag``: append ``:latest`` to an untagged, undigested
    reference *without* qualifying it (``busybox`` -> ``busybox:latest``), as the kubelet does so
    the CRI stays agnostic of default registries (pkg/kubelet/images/image_manager.go)."""
    try:
        ref = parse_normalized_named(image)
    except ReferenceError as e:
        raise InvalidImageName(image, str(e)) from None
    tag = ref.tag or ("" if ref.digest else DEFAULT_TAG)
    if not ref.digest and tag and not image.endswith(":" + tag):
        image = image + ":" + tag
    return image


def with_tag_valid(tag: str) -> bool:
    """``WithTag``'s tag check."""
    return bool(_ANCHORED_TAG_RE.match(tag))
