"""Who is calling, by network address: the key of per-client limits.

The peer of the connection is the client unless it is a proxy listed in
``trusted_proxies``; then ``X-Forwarded-For`` is read from the right, past
every trusted proxy, and the first address not trusted is the client. A
header from an untrusted peer is ignored: anyone can send one. IPv6 clients
are keyed by their /64 network, which one subscriber usually holds whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from starlette.datastructures import Headers
from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Longest key this module returns (an IPv6 /64 network is at most 43 characters).
CLIENT_KEY_LENGTH = 64


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """The ``trusted_proxies`` setting, parsed (the settings loader has checked it)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip().split("%", 1)[0])
    except ValueError:
        return None


def _trusted(address: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def client_key(scope: Scope, trusted_proxies: tuple[str, ...] = ()) -> str:
    """The client of an HTTP request as a short key: an IPv4 address, an IPv6
    /64 network, or the peer's name when it is not an address (tests)."""
    peer = (scope.get("client") or ("unknown", 0))[0] or "unknown"
    address = _address(peer)
    networks = trusted_networks(trusted_proxies)
    if address is not None and networks and _trusted(address, networks):
        forwarded = Headers(scope=scope).getlist("x-forwarded-for")
        hops = [hop for value in forwarded for hop in value.split(",")]
        for hop in reversed(hops):
            hop_address = _address(hop)
            if hop_address is None:
                break  # a malformed entry: trust nothing to its left
            address = hop_address
            if not _trusted(hop_address, networks):
                break
    if address is None:
        return peer[:CLIENT_KEY_LENGTH]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
