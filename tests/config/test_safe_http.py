"""The SSRF guard: which addresses a user-given URL may reach, pinning, redirects and timeouts."""

import ipaddress

import pytest

from config import safe_http
from config.safe_http import RequestFailed, UnsafeURL, address_allowed, post, url_check
from tests.receiver import Answer, Receiver

REFUSED = [
    "0.0.0.1",  # 0/8
    "10.1.2.3",  # 10/8
    "100.64.0.1",  # shared 100.64/10
    "100.100.100.200",  # Alibaba metadata, inside 100.64/10
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "169.254.169.254",  # cloud metadata (link-local)
    "172.16.0.1",  # 172.16/12
    "172.31.255.255",
    "192.168.1.1",  # 192.168/16
    "198.18.0.1",  # benchmarking 198.18/15
    "198.19.255.254",
    "224.0.0.1",  # multicast 224/4
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::",  # unspecified
    "::1",  # loopback
    "fe80::1",  # link-local
    "fc00::1",  # unique local
    "fd00:ec2::254",  # AWS IPv6 metadata
    "ff02::1",  # multicast
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:169.254.169.254",  # IPv4-mapped metadata
    "::ffff:10.0.0.1",  # IPv4-mapped private
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:db8::1",  # documentation
]
ALLOWED = ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:1.1.1.1", "8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_reserved_and_metadata_addresses_are_refused(settings, address):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    assert not address_allowed(ipaddress.ip_address(address), allow_loopback=False)
    with pytest.raises(UnsafeURL):
        url_check("https://hooks.example.test/in", resolver=lambda host, port: [address])


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert address_allowed(ipaddress.ip_address(address), allow_loopback=False)
    assert url_check(" https://hooks.example.test/in ", resolver=lambda host, port: [address]) == (
        "https://hooks.example.test/in"
    )


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "169.254.169.254", "192.168.0.1", "100.64.0.1", "fd00::1", "::ffff:10.0.0.1"]
)
def test_allowing_loopback_for_development_still_refuses_private_addresses(address):
    assert not address_allowed(ipaddress.ip_address(address), allow_loopback=True)


def test_a_host_name_that_resolves_to_loopback_is_refused_in_production(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL):
        url_check("https://localhost/hook")
    with pytest.raises(UnsafeURL):
        url_check("https://hooks.example.test/", resolver=lambda host, port: ["127.0.0.1"])


def test_one_private_address_among_public_ones_refuses_the_host(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL):
        url_check("https://hooks.example.test/", resolver=lambda host, port: ["1.1.1.1", "10.0.0.1"])


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.test/",  # plain HTTP to a public address
        "ftp://hooks.example.test/",
        "https://user:pass@hooks.example.test/",
        "https:///nohost",
        "https://[::1/",
        "https://hooks.example.test/" + "a" * 2100,
    ],
)
def test_urls_of_the_wrong_shape_are_refused(url):
    with pytest.raises(UnsafeURL):
        url_check(url, resolver=lambda host, port: ["1.1.1.1"])


def test_plain_http_to_loopback_only_when_the_setting_allows_it(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    assert url_check("http://127.0.0.1:9/hook")
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL):
        url_check("http://127.0.0.1:9/hook")


def test_production_settings_turn_loopback_off():
    from pathlib import Path

    source = Path(safe_http.__file__).with_name("settings").joinpath("production.py").read_text()
    assert "SAFE_HTTP_ALLOW_LOOPBACK = False" in source


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(settings):
    """Pinning: the name is resolved once, by the guard; the socket connects to that address."""
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return ["127.0.0.1"]  # a name no DNS server knows: only the pinned address can reach the receiver

    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        answer = post(
            f"http://hooks.invalid:{port}/hook?x=1", body=b"{}", headers={"X-Test": "1"}, timeout=5, resolver=resolver
        )
    assert answer.status == 200
    assert lookups == ["hooks.invalid"]
    assert receiver.received[0].headers["host"] == f"hooks.invalid:{port}"
    assert receiver.received[0].path == "/hook?x=1"


def test_a_rebinding_answer_after_the_check_is_never_used(settings):
    """The resolver is asked once per request; a later answer (a private address) cannot be connected to."""
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        answer = post(
            f"http://rebind.invalid:{port}/", body=b"{}", headers={}, timeout=5, resolver=lambda h, p: next(answers)
        )
    assert answer.status == 200
    assert len(receiver.received) == 1


def test_a_redirect_to_a_private_address_is_not_followed(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    redirect = Answer(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with Receiver([redirect]) as receiver:
        answer = post(receiver.url, body=b"{}", headers={}, timeout=5)
    assert answer.status == 302
    assert len(receiver.received) == 1


def test_a_slow_answer_times_out(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    with Receiver([Answer(delay=2)]) as receiver, pytest.raises(RequestFailed):
        post(receiver.url, body=b"{}", headers={}, timeout=0.5)


def test_a_refused_connection_is_a_request_failure(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    with Receiver() as receiver:
        url = receiver.url
    with pytest.raises(RequestFailed):
        post(url, body=b"{}", headers={}, timeout=2)


def test_post_refuses_a_private_address_before_connecting(settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = True
    with pytest.raises(UnsafeURL):
        post("http://hooks.invalid/", body=b"{}", headers={}, timeout=2, resolver=lambda h, p: ["192.168.1.10"])
