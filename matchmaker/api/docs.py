"""The API's docs page (/api/v1/docs), rendered on the server from the OpenAPI document itself: every operation
with its parameters and answers, so the page cannot disagree with the document. No script and no CDN."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/docs")
def docs():
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, item in spec["paths"].items()
        for method, operation in item.items() if method in METHODS
    ]
    return render_template("api/docs.html", spec=spec, operations=operations)
