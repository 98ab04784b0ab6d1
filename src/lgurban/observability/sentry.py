"""Optional error reporting to Sentry (SENTRY_DSN; plan §6.2), with every secret scrubbed from the events.

sentry-sdk's own scrubber removes the usual suspects (Authorization and Cookie headers, fields named like
passwords or keys); on top, any event text that contains the value of a secret setting (an API key, the
database password, SECRET_KEY, the sandbox host secret, …) has that value replaced, wherever it appears: an
exception message, a local variable, a breadcrumb. No request bodies and no personal data are sent.
"""

from __future__ import annotations

import logging
from typing import Any

FILTERED = "[Filtered]"


def scrub(value: Any, secrets: list[str]) -> Any:
    """`value` (an event, or any part of one) with every secret replaced."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, FILTERED)
        return value
    if isinstance(value, dict):
        return {k: scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, secrets) for v in value]
    return value


def init_sentry(dsn: str | None, *, environment: str, secrets: list[str]) -> bool:
    """Start reporting when a DSN is given; True when it was. `secrets`: the values to scrub."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.atexit import AtexitIntegration
    from sentry_sdk.integrations.dedupe import DedupeIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    def before_send(event: Any, _hint: Any) -> Any:
        return scrub(event, secrets)

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        # no personal data, no request bodies, no frame's local variables (they may hold a user's own provider
        # key, which the scrubber cannot know: it knows the server's secrets)
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        before_send=before_send,
        before_breadcrumb=lambda crumb, _hint: scrub(crumb, secrets),
        traces_sample_rate=0.0,
        # no web-framework integration: it reads request bodies (forms, uploads) to attach them, which would
        # consume an upload's stream before the route. The 500 handler logs every unexpected error with its
        # traceback, and the logging integration turns that line into the event.
        default_integrations=False,
        auto_enabling_integrations=False,
        integrations=[
            LoggingIntegration(event_level=logging.ERROR),
            DedupeIntegration(),
            AtexitIntegration(),
        ],
    )
    return True
