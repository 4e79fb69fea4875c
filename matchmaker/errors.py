"""Error pages for people, RFC 9457 problem details (application/problem+json) for API clients; never a bare 500
for bad input."""

from flask import Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"


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
        if request.path.startswith("/api/"):  # a method the API does not have, asked with no CSRF token
            return _problem(error)
        return _render(400, error.description)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith("/api/"):
            return _problem(error)
        return _render(error.code or 500, error.description)


def _titles() -> dict[int, str]:
    """Each status's title, in the reader's language (the token owner's, on the API)."""
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
    }


def _details() -> dict[int, str]:
    """What to do about each status, when the code that refused gave no message of its own."""
    return {
        400: _("The request could not be read."),
        401: _("Give a valid personal access token: Authorization: Bearer mm_… (Settings → API tokens)."),
        403: _("Your account may not see or change this."),
        404: _("There is nothing at this address, or you may not see it."),
        405: _("This address does not answer to this method."),
        409: _("This changed in the meantime: read it again, then retry."),
        413: _("The request is larger than this server takes: send it in smaller parts."),
        422: _("Some arguments are not valid: see errors."),
        429: _("Too many requests with this token: wait a minute, then try again."),
    }


def _problem(error: HTTPException):
    """RFC 9457 problem details; the message is the one the refusing code gave (translated), else the status's."""
    code = error.code or 500
    body = {"type": "about:blank", "title": _titles().get(code, error.name), "status": code}
    data = getattr(error, "data", None) or {}  # webargs' validation errors (flask-smorest's 422)
    description = error.description if error.description != type(error).description else None
    body["detail"] = description or _details().get(code, error.name)
    if isinstance(data.get("messages"), dict):
        body["errors"] = data["messages"]
    response = jsonify(body)
    response.status_code = code
    response.mimetype = PROBLEM_TYPE
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
    for name, value in (error.get_response().headers.items() if code in (405, 429) else ()):
        if name in ("Allow", "Retry-After"):
            response.headers[name] = value
    return response


def _render(code: int, description: str | None):
    if _wants_json():
        return jsonify(error=code, message=description), code
    return render_template("errors/error.html", code=code, description=description), code
