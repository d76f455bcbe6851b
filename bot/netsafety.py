"""Which links a user sends may be followed: http(s) to public internet addresses only."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeLink(ValueError):
    """A link that must not be fetched, with the reason."""


def check_address(address: str) -> None:
    """Refuse loopback, private, link-local, multicast, reserved and unspecified addresses."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise UnsafeLink(f"{address} is not a public internet address")


def check_url_shape(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL without credentials; UnsafeLink otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise UnsafeLink("only http and https links are followed")
    if parts.username or parts.password:
        raise UnsafeLink("links with a user name or password are not followed")
    if not parts.hostname:
        raise UnsafeLink("the link has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeLink("the link has an invalid port") from exc
    return parts.hostname, port


async def check_public_url(url: str) -> None:
    """Resolve the host and refuse the link unless every address it has is public."""
    host, port = check_url_shape(url)
    try:
        check_address(host)
        return
    except ValueError as exc:
        if isinstance(exc, UnsafeLink):
            raise
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeLink(f"{host} could not be resolved") from exc
    for info in infos:
        check_address(str(info[4][0]))
