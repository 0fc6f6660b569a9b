"""Request context: the client address used by the audit trail and by sign-in throttling."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from vinculo import charts
from vinculo.web.core.templatetags.locale_format import chart_number

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"VINCULO_TRUSTED_PROXIES: {entry!r} is not an IP address or network. "
                "List the reverse proxies' addresses, e.g. 127.0.0.1,10.0.0.0/8."
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured reverse proxies (``VINCULO_TRUSTED_PROXIES``: addresses or networks)."""
    configured: str | Iterable[str] | int = getattr(settings, "VINCULO_TRUSTED_PROXIES", ())
    if isinstance(configured, int):
        raise ImproperlyConfigured(
            f"VINCULO_TRUSTED_PROXIES is {configured!r}, a number; list the reverse proxies' addresses or "
            "networks instead, e.g. 127.0.0.1 or 10.0.0.0/8, so that only they are believed."
        )
    entries = configured.split(",") if isinstance(configured, str) else configured
    return _trusted_networks(tuple(e for e in entries if e and e.strip()))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``, as trustworthy as the configuration allows.

    X-Forwarded-For is read only when the direct peer (REMOTE_ADDR) is one of the trusted proxies, and
    only as far back as the hops those proxies wrote: from the right, every address that is itself a
    trusted proxy is skipped, and the first other one is the client. A client cannot forge its address
    by sending its own X-Forwarded-For, since what it sent lies left of that point. Without trusted
    proxies the peer address is the client. django-axes uses this function too
    (``AXES_CLIENT_IP_CALLABLE``), so sign-in throttling and the audit trail agree.
    """
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return None
    networks = trusted_proxies()

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in networks)

    if not networks or not trusted(peer):
        return str(peer)
    client = peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(header.split(",")):
        address = _parse(hop)
        if address is None:
            break  # not written by a proxy of ours: stop at the last address we could trust
        client = address
        if not trusted(address):
            break
    return str(client)


class RequestContextMiddleware:
    """Sets ``request.client_ip`` (see :func:`client_address`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_address(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class ChartNumbersMiddleware:
    """Charts drawn while answering a request write numbers as the request's language does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with charts.number_format(chart_number):
            return self.get_response(request)
