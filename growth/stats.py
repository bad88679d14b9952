"""The statistics of an experiment, in pure Python (the standard library's `math` and `NormalDist`).

- `proportion_compare`: a variant against control — absolute and relative lift with a 95 %
  confidence interval, and the p-value of the two-proportion z-test (fixed horizon: valid for one
  look at a sample size fixed in advance).
- `sample_ratio_p_value`: the chi-square goodness-of-fit test of the exposures against the weights.
- `sequential_interval`: an asymptotic confidence sequence (Waudby-Smith et al., arXiv:2103.06476
  eq. 9, tuned as in Howard et al., arXiv:1810.08240 eq. 161 — what GrowthBook's sequential testing
  computes). It holds at every look, however often staff look, so the verdict and its notification
  rest on it rather than on the fixed-horizon p-value.
- `sample_size_per_variant`: the fixed-horizon size needed to detect a relative lift.

scipy gives the same numbers (tests/growth/test_stats.py) but is only a test dependency.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()
# GrowthBook's default tuning: the total sample size at which the sequence is tightest.
SEQUENTIAL_TUNING = 5000


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z; erfc keeps tiny p-values accurate."""
    return math.erfc(abs(z) / math.sqrt(2))


def normal_quantile(p: float) -> float:
    return _NORMAL.inv_cdf(p)


@dataclass(frozen=True)
class Comparison:
    control_rate: float
    rate: float
    absolute_lift: float
    absolute_ci: tuple[float, float]
    relative_lift: float | None  # None while control has no conversion
    relative_ci: tuple[float, float] | None
    z: float
    p_value: float


def proportion_compare(
    *, control_n: int, control_x: int, n: int, x: int, confidence: float = 0.95
) -> Comparison | None:
    """A variant (`x` of `n` converted) against control; None until both have exposures."""
    if control_n <= 0 or n <= 0:
        return None
    p_c, p_t = control_x / control_n, x / n
    diff = p_t - p_c
    quantile = normal_quantile(0.5 + confidence / 2)
    var_c, var_t = p_c * (1 - p_c) / control_n, p_t * (1 - p_t) / n
    se = math.sqrt(var_c + var_t)
    # The test's standard error pools both groups (the null says they share one rate).
    pooled = (control_x + x) / (control_n + n)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / control_n + 1 / n))
    z = diff / se_pooled if se_pooled > 0 else 0.0
    relative = relative_ci = None
    if p_c > 0:
        relative = p_t / p_c - 1
        # Delta method for the ratio of two independent means.
        se_rel = math.sqrt(var_t / p_c**2 + p_t**2 * var_c / p_c**4)
        relative_ci = (relative - quantile * se_rel, relative + quantile * se_rel)
    return Comparison(
        control_rate=p_c,
        rate=p_t,
        absolute_lift=diff,
        absolute_ci=(diff - quantile * se, diff + quantile * se),
        relative_lift=relative,
        relative_ci=relative_ci,
        z=z,
        p_value=normal_two_sided_p(z) if se_pooled > 0 else 1.0,
    )


def sequential_halfwidth(
    *, total_n: int, variance: float, alpha: float = 0.05, tuning: int = SEQUENTIAL_TUNING
) -> float:
    """Half the width of the (1 - alpha) confidence sequence for a difference of means.

    `variance` is the variance of the difference's estimate (var_t/n_t + var_c/n_c), `total_n`
    the exposures of both groups together.
    """
    if total_n <= 1:
        return math.inf
    log_alpha = math.log(alpha)
    rho_squared = (-2 * log_alpha + math.log(-2 * log_alpha + 1)) / tuning
    scale = variance * total_n  # the per-unit variance
    n_rho = total_n * rho_squared
    return math.sqrt(scale) * math.sqrt(2 * (n_rho + 1) * math.log(math.sqrt(n_rho + 1) / alpha) / (total_n * n_rho))


def sequential_interval(
    *, control_n: int, control_x: int, n: int, x: int, alpha: float = 0.05
) -> tuple[float, float] | None:
    """The always-valid (1 - alpha) interval of the absolute lift; None until both have exposures."""
    if control_n <= 0 or n <= 0:
        return None
    p_c, p_t = control_x / control_n, x / n
    variance = p_c * (1 - p_c) / control_n + p_t * (1 - p_t) / n
    if variance == 0:
        # Nothing varies yet (no conversion or all converted): no evidence either way.
        return (-math.inf, math.inf)
    width = sequential_halfwidth(total_n=control_n + n, variance=variance, alpha=alpha)
    diff = p_t - p_c
    return (diff - width, diff + width)


def sequential_p_value(*, control_n: int, control_x: int, n: int, x: int) -> float:
    """The always-valid p-value: the smallest alpha whose confidence sequence excludes no lift.

    Found by bisection on alpha (the sequence narrows as alpha grows); it is below 0.05 exactly
    when `sequential_interval(alpha=0.05)` excludes zero, at any look.
    """
    if control_n <= 0 or n <= 0:
        return 1.0
    p_c, p_t = control_x / control_n, x / n
    variance = p_c * (1 - p_c) / control_n + p_t * (1 - p_t) / n
    diff = abs(p_t - p_c)
    if variance == 0 or diff == 0:
        return 1.0

    def excludes_zero(alpha: float) -> bool:
        return sequential_halfwidth(total_n=control_n + n, variance=variance, alpha=alpha) < diff

    if not excludes_zero(1 - 1e-12):
        return 1.0
    low, high = 1e-300, 1 - 1e-12
    if excludes_zero(low):
        return low
    for _ in range(200):
        middle = math.sqrt(low * high) if high / low > 4 else (low + high) / 2
        if excludes_zero(middle):
            high = middle
        else:
            low = middle
        if high - low <= 1e-12 * high:
            break
    return high


def _upper_gamma_regularized(a: float, x: float) -> float:
    # Q(a, x) = Γ(a, x) / Γ(a): series below a + 1, Lentz's continued fraction above (as in
    # Numerical Recipes' gammq), both accurate to double precision.
    if x <= 0:
        return 1.0
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        ap = a
        for _ in range(1000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return max(0.0, 1 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return math.exp(log_prefix) * h


def chi_square_sf(statistic: float, dof: int) -> float:
    """P(X >= statistic) for a chi-square variable with `dof` degrees of freedom."""
    return _upper_gamma_regularized(dof / 2, statistic / 2)


def sample_ratio_p_value(observed: list[int], weights: list[float]) -> float | None:
    """p-value of the chi-square test of `observed` counts against the configured `weights`."""
    total, weight_sum = sum(observed), sum(weights)
    if len(observed) < 2 or total == 0 or weight_sum <= 0:
        return None
    statistic = 0.0
    for count, weight in zip(observed, weights, strict=True):
        expected = total * weight / weight_sum
        if expected > 0:
            statistic += (count - expected) ** 2 / expected
    return chi_square_sf(statistic, len(observed) - 1)


def sample_size_per_variant(
    *, baseline_rate: float, relative_mde: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Exposures per variant for a fixed-horizon test to detect `relative_mde` at this baseline."""
    p1 = baseline_rate
    p2 = p1 * (1 + relative_mde)
    if not (0 < p1 < 1) or not (0 < p2 < 1) or p1 == p2:
        return None
    z_alpha, z_beta = normal_quantile(1 - alpha / 2), normal_quantile(power)
    mean = (p1 + p2) / 2
    numerator = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(numerator**2 / (p2 - p1) ** 2)
