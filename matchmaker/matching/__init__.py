"""Recommender: which foreign investors and buyers each Korean company should meet, and why.

Plain Python, numpy, scipy and scikit-learn; nothing here imports Flask, so the web app, the CLI
(`python -m matchmaker.matching rank ...`) and offline benchmarks share it.

    profiles  parsing and validation of JSON Lines profiles (shared/formats/profile.md)
    text      TF-IDF over character n-grams (Korean without a tokenizer)
    sector_labels  free-text sector labels (five languages, typos, synonyms) mapped onto one code per sector
    portfolio partners' deals as arrays: recency, activity, re-investment propensity
    activity  the activity block: deals per year, thin records shrunk towards the well-measured typical
    ties      follow-on (existing investors) and the co-investment graph
    features  per-pair feature blocks (sectors, stages, ticket, markets, languages, activity, text, ties)
    interests the categorical blocks: partners' smoothed interests in sectors, stages, round sizes (log-lifts)
    baseline  the baseline's score (sector and stage cosine x log deals), inside the model's partner side
    weights   the model: block weights, defaults, training summary; `fit`
    scoring   reciprocal score (geometric mean of both sides' fits), blockwise top-k retrieval
    fairness  capacity-capped lists, capacity prices, exposure statistics
    explain   reason codes and their English rendering
    evidence  each block's reason looked up for many pairs at once (similar: the most similar past deal)
    learn     refitting the weights from accepted / declined requests (knows nothing of the model)
    ranking   the whole pipeline with per-event constraints
    cli       the command line
"""

from matchmaker.matching.explain import Reason, render
from matchmaker.matching.features import BLOCKS, EventFeatures, FeatureParams
from matchmaker.matching.learn import TrainingSummary
from matchmaker.matching.profiles import (
    Deal,
    Profile,
    ProfileError,
    parse_lines,
    profile_from_dict,
    read_jsonl,
)
from matchmaker.matching.ranking import ConstraintError, Ranking, Suggestion, rank
from matchmaker.matching.weights import DEFAULT_WEIGHTS, Model, fit

__all__ = [
    "BLOCKS", "DEFAULT_WEIGHTS", "ConstraintError", "Deal", "EventFeatures", "FeatureParams", "Model", "Profile",
    "ProfileError", "Ranking", "Reason", "Suggestion", "TrainingSummary", "fit", "parse_lines",
    "profile_from_dict", "rank", "read_jsonl", "render",
]
