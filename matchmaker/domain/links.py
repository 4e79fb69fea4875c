"""Addresses people give for their website: only http and https ones are ever links.

One rule for the profile form, the participant import and every page that shows a stored address. It is the
profile form's rule (WTForms' URL validator: http or https, a host name with a top-level domain or an IP
address, no user name or password before the host), written here without the form library so that the import
and the templates use it too. Anything else (`javascript:`, `data:`, `//host`, text) is shown as text.
"""

import ipaddress
import re
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
_LABEL = re.compile(r"^(xn-|[a-z0-9_]+)(-[a-z0-9_-]+)?$", re.IGNORECASE)
_TLD = re.compile(r"^([a-z]{2,20}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)


def is_web_url(value) -> bool:
    """True for an http(s) address with a valid host; False for everything else, including non-text."""
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return False
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    return _valid_host(parts.hostname)


def web_url(value) -> str | None:
    """The address to put in a link's href, or None when it must be shown as text only."""
    return value.strip() if is_web_url(value) else None


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    labels = host.split(".")
    if len(host) > 253 or any(not label or len(label) > 63 or not _LABEL.match(label) for label in labels):
        return False
    return len(labels) >= 2 and bool(_TLD.match(labels[-1]))
