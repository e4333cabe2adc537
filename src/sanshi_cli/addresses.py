"""E-mail addresses checked by the parser that writes them into the message (issue 8).

``check`` and ``alert`` ask the same question, so an address ``check`` accepts can always be
sent: it parses as an RFC 5322 ``addr-spec`` under ``email.headerregistry.Address`` (no trailing
or double dot, no stray ``:`` or backslash), holds no control or invisible character, and is
ASCII throughout (sanshi does not speak SMTPUTF8; an internationalised domain is written ``xn--…``).
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = re.compile(  # the shape: something@domain.tld, without display name or angle brackets
    r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+"
)


def address_problem(address: str) -> str | None:
    """Why ``address`` cannot be sent (a short English reason), or None when it can."""
    from email.errors import HeaderParseError, MessageDefect
    from email.headerregistry import Address

    if any(unicodedata.category(ch)[0] == "C" for ch in address):
        return "control or invisible character"
    if not EMAIL.fullmatch(address):
        return "not name@domain"
    if not address.isascii():  # no SMTPUTF8; a domain is written in its xn-- (IDNA) form
        return "non-ASCII address"
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, HeaderParseError, MessageDefect, IndexError) as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    if parsed.addr_spec != address:
        return "not a plain address"
    return None


def sendable(address: str) -> bool:
    """Whether ``address`` can be written into a message and sent (see :func:`address_problem`)."""
    return address_problem(address) is None


def parse_sender_text(text: str) -> tuple[str, str] | None:
    """``高新区指挥部办公室 <sanshi@example.gov.cn>`` or a bare address as (name, address); None
    unless it is exactly one address that can be sent, with no control character."""
    from email.utils import getaddresses

    if any(not ch.isprintable() for ch in text):
        return None
    found = getaddresses([text])
    if len(found) != 1:
        return None
    name, address = found[0]
    if not address or not sendable(address):
        return None
    return name, address


def bare_host(host: str) -> bool:
    """A host name or an IP address, without a scheme, a port or a user (``smtp.qq.com``).

    The same rule for ``[smtp] host`` in the file and for ``SANSHI_SMTP_HOST``.
    """
    import ipaddress

    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(host) and re.search(r"[\s/:@]", host) is None
