"""The experiment statistics agree with scipy, and the sequential verdict survives daily peeking."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from growth.stats import (
    chi_square_sf,
    proportion_compare,
    sample_ratio_p_value,
    sample_size_per_variant,
    sequential_interval,
    sequential_p_value,
)

CASES = [
    (1000, 100, 1000, 130),
    (5000, 250, 4900, 240),
    (120, 12, 130, 30),
    (20000, 1800, 20500, 2100),
    (50, 0, 60, 3),
    (8, 1, 9, 7),
]


@pytest.mark.parametrize(("control_n", "control_x", "n", "x"), CASES)
def test_lift_interval_and_p_value_agree_with_scipy(control_n, control_x, n, x):
    result = proportion_compare(control_n=control_n, control_x=control_x, n=n, x=x)
    # The pooled two-proportion z-test is the uncorrected chi-square test of the 2x2 table.
    table = [[control_x, control_n - control_x], [x, n - x]]
    _chi2, scipy_p, _dof, _expected = scipy_stats.chi2_contingency(table, correction=False)
    assert result.p_value == pytest.approx(scipy_p, abs=1e-9)
    p_c, p_t = control_x / control_n, x / n
    q = scipy_stats.norm.ppf(0.975)
    se = math.sqrt(p_c * (1 - p_c) / control_n + p_t * (1 - p_t) / n)
    assert result.absolute_lift == pytest.approx(p_t - p_c, abs=1e-12)
    assert result.absolute_ci[0] == pytest.approx(p_t - p_c - q * se, abs=1e-9)
    assert result.absolute_ci[1] == pytest.approx(p_t - p_c + q * se, abs=1e-9)
    if p_c == 0:
        assert result.relative_lift is None and result.relative_ci is None
    else:
        se_rel = math.sqrt(p_t * (1 - p_t) / n / p_c**2 + p_t**2 * p_c * (1 - p_c) / control_n / p_c**4)
        assert result.relative_lift == pytest.approx(p_t / p_c - 1, abs=1e-12)
        assert result.relative_ci[0] == pytest.approx(p_t / p_c - 1 - q * se_rel, abs=1e-9)
        assert result.relative_ci[1] == pytest.approx(p_t / p_c - 1 + q * se_rel, abs=1e-9)


def test_a_tiny_p_value_keeps_its_precision():
    result = proportion_compare(control_n=100000, control_x=10000, n=100000, x=11500)
    z = result.z
    assert result.p_value == pytest.approx(2 * scipy_stats.norm.sf(abs(z)), rel=1e-9)
    assert result.p_value < 1e-20


@pytest.mark.parametrize(
    ("observed", "weights"),
    [
        ([500, 520], [0.5, 0.5]),
        ([500, 600], [0.5, 0.5]),
        ([210, 290, 500], [0.2, 0.3, 0.5]),
        ([8, 30, 9], [1, 1, 1]),
        ([1000, 1000, 1000, 1300], [0.25, 0.25, 0.25, 0.25]),
        ([3, 4], [0.5, 0.5]),
    ],
)
def test_sample_ratio_mismatch_agrees_with_scipy(observed, weights):
    total = sum(observed)
    expected = [total * w / sum(weights) for w in weights]
    assert sample_ratio_p_value(observed, weights) == pytest.approx(
        scipy_stats.chisquare(observed, expected).pvalue, abs=1e-9
    )


@pytest.mark.parametrize("dof", [1, 2, 3, 5, 9])
@pytest.mark.parametrize("statistic", [0.01, 0.5, 1.0, 3.84, 7.5, 20.0, 60.0])
def test_chi_square_tail_agrees_with_scipy(statistic, dof):
    assert chi_square_sf(statistic, dof) == pytest.approx(scipy_stats.chi2.sf(statistic, dof), abs=1e-12)


def test_sample_size_matches_the_textbook_formula():
    p1, p2 = 0.10, 0.11
    z_a, z_b = scipy_stats.norm.ppf(0.975), scipy_stats.norm.ppf(0.8)
    mean = (p1 + p2) / 2
    expected = (z_a * math.sqrt(2 * mean * (1 - mean)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (
        p2 - p1
    ) ** 2
    assert sample_size_per_variant(baseline_rate=p1, relative_mde=0.10) == math.ceil(expected)
    assert sample_size_per_variant(baseline_rate=0, relative_mde=0.10) is None


def test_the_sequential_interval_is_wider_than_the_fixed_one_and_narrows_with_data():
    small = sequential_interval(control_n=1000, control_x=100, n=1000, x=120)
    fixed = proportion_compare(control_n=1000, control_x=100, n=1000, x=120).absolute_ci
    assert small[0] < fixed[0] and small[1] > fixed[1]
    large = sequential_interval(control_n=100000, control_x=10000, n=100000, x=12000)
    assert large[1] - large[0] < small[1] - small[0]
    assert large[0] > 0  # a real 20 % lift is found


@pytest.mark.parametrize(("control_n", "control_x", "n", "x"), [*CASES, (400, 40, 400, 110), (300, 36, 290, 59)])
def test_the_always_valid_p_value_is_where_the_confidence_sequence_reaches_zero(control_n, control_x, n, x):
    counts = {"control_n": control_n, "control_x": control_x, "n": n, "x": x}
    p_value = sequential_p_value(**counts)
    low, high = sequential_interval(**counts)
    assert (p_value < 0.05) == (low > 0 or high < 0)
    if p_value < 1:
        # Just above it the sequence excludes zero; just below it, it does not.
        above = sequential_interval(**counts, alpha=p_value * 1.001)
        below = sequential_interval(**counts, alpha=p_value * 0.999)
        assert above[0] > 0 or above[1] < 0
        assert below[0] <= 0 <= below[1]
    # Always valid costs power: never smaller than the fixed-horizon p-value.
    assert p_value >= proportion_compare(**counts).p_value


DAYS, EXPERIMENTS, DAILY_PER_ARM, RATE = 30, 1000, 100, 0.10


def _aa_experiments(seed: int = 12):
    """1,000 A/A experiments: both arms convert at the same rate; cumulative counts per day."""
    rng = np.random.default_rng(seed)
    shape = (EXPERIMENTS, DAYS)
    n = np.cumsum(np.full(shape, DAILY_PER_ARM), axis=1)
    control = np.cumsum(rng.binomial(DAILY_PER_ARM, RATE, shape), axis=1)
    treatment = np.cumsum(rng.binomial(DAILY_PER_ARM, RATE, shape), axis=1)
    return n, control, treatment


def test_daily_peeking_at_a_sequential_verdict_keeps_false_winners_at_5_percent_unlike_the_naive_check():
    n, control, treatment = _aa_experiments()

    def naive(control_n, control_x, n_, x):
        return proportion_compare(control_n=int(control_n), control_x=int(control_x), n=int(n_), x=int(x)).p_value

    def sequential_excludes_zero(control_n, control_x, n_, x):
        low, high = sequential_interval(control_n=int(control_n), control_x=int(control_x), n=int(n_), x=int(x))
        return low > 0 or high < 0

    # Our own functions, looked at every day of every experiment (30,000 looks each).
    naive_p = np.vectorize(naive)(n, control, n, treatment)
    sequential = np.vectorize(sequential_excludes_zero)(n, control, n, treatment)
    naive_rate = float(np.mean((naive_p < 0.05).any(axis=1)))
    sequential_rate = float(np.mean(sequential.any(axis=1)))
    margin = 3 * math.sqrt(0.05 * 0.95 / EXPERIMENTS)  # three standard errors of a 5 % proportion
    assert sequential_rate <= 0.05 + margin, sequential_rate
    assert naive_rate > 0.05 + margin, naive_rate
    # A single look at the end is an honest 5 % test: the inflation comes from peeking.
    assert float(np.mean(naive_p[:, -1] < 0.05)) <= 0.05 + margin
