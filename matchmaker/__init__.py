"""Matchmaker: matchmaking days between Korean ICT companies and foreign investors and buyers."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the application. `config` is a config object or a mapping of overrides.

    Flask is imported here, not at the top, so that `matchmaker.scheduling`, `matchmaker.matching` and the
    other domain packages load without the web framework.
    """
    from flask import Flask
    from flask_babel import lazy_gettext

    from matchmaker import cli, errors, i18n, jobs, security
    from matchmaker.config import Config
    from matchmaker.database import render_item
    from matchmaker.extensions import csrf, db, limiter, login_manager, migrate

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
    from matchmaker import logging_setup, observability

    logging_setup.init_app(app)  # first, so that its request id is set before any other hook logs
    observability.init_app(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

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
    errors.init_app(app)
    security.init_app(app)
    jobs.init_app(app)
    _enable_sqlite_foreign_keys(app)
    from matchmaker.access import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the routes: ids past the database's range are 404

    from matchmaker.admin.routes import bp as admin_bp
    from matchmaker.auth.routes import bp as auth_bp
    from matchmaker.events.routes import bp as events_bp
    from matchmaker.health import bp as health_bp
    from matchmaker.main.routes import bp as main_bp
    from matchmaker.meetings.routes import bp as meetings_bp
    from matchmaker.profiles.routes import bp as profiles_bp
    from matchmaker.staff import bp as staff_bp

    for blueprint in (main_bp, auth_bp, profiles_bp, events_bp, meetings_bp, staff_bp, admin_bp, health_bp):
        app.register_blueprint(blueprint)

    from matchmaker.services.mail import deliver_after_request

    app.after_request(deliver_after_request)
    cli.init_app(app)
    return app


def _enable_sqlite_foreign_keys(app) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    from sqlalchemy import event

    from matchmaker.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
