"""Error pages for people, JSON bodies for API clients; never a bare 500 for bad input."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def init_app(app: Flask) -> None:
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
