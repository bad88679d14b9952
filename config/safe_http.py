"""The one HTTP client for URLs that users give us (webhook endpoints): guarded against SSRF.

A user-given URL must not reach our own network: the metadata service of the cloud, the database,
Redis, an admin port on localhost. So before each request the host is resolved, every address it
resolves to is checked against the ranges below, and the connection is made to the checked address
itself (pinned), with the original name sent as Host and as the TLS server name. A DNS answer that
changes between the check and the connection (DNS rebinding) therefore cannot swap in a private
address. Redirects are never followed (a 3xx is just an answer), and every request has a deadline.

`SAFE_HTTP_ALLOW_LOOPBACK` (tests and development only; production leaves it off) additionally
allows plain HTTP and loopback addresses, so a receiver on 127.0.0.1 can be used locally. Private,
link-local, shared and metadata addresses stay refused even then.
"""

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Named here even where `ipaddress` already knows them, so a reader sees exactly what is refused.
BLOCKED_NETWORKS = [
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier NAT; Alibaba's metadata service)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (AWS, GCP and Azure metadata at 169.254.169.254)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b::/96",  # NAT64 (checked through the IPv4 address it embeds as well)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo among them)
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local (AWS's IPv6 metadata at fd00:ec2::254)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
]
LOOPBACK_NETWORKS = [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]

CONNECT_TIMEOUT_SECONDS = 5.0
MAX_RESPONSE_BYTES = 64 * 1024  # what we keep of an answer: enough for an error message
MAX_URL_LENGTH = 2000


class UnsafeURL(DomainError):
    """The URL is not one we may send requests to."""

    default_message = _("This URL cannot receive requests from us.")

    def __init__(self, message: str | None = None, *, field: str | None = "url") -> None:
        super().__init__(message, code="unsafe_url", field=field)


class RequestFailed(Exception):
    """The request did not get an answer: refused connection, TLS failure, timeout."""


@dataclass
class SafeResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    address: str = ""


def loopback_allowed() -> bool:
    return bool(getattr(settings, "SAFE_HTTP_ALLOW_LOOPBACK", False))


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), so it is checked too."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    # IPv4-compatible (::a.b.c.d, deprecated but still parsed by some stacks).
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None


def address_is_loopback(address: IPAddress) -> bool:
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_is_loopback(embedded)
    return any(address in net for net in LOOPBACK_NETWORKS if net.version == address.version)


def address_allowed(address: IPAddress, *, allow_loopback: bool | None = None) -> bool:
    """Whether a request may go to `address`: public unicast only (plus loopback when allowed)."""
    allow_loopback = loopback_allowed() if allow_loopback is None else allow_loopback
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        # An IPv6 form of an IPv4 address is as good as the IPv4 address, and never better.
        return address_allowed(embedded, allow_loopback=allow_loopback)
    if allow_loopback and address_is_loopback(address):
        return True
    if any(address in net for net in BLOCKED_NETWORKS if net.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RequestFailed(f"cannot resolve {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]


def _split(url: str) -> tuple[str, str, int, str]:
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(_("The URL is too long."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("Enter a valid URL.")) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UnsafeURL(_("The URL must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL(_("The URL must not contain a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(_("Enter a valid URL."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or (443 if scheme == "https" else 80), path


def url_target(url: str, *, resolver: Resolver | None = None) -> Target:
    """Resolve and check `url`; raises UnsafeURL unless every address it resolves to is allowed."""
    scheme, host, port, path = _split(url)
    allow_loopback = loopback_allowed()
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    try:
        addresses = [str(literal)] if literal is not None else (resolver or system_resolver)(host, port)
    except RequestFailed as exc:
        raise UnsafeURL(_("The URL's host name does not resolve.")) from exc
    if not addresses:
        raise UnsafeURL(_("The URL's host name does not resolve."))
    parsed = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    # Every address must pass: a resolver may hand any of them to the next caller.
    if not all(address_allowed(a, allow_loopback=allow_loopback) for a in parsed):
        raise UnsafeURL(_("The URL points to a private or reserved network address."))
    if scheme == "http" and not (allow_loopback and all(address_is_loopback(a) for a in parsed)):
        raise UnsafeURL(_("The URL must start with https://."))
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(str(a) for a in parsed))


def url_check(url: str, *, resolver: Resolver | None = None) -> str:
    """Raise UnsafeURL unless `url` may receive requests now; returns it normalised (stripped)."""
    url_target(url, resolver=resolver)
    return url.strip()


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def _pool_for(target: Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    # The pool connects to the checked address; the name only travels as Host, SNI and the name
    # the certificate must carry.
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    resolver: Resolver | None = None,
) -> SafeResponse:
    """POST `body` to `url` through the guard: checked, pinned, no redirects, at most `timeout` seconds.

    Raises UnsafeURL for a refused address and RequestFailed when no answer came.
    """
    target = url_target(url, resolver=resolver)
    address = target.addresses[0]
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    pool = _pool_for(target, address, urllib3.Timeout(connect=min(CONNECT_TIMEOUT_SECONDS, timeout), read=timeout))
    sent_headers = {**headers, "Host": _host_header(target), "Connection": "close"}
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=sent_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        chunks: list[bytes] = []
        kept = 0
        for chunk in response.stream(8192):
            if time.monotonic() > deadline:
                raise RequestFailed("the answer took longer than the timeout")
            if kept < MAX_RESPONSE_BYTES:
                chunks.append(chunk[: MAX_RESPONSE_BYTES - kept])
                kept += len(chunks[-1])
        response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise RequestFailed(str(exc) or exc.__class__.__name__) from exc
    except OSError as exc:
        raise RequestFailed(str(exc) or exc.__class__.__name__) from exc
    finally:
        pool.close()
    return SafeResponse(
        status=response.status,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=b"".join(chunks),
        elapsed_ms=int((time.monotonic() - started) * 1000),
        address=address,
    )
