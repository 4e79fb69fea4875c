"""The JSON API under /api/v1 (issue 17): flask-smorest builds the OpenAPI 3 document at /api/v1/openapi.json from
the same marshmallow schemas that validate the query strings and shape the answers, so the three cannot drift apart.

Every call carries a personal access token (`Authorization: Bearer mm_…`, `auth.py`), sees what its owner sees in the
app (the same access helpers as the pages) and is rate limited per token. Errors are RFC 9457 problem details
(`matchmaker.errors`). The resources live in `catalog.py` (offices, programs, events) and `records.py`
(organizations, meetings, the KPI figures) and
`meeting_requests.py` (send, accept, decline), `participations.py` (apply, approve, reject), `participant_import.py`
(an import as JSON), `schedule.py` (staff moves, cancelling a meeting), `figures.py` (KPI of a program, office or year;
the outbox) and `engagement.py` (recommendations, feedback); the docs page in `docs.py`; the token settings page in
`settings_views.py`.
"""

import http

from flask import Flask
from flask_smorest import Api

from matchmaker.api.schemas import PROBLEM_TYPE, ProblemSchema

PREFIX = "/api/v1"


class MatchmakerApi(Api):
    """flask-smorest's Api with our error answers: problem details (documented as application/problem+json) written
    by `matchmaker.errors`, which also serves the HTML pages; so no handler of its own is registered."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass  # matchmaker.errors answers every error, the API's as problem details

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["content"] = {PROBLEM_TYPE: {"schema": "ProblemSchema"}}
            self.spec.components.response(status.name, response, lazy=True)
        self.spec.components.response(
            "DEFAULT_ERROR",
            {"description": "Problem details (RFC 9457)", "content": {PROBLEM_TYPE: {"schema": "ProblemSchema"}}},
            lazy=True,
        )


def init_app(app: Flask) -> None:
    # The API's parts, loaded when an app is built (they import the views' helpers).
    from matchmaker.api import (
        catalog,
        docs,
        engagement,
        figures,
        meeting_requests,
        participant_import,
        participations,
        records,
        schedule,
        settings_views,
    )
    from matchmaker.extensions import csrf

    app.config.setdefault("API_TITLE", "Matchmaker API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_LIMIT", "600 per minute")
    api = MatchmakerApi(app, spec_kwargs={
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
    })
    api.spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    for blueprint in (catalog.blp, records.blp, meeting_requests.blp, participations.blp, participant_import.blp,
                      schedule.blp, figures.blp, engagement.blp):  # each `auth.protect`ed where it is defined
        csrf.exempt(blueprint)  # no cookie is read under /api/v1: a token, never a session, authenticates
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.register_blueprint(docs.bp)
    app.register_blueprint(settings_views.bp)
