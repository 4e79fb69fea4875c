"""Whether a host is inside a private network: webhooks (and anything else the server itself sends to an address
staff typed) must not reach the machine's own services, the office LAN or a cloud's metadata address.

`literal_private` looks at the text alone (an IP address or "localhost"); `resolves_private` asks the resolver
and is true when ANY address of the name is private, loopback, link-local, reserved, multicast or unspecified.
"""

import ipaddress
import socket


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id ("fe80::1%eth0") is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified)


def literal_private(host: str) -> bool:
    host = (host or "").strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _private(host)
    except ValueError:
        return False  # a name: only the resolver knows


def resolves_private(host: str, port: int | None = None) -> bool:
    """True when the host is, or resolves to, a private address. A name that does not resolve is not private
    (sending to it fails on its own)."""
    if literal_private(host):
        return True
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return any(_private(info[4][0]) for info in found)
