"""The model: one weight per feature block, an intercept per side, and what it was trained on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType
from typing import Any

from matchmaker.matching.features import BLOCKS, FeatureParams

# Defaults for when an event has no outcomes to learn from. The lift and activity blocks are log-likelihood
# ratios, so 1.0 is the naive-Bayes weight; the others are on the same log-odds scale:
#   follow_on 3.0  an existing investor is e^3 ~ 20x as likely to take the meeting (follow-on rounds)
#   text 4.0       a description cosine of 0.3 (clearly related pitches) is worth e^1.2 ~ 3x
#   market 1.5     a company targeting only markets where the partner is absent loses e^1.5 ~ 4.5x
#   ticket 0.5     half weight: cheque sizes and round sizes are only loosely comparable
DEFAULT_WEIGHTS = MappingProxyType({
    "stage": 1.0,
    "ticket": 0.5,
    "market": 1.5,
    "language": 1.0,
    "activity": 1.0,
    "sector": 1.0,
    "text": 4.0,
    "coinvest": 1.0,
    "follow_on": 3.0,
})
assert set(DEFAULT_WEIGHTS) == set(BLOCKS)


@dataclass(frozen=True)
class TrainingSummary:
    """What `fit` learned from, recorded in the model so that a ranking can be traced to its data."""

    trained_at: str  # ISO date
    n_outcomes: int
    n_positive: int
    n_negative: int
    n_companies: int
    n_partners: int
    n_skipped: int  # outcomes naming a company or partner not among the profiles given
    shrinkage: float  # share of the learned weights kept (the rest stays at the defaults)
    unchanged_blocks: tuple[str, ...]  # blocks constant in the training pairs: no evidence, defaults kept


@dataclass(frozen=True)
class Model:
    weights: MappingProxyType = field(default_factory=lambda: DEFAULT_WEIGHTS)
    # Offsets of each side's log-odds before the reciprocal combination (scoring.py).
    intercepts: MappingProxyType = field(default_factory=lambda: MappingProxyType({"company": 0.0, "partner": 0.0}))
    params: FeatureParams = field(default_factory=FeatureParams)
    training: TrainingSummary | None = None

    def __post_init__(self):
        object.__setattr__(self, "weights", MappingProxyType({**DEFAULT_WEIGHTS, **dict(self.weights)}))
        object.__setattr__(self, "intercepts", MappingProxyType({"company": 0.0, "partner": 0.0,
                                                                 **dict(self.intercepts)}))

    def fit(self, outcomes, companies, partners, **options) -> Model:
        """A copy of this model with block weights refitted on outcomes; see learn.fit."""
        from matchmaker.matching.learn import fit

        return fit(outcomes, companies, partners, base=self, **options)

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
