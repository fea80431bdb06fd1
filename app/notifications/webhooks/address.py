"""Where a webhook may point: in production, https to a public address only.

The name is resolved when the webhook is created and again at every delivery, and the
delivery then connects to the very address that was checked (the name still goes in the
Host header and TLS server name), so a name that later resolves elsewhere (DNS rebinding)
cannot turn the service against its own network.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.config import Settings
from app.notifications.errors import WebhookUrlRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused(address: IPAddress) -> bool:
    """Loopback, private, link-local and every other address that is not on the internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refused(address.ipv4_mapped)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass(frozen=True, slots=True)
class Target:
    """Where to connect: the checked address (None outside production: as the URL says)."""

    url: str
    host: str
    address: IPAddress | None


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookUrlRefused(reason=host) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def check(settings: Settings, url: str) -> Target:
    """The URL's target, refused (422 `webhook_url_refused`) when production may not use it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookUrlRefused(reason=parts.scheme or url[:40])
    if settings.env != "production":
        return Target(url=url, host=host, address=None)
    if parts.scheme != "https":
        raise WebhookUrlRefused(reason=parts.scheme)
    try:
        port = parts.port or 443
    except ValueError as exc:
        raise WebhookUrlRefused(reason=host) from exc
    addresses = await _resolve(host, port)
    bad = [a for a in addresses if refused(a)]
    if not addresses or bad:
        raise WebhookUrlRefused(reason=str(bad[0]) if bad else host)
    return Target(url=url, host=host, address=addresses[0])


def pinned_url(target: Target) -> str:
    """The URL with its host replaced by the checked address (unchanged when not pinned)."""
    if target.address is None:
        return target.url
    parts = urlsplit(target.url)
    literal = f"[{target.address}]" if target.address.version == 6 else str(target.address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    return parts._replace(netloc=netloc).geturl()
