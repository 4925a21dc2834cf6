"""Posting one webhook, guarded against server-side request forgery.

The host is resolved once; if any address it resolves to is private, loopback (unless local receivers are allowed:
the demo and tests), link-local (cloud metadata), multicast or reserved, nothing is sent. Otherwise the request goes to
the address that was checked (not to the name, which a hostile DNS server could answer differently a second time),
with the name in the Host header and in TLS (SNI and certificate check). No redirects are followed, no proxy from
the environment is used, and only the start of the answer is read.
"""

from __future__ import annotations

import socket
from ipaddress import ip_address
from urllib.parse import urlsplit, urlunsplit

import httpx

from prm_app.integrations.webhook_delivery import Answer
from prm_app.integrations.webhook_rules import EXCERPT, TIMEOUT_SECONDS, address_allowed


class Refused(Exception):
    """The URL leads somewhere this app may not call (a webhook, a CRM)."""


def pinned_target(url: str, *, allow_local: bool) -> tuple[str, str, str]:
    """(the URL with the checked address in place of the host, the Host header, the TLS server name), or Refused."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Refused(f"the host {host} could not be resolved ({exc.strerror or exc})") from exc
    addresses = [ip_address(info[4][0]) for info in found]
    bad = [a for a in addresses if not address_allowed(a, allow_local=allow_local)]
    if not addresses or bad:
        raise Refused(f"{host} resolves to {bad[0] if bad else 'nothing'}, an address this app may not call")
    chosen = addresses[0]
    shown = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    target = urlunsplit((parts.scheme, f"{shown}:{port}", parts.path or "/", parts.query, ""))
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return target, host_header, host


def post_webhook(url: str, headers: dict[str, str], body: bytes, *, allow_local: bool) -> Answer:
    """POST `body` to `url` within TIMEOUT_SECONDS; never raises: an error is an Answer with status 0."""
    try:
        target, host_header, server_name = pinned_target(url, allow_local=allow_local)
        with (
            httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST",
                target,
                content=body,
                headers={**headers, "host": host_header, "user-agent": "OpenPRM-Webhooks/1"},
                extensions={"sni_hostname": server_name},
            ) as response,
        ):
            start = b""
            for chunk in response.iter_bytes():
                start += chunk
                if len(start) >= EXCERPT * 4:
                    break
            return Answer(response.status_code, start.decode("utf-8", "replace"))
    except Refused as exc:
        return Answer(0, f"Refused: {exc}", final=True)
    except httpx.TimeoutException:
        return Answer(0, f"No answer within {TIMEOUT_SECONDS:g} s")
    except httpx.HTTPError as exc:
        return Answer(0, f"{type(exc).__name__}: {exc}")
