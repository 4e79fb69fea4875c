"""The marshmallow schemas of `api/engagement.py`: a participant's recommendations (each counterpart with its score and
the recommender's reasons, as codes and as the recommendations page words them in the reader's language) and the
feedback given on meetings (the member feedback form's fields)."""

import html
import re

from flask import get_template_attribute
from marshmallow import Schema, fields, validate

from matchmaker.enums import Outcome
from matchmaker.meetings.forms import MAX_AMOUNT_USD

_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def reason_texts(reasons: list) -> list[str]:
    """Each reason as the recommendations page shows it (its own macro, `matching/_reasons.html`, in the current
    language), as plain text."""
    if not reasons:
        return []
    markup = str(get_template_attribute("matching/_reasons.html", "reasons")(reasons))
    return [" ".join(html.unescape(item).split()) for item in _ITEM.findall(markup)]


class ReasonSchema(Schema):
    code = fields.String()
    params = fields.Dict()
    text = fields.String(metadata={"description": "The reason in the token owner's language, as on the page."})


class RecommendationSchema(Schema):
    organization_id = fields.Integer(attribute="org.id")
    name = fields.String(attribute="org.display_name")
    kind = fields.String(attribute="org.kind")
    country = fields.String(attribute="org.country", allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "From 0 to 1; null for an organization listed "
                                                                   "only because it is on the shortlist."})
    forced = fields.Boolean(metadata={"description": "Selected by the office."})
    shortlisted = fields.Boolean()
    reasons = fields.List(fields.Nested(ReasonSchema))
    request_id = fields.Integer(allow_none=True, metadata={"description": "The request between both, if any."})
    request_status = fields.String(allow_none=True)


class FeedbackSchema(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    organization_id = fields.Integer()
    rating = fields.Integer()
    follow_up = fields.Boolean()
    outcome = fields.String()
    amount_usd = fields.Integer(allow_none=True)
    expected_amount_usd = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    created_dt = fields.AwareDateTime()
    updated_dt = fields.AwareDateTime()


def _amount(description: str):
    return fields.Integer(load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(min=0, max=MAX_AMOUNT_USD),
                          metadata={"description": description})


class NewFeedbackSchema(Schema):
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5),
                            metadata={"description": "How useful the meeting was, from 1 to 5."})
    follow_up = fields.Boolean(load_default=False, metadata={"description": "We want to follow up with them."})
    outcome = fields.String(load_default=Outcome.NONE.value, validate=validate.OneOf([o.value for o in Outcome]))
    amount_usd = _amount("The consultation amount discussed (USD).")
    expected_amount_usd = _amount("The expected contract or investment amount (USD).")
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                            metadata={"description": "For the office."})
