"""Outside links' names looked up: a link whose name resolves to a loopback, private or otherwise non-public
address (localtest.me, 127.0.0.1.nip.io, an intranet name in public DNS) is refused like the address itself.

The rule on the URL's text is rules.link_problem (pure); this is the I/O half the service calls. A name that does
not resolve now is let through: it reaches nothing today, and no check at save time can stop DNS from changing
later (the server never fetches links; partners' browsers open them)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

from prm_app.content.rules import PRIVATE_LINK, address_is_private, link_host
from prm_app.platform.errors import FormInvalid

Resolver = Callable[[str], Iterable[str]]


def _addresses(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def check_link_resolves(url: str, resolve: Resolver | None = None) -> None:
    """FormInvalid on `link_url` when the link's host name resolves to any non-public address."""
    host = link_host(url)
    if not host:
        return
    for text in (resolve or _addresses)(host):
        try:
            ip = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if address_is_private(ip):
            raise FormInvalid({"link_url": PRIVATE_LINK})
