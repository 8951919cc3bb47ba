"""The client address used by the sign-in lockout and the personal-link guessing limit."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from ninefold.client_ip import client_ip

PROXY = "10.0.0.2"


def request_from(remote_addr: str = PROXY, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_one_proxy_takes_the_rightmost_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded_for="203.0.113.9")) == "203.0.113.9"


def test_two_proxies_take_the_second_address_from_the_right(settings):
    # A load balancer (which saw the client) then nginx (which saw the load balancer).
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded_for="203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "1.1.1.1, 2.2.2.2, 203.0.113.9", "203.0.113.9"),
        (1, "not-an-address,203.0.113.9", "203.0.113.9"),
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
    ],
)
def test_addresses_a_client_put_in_front_are_ignored(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(forwarded_for=forwarded_for)) == expected


def test_a_missing_header_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from()) == PROXY
    assert client_ip(request_from(forwarded_for="")) == PROXY


def test_a_header_shorter_than_the_proxy_count_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded_for="203.0.113.9")) == PROXY


def test_an_entry_that_is_not_an_address_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded_for="203.0.113.9, unknown")) == PROXY


def test_ipv6_addresses_are_kept(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded_for="2001:db8::1")) == "2001:db8::1"
