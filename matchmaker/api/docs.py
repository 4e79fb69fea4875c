"""The API's docs page (/api/v1/docs), rendered on the server from the OpenAPI document itself: the resources in
groups with a list of contents, and for every operation its parameters, the fields of its request body and of its
answer, and its answer codes, so the page cannot disagree with the document. No script and no CDN."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")
JSON = "application/json"


def _resolve(spec: dict, schema: dict) -> tuple[str, dict]:
    """(the schema's name, the schema) for a `$ref`, or ("", the schema) for an inline one."""
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        return name, spec["components"]["schemas"].get(name, {})
    return "", schema


def _type_of(spec: dict, schema: dict) -> str:
    name, schema = _resolve(spec, schema)
    if name:
        return name
    if schema.get("type") == "array":
        return f"array of {_type_of(spec, schema.get('items') or {})}"
    kind = schema.get("type") or "object"
    return f"{kind} ({schema['format']})" if schema.get("format") else kind


def fields_of(spec: dict, schema: dict | None) -> dict | None:
    """A body's shape for the page: {"name", "many", "fields": [{"name", "type", "required", "description"}]}."""
    if not schema:
        return None
    many = schema.get("type") == "array"
    name, resolved = _resolve(spec, schema.get("items") or {} if many else schema)
    required = set(resolved.get("required") or ())
    fields = [
        {"name": field, "type": _type_of(spec, prop), "required": field in required,
         "description": prop.get("description") or ""}
        for field, prop in (resolved.get("properties") or {}).items()
    ]
    return {"name": name, "many": many, "fields": fields}


def _body(spec: dict, holder: dict | None) -> dict | None:
    return fields_of(spec, ((holder or {}).get("content") or {}).get(JSON, {}).get("schema"))


def operations_of(spec: dict) -> list[dict]:
    operations = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            success = next((answer for code, answer in operation.get("responses", {}).items()
                            if str(code).startswith("2")), None)
            operations.append({
                "method": method.upper(), "path": path, "anchor": f"{method}-{path}".replace("/", "-").strip("-"),
                **operation, "body": _body(spec, operation.get("requestBody")), "answer": _body(spec, success),
            })
    return operations


@bp.get("/docs")
def docs():
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = operations_of(spec)
    groups = [(tag, [op for op in operations if tag["name"] in op.get("tags", ())]) for tag in spec.get("tags", [])]
    return render_template("api/docs.html", spec=spec, groups=[(t, ops) for t, ops in groups if ops])
