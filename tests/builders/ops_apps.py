"""Apps for the operations tests (logging, Sentry): a second app on the suite's database with settings of the
test's choosing, that logs the `log` argument of any request and has a route that fails."""

import contextlib
import logging

from flask import current_app, request
from flask_login import current_user

from matchmaker import config as app_config
from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.logging_setup import LOGGER_NAME

from .clients import IsolatedClient

FAILURE = "kaboom\nsecond line"


@contextlib.contextmanager
def ops_apps(base_app, instance):
    """Yield `make(**settings)`; afterwards the "matchmaker" logger (process-wide) is as it was and every app
    made has let its database connections go."""
    logger = logging.getLogger(LOGGER_NAME)
    saved = list(logger.handlers), logger.level, logger.propagate
    made = []

    def make(**settings):
        config = app_config.TestConfig(instance, database_url=base_app.config["SQLALCHEMY_DATABASE_URI"])
        config.WTF_CSRF_ENABLED = False
        config.PROPAGATE_EXCEPTIONS = False  # a failing route answers 500 and is logged, as in production
        for name, value in settings.items():
            setattr(config, name, value)
        app = create_app(config)

        @app.before_request
        def log_what_is_asked():
            # Any address, even one no route matches (a 404), logs the `log` argument when it has one.
            if "log" in request.args:
                current_user.is_authenticated  # noqa: B018 -- loads the user, as a signed-in page does
                current_app.logger.warning("note: %s", request.args["log"])

        @app.route("/boom", methods=["GET", "POST"])
        def boom():
            raise RuntimeError(FAILURE)

        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    try:
        yield make
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
        for app in made:
            with app.app_context():
                db.engine.dispose()
