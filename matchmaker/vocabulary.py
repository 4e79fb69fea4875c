"""Sector, stage and meeting-outcome vocabularies with translatable labels, and their template filters. Codes are
what profiles and feedback store."""

from flask import Flask

from matchmaker.enums import Outcome
from matchmaker.i18n import lazy_gettext as _l  # Flask-Babel's, read through the request's kept catalog

SECTORS = {
    "ai": _l("Artificial intelligence"),
    "ai-chips": _l("AI chips and semiconductors"),
    "cloud": _l("Cloud infrastructure"),
    "saas": _l("SaaS and enterprise software"),
    "software": _l("Software"),
    "metaverse": _l("Metaverse, XR and digital twins"),
    "digital-health": _l("Digital health"),
    "biotech": _l("Biotech"),
    "fintech": _l("Fintech"),
    "cybersecurity": _l("Cybersecurity"),
    "mobility": _l("Mobility and autonomous driving"),
    "robotics": _l("Robotics"),
    "iot": _l("IoT and smart devices"),
    "edtech": _l("Education technology"),
    "gaming": _l("Games and content"),
    "e-commerce": _l("E-commerce and retail tech"),
    "energy": _l("Energy and climate tech"),
    "manufacturing": _l("Smart manufacturing"),
    "telecom": _l("Telecommunications and 5G"),
    "blockchain": _l("Blockchain"),
}

STAGE_LABELS = {
    "pre-seed": _l("Pre-seed"),
    "seed": _l("Seed"),
    "series-a": _l("Series A"),
    "series-b": _l("Series B"),
    "series-c+": _l("Series C and later"),
    "growth": _l("Growth"),
    "other": _l("Other"),
}


OUTCOME_LABELS = {
    Outcome.NONE: _l("No agreement yet"),
    Outcome.NDA: _l("Non-disclosure agreement (NDA)"),
    Outcome.POC: _l("Pilot or proof of concept"),
    Outcome.MOU: _l("Memorandum of understanding (MOU)"),
    Outcome.PURCHASE_ORDER: _l("Purchase order"),
    Outcome.INVESTMENT: _l("Investment"),
}


def sector_label(code: str) -> str:
    return str(SECTORS.get(code, code))


def stage_label(code: str) -> str:
    return str(STAGE_LABELS.get(code, code))


def outcome_label(value) -> str:
    return str(OUTCOME_LABELS.get(Outcome(value), value))


def init_app(app: Flask) -> None:
    """The labels' template filters (`i18n.init_app` gives templates the rest)."""
    app.jinja_env.filters.update(sector_label=sector_label, stage_label=stage_label)
