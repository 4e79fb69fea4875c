"""Error pages for people, JSON bodies for API clients; never a bare 500 for bad input."""

from flask import Flask, abort, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        """No one types a NUL character, and PostgreSQL cannot store one in text: a query string or form that
        holds one is refused here with a 400, instead of failing at the database with a 500."""
        for values in (request.args, request.form):
            if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
                abort(400)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, error.description)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500, error.description)


def _render(code: int, description: str | None):
    if _wants_json():
        return jsonify(error=code, message=description), code
    return render_template("errors/error.html", code=code, description=description), code
