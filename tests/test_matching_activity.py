"""The activity block (matching/activity.py): thin records are shrunk towards the typical rate of the firms whose
rate is measured, so that where most profiles are thin a firm with a full record does not look exceptional."""

import numpy as np
import pytest

from matchmaker.matching import Deal, Profile
from matchmaker.matching.activity import activity_lift, typical_rate
from matchmaker.matching.portfolio import Deals
from matchmaker.matching.profiles import norm_name


def partner(name, years):
    deals = tuple(Deal("fintech", "seed", y, f"{name} co {k}", None, "") for k, y in enumerate(years))
    return Profile(id=name, kind="investor", name=name, portfolio=deals)


def lifts(partners):
    return activity_lift(Deals(partners, norm_name, 3.0, 2020), prior_deals=5.0)


def test_full_records_are_not_exceptional_among_thin_ones():
    # Three firms with full records (two deals a year for five years) and twelve whose profiles kept three deals
    # spread over the same years: the typical rate is the full records', not the thin majority's.
    full = [partner(f"Full {k}", [y for y in range(2016, 2021) for _ in range(2)]) for k in range(3)]
    thin = [partner(f"Thin {k}", [2016, 2018, 2020]) for k in range(12)]
    values = lifts(full + thin)
    assert values[:3] == pytest.approx([0.0, 0.0, 0.0], abs=1e-6)
    # Thin records are pulled towards the typical: they sit below it, but by less than their raw rate says.
    raw_gap = np.log((Deals(thin, norm_name, 3.0, 2020).activity_rate()[0] + 1)
                     / (Deals(full, norm_name, 3.0, 2020).activity_rate()[0] + 1))
    assert np.all(values[3:] < 0)
    assert np.all(values[3:] > raw_gap)


def test_no_portfolio_is_typical_and_fewer_than_three_well_measured_firms_fall_back_to_all():
    values = lifts([partner("Busy", [2019, 2020, 2020, 2020, 2020, 2020]), partner("Unknown", [])])
    assert values[1] == 0.0
    assert typical_rate(np.array([1.0, 3.0, 0.0]), np.array([2, 3, 0]), prior_deals=5.0) == 2.0
    # One or two well-measured firms are no population: every firm with a portfolio sets the typical.
    assert typical_rate(np.array([1.0, 2.0, 9.0, 9.0]), np.array([2, 3, 9, 9]), prior_deals=5.0) == 5.5
    assert typical_rate(np.array([1.0, 2.0, 8.0, 9.0, 10.0]), np.array([2, 3, 9, 9, 9]), prior_deals=5.0) == 9.0
    assert typical_rate(np.array([0.0, 0.0]), np.array([0, 0]), prior_deals=5.0) == 0.0
