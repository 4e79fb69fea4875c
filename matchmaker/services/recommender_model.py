"""The recommender's stored model: the weights `services.learning` refitted from past outcomes, kept as JSON with
what they were learned from in RECOMMENDER_MODEL_PATH (the instance folder by default). `services.recommendations`
ranks with it when there is one; the reports page shows what it learned from.

It reads and writes that one file; it never decides when to refit (that is `services.learning`).
"""

import json
import os
from pathlib import Path

from flask import current_app

from matchmaker.matching import Model


def model_path() -> Path:
    return Path(current_app.config["RECOMMENDER_MODEL_PATH"])


def write_model(payload: dict) -> None:
    """Store `payload` ({"model": …, "data": …}) through a temporary file, so that a reader never sees half a
    model."""
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def stored() -> dict | None:
    """The stored payload ({"model": …, "data": …}), or None when there is none or it cannot be read."""
    try:
        payload = json.loads(model_path().read_text(encoding="utf-8"))
        Model.from_dict(payload["model"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return payload


def stored_model() -> Model | None:
    payload = stored()
    return Model.from_dict(payload["model"]) if payload else None
