"""Download a resume from a URL without letting the URL reach inside the network.

Only http(s); every hop's host is resolved and refused when any address is not globally routable (loopback,
private, shared, link-local, multicast, reserved) or a cloud metadata address, unless an explicit allow-list
names it. Size and time are
bounded while downloading.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import msgspec

from pipeline.errors import ExtractionError

if TYPE_CHECKING:
    import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class FetchPolicy(msgspec.Struct, frozen=True, kw_only=True):
    allowlist: tuple[str, ...] = ()
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 15.0
    max_redirects: int = 5


def fetch_url(url: str, policy: FetchPolicy | None = None) -> tuple[bytes, str | None]:
    """The body of the URL and a file name taken from its path; ExtractionError when refused or failing.

    `policy.timeout` bounds the whole download, redirects included: a server trickling bytes cannot hold a
    worker longer than that."""
    import httpx  # loaded by the first URL, not by every process that may never fetch one

    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.timeout
    current = url
    with httpx.Client(timeout=policy.timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(policy.max_redirects + 1):
            if time.monotonic() > deadline:
                raise ExtractionError("the document at the URL took too long to download")
            check_url(current, policy)
            try:
                with client.stream("GET", current, headers={"User-Agent": "resume-parser"}) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise ExtractionError("the URL redirected without a location")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise ExtractionError(f"the URL answered HTTP {response.status_code}")
                    return _read_limited(response, policy.max_bytes, deadline), _file_name(current)
            except httpx.HTTPError as exc:
                raise ExtractionError(f"the URL could not be fetched: {type(exc).__name__}") from exc
    raise ExtractionError("the URL redirected too many times")


def _read_limited(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ExtractionError(f"the document at the URL is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ExtractionError(f"the document at the URL is larger than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise ExtractionError("the document at the URL took too long to download")
        chunks.append(chunk)
    return b"".join(chunks)


def _file_name(url: str) -> str | None:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last or None


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to an address the policy does not let us reach."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ExtractionError("only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise ExtractionError("the URL has no host")
    allowed = _allowlist(policy.allowlist)
    if host.lower() in allowed[0]:
        return
    for address in _resolve(host, parts.port or (443 if parts.scheme == "https" else 80)):
        if any(address in network for network in allowed[1]):
            continue
        if _is_internal(address):
            raise ExtractionError("the URL points to an internal or reserved address")


def _allowlist(entries: tuple[str, ...]) -> tuple[set[str], list[Network]]:
    hosts: set[str] = set()
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower())
    return hosts, networks


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ExtractionError("the URL's host could not be resolved") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _is_internal(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address in _METADATA_ADDRESSES
        or not address.is_global
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
