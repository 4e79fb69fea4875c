"""Matchmaker: matchmaking days between Korean ICT companies and foreign investors and buyers."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the application. `config` is a config object or a mapping of overrides.

    Everything it needs is imported here, not at the top: importing `matchmaker.scheduling`, `matchmaker.matching`
    or any other module loads this package first, and they must load without the web framework and the app's parts.
    """
    # The web framework, loaded only when an app is built (see the docstring).
    from flask import Flask
    from flask_babel import lazy_gettext
    from werkzeug.middleware.proxy_fix import ProxyFix

    # The app's parts (they import Flask): loaded only when an app is built, as above.
    from matchmaker import cli, errors, i18n, jobs, logging_setup, meeting_clocks, observability, security, vocabulary
    from matchmaker.access import IdConverter
    from matchmaker.admin.routes import bp as admin_bp
    from matchmaker.api import init_app as init_api
    from matchmaker.auth.routes import bp as auth_bp
    from matchmaker.config import Config
    from matchmaker.consent.routes import bp as consent_bp
    from matchmaker.database import render_item
    from matchmaker.events.routes import bp as events_bp
    from matchmaker.extensions import csrf, db, limiter, login_manager, migrate
    from matchmaker.health import bp as health_bp
    from matchmaker.main.routes import bp as main_bp
    from matchmaker.meetings.routes import bp as meetings_bp
    from matchmaker.profiles.routes import bp as profiles_bp
    from matchmaker.staff import bp as staff_bp

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if config is None or isinstance(config, dict):
        app.config.from_object(Config(app.instance_path))
        app.config.update(config or {})
    else:
        app.config.from_object(config)
    Path(app.config.get("INSTANCE_PATH", app.instance_path)).mkdir(parents=True, exist_ok=True)
    logging_setup.init_app(app)  # first, so that its request id is set before any other hook logs
    observability.init_app(app)
    if app.config.get("PROXY_COUNT"):
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, render_item=render_item,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = lazy_gettext("Please sign in to open this page.")
    i18n.init_app(app)
    vocabulary.init_app(app)
    meeting_clocks.init_app(app)  # the meeting's times in the rule's order (uses i18n's reader)
    errors.init_app(app)
    security.init_app(app)
    jobs.init_app(app)
    _enable_sqlite_foreign_keys(app, db)
    app.url_map.converters["int"] = IdConverter  # before the routes: ids past the database's range are 404

    for blueprint in (main_bp, auth_bp, consent_bp, profiles_bp, events_bp, meetings_bp, staff_bp, admin_bp,
                      health_bp):
        app.register_blueprint(blueprint)

    init_api(app)  # after the blueprints: its views use theirs (scope helpers, url_for targets)
    cli.init_app(app)
    return app


def _enable_sqlite_foreign_keys(app, db) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    # Loaded only when an app is built, as in create_app.
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
