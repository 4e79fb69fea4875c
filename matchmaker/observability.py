"""Error reporting to Sentry when SENTRY_DSN is set; nothing at all when it is not.

The SDK is process-wide (its Flask integration patches Flask itself), while `create_app` runs more than once in
a process (gunicorn's master before the fork with preload_app, the RQ worker's app, the tests), so it is
initialised once per DSN and a later app with the same DSN reuses the running client.

Settings (read as the logging settings are, see logging_setup.setting): SENTRY_DSN, SENTRY_ENVIRONMENT
(e.g. `production`, `staging`), SENTRY_TRACES_SAMPLE_RATE (0 to 1; unset: no performance tracing).
"""

from matchmaker.logging_setup import setting

# What events carry. This is `send_default_pii=False` written out (that flag is deprecated in sentry-sdk 2.76 in
# favour of `data_collection`), and stricter: no signed-in user or client address, no cookies, no request or
# response bodies (forms hold profiles and passwords), no query parameters of SQL statements, and header, URL
# and local-variable values under a sensitive name (password, token, session, csrf…) replaced by "[Filtered]".
_PROXY_HEADERS = ["forwarded", "-ip", "remote-", "via", "-user"]  # what the SDK drops when PII is off
PRIVATE = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_bodies": [],
    "http_headers": {"request": {"mode": "denylist", "terms": _PROXY_HEADERS}},
    "url_query_params": {"mode": "denylist"},
    "stack_frame_variables": {"mode": "denylist"},
    "database_query_data": False,
    "queues": False,
    "gen_ai": {"inputs": False, "outputs": False},
    "graphql": {"document": False, "variables": False},
}


def init_app(app) -> bool:
    """Start Sentry with its Flask and RQ integrations; True when a client is active for the app's DSN."""
    dsn = (setting(app, "SENTRY_DSN") or "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    rate = _sample_rate(setting(app, "SENTRY_TRACES_SAMPLE_RATE"))
    client = sentry_sdk.get_client()
    if client.is_active() and client.dsn == dsn:
        return True
    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration(), RqIntegration()],
        data_collection=PRIVATE,
        environment=(setting(app, "SENTRY_ENVIRONMENT") or "").strip() or None,
        traces_sample_rate=rate,
    )
    return True


def _sample_rate(value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1, not {value!r}")
    return rate
