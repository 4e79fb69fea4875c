"""The signature on a webhook delivery: `X-Matchmaker-Signature: t=<unix time>,v1=<hex HMAC-SHA256>` over
`"<t>.<body>"` with the endpoint's secret (the scheme Stripe made familiar), so a receiver can check both who sent
the body and that it is fresh. Pure functions; no Flask."""

import hashlib
import hmac

HEADER = "X-Matchmaker-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for `body` sent at `timestamp` (seconds since the epoch)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """Whether `header` is a signature of `body` with `secret` (what a receiver does; the tests use it)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    return hmac.compare_digest(sign(secret, int(parts["t"]), body), f"t={parts['t']},v1={parts['v1']}")
