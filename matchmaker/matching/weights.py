"""The recommender's model: one weight per feature block, an intercept per side, and what it was trained on.

`Model.fit` (and `fit`) refit the weights on outcomes with `learn.learn_weights`; learn.py knows nothing of the
model, so imports point one way: weights -> learn -> features. Nothing here imports Flask.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType
from typing import Any

from matchmaker.matching.features import BLOCKS, FeatureParams
from matchmaker.matching.learn import TrainingSummary, learn_weights

# Defaults for when an event has no outcomes to learn from, on a log-odds scale. The lift and activity blocks
# are log-likelihood ratios, so 1.0 is the naive-Bayes weight. The others:
#   sector 0.5     half strength: sector codes overlap (software / web / enterprise) and a partner's sector mix
#                  drifts from one year to the next, so its past mix overstates what it will do next
#   market 1.5     a company targeting only markets where the partner is absent loses e^1.5 ~ 4.5x
#   text 4.0       a description cosine of 0.3 (clearly related pitches) is worth e^1.2 ~ 3x for a partner whose
#                  text rests on many descriptions, less for a thin one (features.py: its evidence weight)
#   coinvest 1.0   per side, per unit of log co-investment lift
#   follow_on 5.0  per side: existing investors join most of a company's next rounds (about three in four in
#                  venture data), an arbitrary investor a few percent; this saturates both sides' fits
DEFAULT_WEIGHTS = MappingProxyType({
    "sector": 0.5,
    "stage": 1.0,
    "ticket": 1.0,
    "text": 4.0,
    "market": 1.5,
    "language": 1.0,
    "activity": 1.0,
    "coinvest": 1.0,
    "follow_on": 5.0,
})
# A side's log-odds for an average pair: a priori about one pair in twenty suits a given side (sigmoid(-3) ~ 5%),
# so for ordinary pairs the two fits multiply like probabilities, and only strong evidence saturates a side.
DEFAULT_INTERCEPT = -3.0
assert set(DEFAULT_WEIGHTS) == set(BLOCKS)


@dataclass(frozen=True)
class Model:
    weights: MappingProxyType = field(default_factory=lambda: DEFAULT_WEIGHTS)
    # Offsets of each side's log-odds (scoring.py).
    intercepts: MappingProxyType = field(
        default_factory=lambda: MappingProxyType({"company": DEFAULT_INTERCEPT, "partner": DEFAULT_INTERCEPT})
    )
    params: FeatureParams = field(default_factory=FeatureParams)
    training: TrainingSummary | None = None

    def __post_init__(self):
        object.__setattr__(self, "weights", MappingProxyType({**DEFAULT_WEIGHTS, **dict(self.weights)}))
        object.__setattr__(self, "intercepts", MappingProxyType(
            {"company": DEFAULT_INTERCEPT, "partner": DEFAULT_INTERCEPT, **dict(self.intercepts)}
        ))

    def fit(self, outcomes, companies, partners, **options) -> Model:
        """A copy of this model with block weights refitted on (company_id, partner_id, label) outcomes; the
        options (prior_outcomes, regularization, today) are learn.learn_weights'."""
        weights, summary = learn_weights(outcomes, companies, partners, weights=self.weights, params=self.params,
                                         **options)
        return Model(
            weights=MappingProxyType(weights),
            intercepts=self.intercepts,
            params=self.params,
            training=summary,
        )

    def with_weights(self, **weights: float) -> Model:
        return replace(self, weights=MappingProxyType({**self.weights, **weights}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "intercepts": dict(self.intercepts),
            "params": asdict(self.params),
            "training": asdict(self.training) if self.training else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        training = data.get("training")
        if training:
            training = TrainingSummary(**{**training, "unchanged_blocks": tuple(training["unchanged_blocks"])})
        return cls(
            weights=MappingProxyType(dict(data.get("weights", {}))),
            intercepts=MappingProxyType(dict(data.get("intercepts", {}))),
            params=FeatureParams(**data.get("params", {})),
            training=training,
        )


def fit(outcomes, companies, partners, *, base: Model | None = None, **options) -> Model:
    """A new model whose block weights are refitted on (company_id, partner_id, label) outcomes, starting from
    `base` (the default weights when None)."""
    return (base or Model()).fit(outcomes, companies, partners, **options)
