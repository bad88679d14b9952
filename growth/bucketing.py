"""Deterministic experiment assignment: GrowthBook's published hashing (version 2), in pure Python.

A visitor's variant is decided from the experiment's seed and the visitor's id alone — no database
write, no shared state — and matches what GrowthBook's SDKs decide for the same seed, id, weights
and coverage, so a customer who also runs the GrowthBook SDK sees the same split.

The functions mirror `growthbook.core` (`fnv1a32`, `gbhash`, `getBucketRanges`, `chooseVariation`);
`variation_for` additionally keeps the seed's FNV state and the ranges per experiment, which makes
it faster than the SDK on the same input (see bench/assignment.py).
"""

import math
from collections.abc import Sequence
from functools import lru_cache

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
MASK = 0xFFFFFFFF
# GrowthBook replaces a weight vector whose sum falls outside this band with equal weights.
WEIGHT_SUM_MIN = 0.99
WEIGHT_SUM_MAX = 1.01


def _fnv_continue(hval: int, s: str) -> int:
    # FNV-1a over UTF-16 code units, as the JS SDK's charCodeAt loop (ASCII: one unit per byte).
    if s.isascii():
        for b in s.encode():
            hval = ((hval ^ b) * FNV_PRIME) & MASK
    else:
        data = s.encode("utf-16-le", "surrogatepass")
        for i in range(0, len(data), 2):
            hval = ((hval ^ (data[i] | (data[i + 1] << 8))) * FNV_PRIME) & MASK
    return hval


def fnv1a32(s: str) -> int:
    """FNV-1a 32-bit hash of a string's UTF-16 code units."""
    return _fnv_continue(FNV_OFFSET, s)


def hash_v2(seed: str, value: str) -> float:
    """GrowthBook's hash version 2: a bucket in [0, 1) with four decimals."""
    return (fnv1a32(str(fnv1a32(seed + value))) % 10000) / 10000


def equal_weights(count: int) -> list[float]:
    return [1 / count for _ in range(count)] if count >= 1 else []


def _weights_valid(weights: Sequence[float], count: int) -> bool:
    if len(weights) != count:
        return False
    try:
        if not all(
            isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) and w >= 0 for w in weights
        ):
            return False
        return WEIGHT_SUM_MIN <= sum(weights) <= WEIGHT_SUM_MAX
    except OverflowError:
        return False


def bucket_ranges(
    count: int, coverage: float = 1.0, weights: Sequence[float] | None = None
) -> list[tuple[float, float]]:
    """Each variant's half-open range of buckets: its weight's slice, of which `coverage` is used."""
    coverage = min(max(coverage, 0), 1)
    used = list(weights) if weights is not None and _weights_valid(weights, count) else equal_weights(count)
    ranges = []
    cumulative: float = 0
    for w in used:
        start = cumulative
        cumulative += w
        ranges.append((start, start + coverage * w))
    return ranges


def choose_variation(n: float, ranges: Sequence[tuple[float, float]]) -> int:
    """The index of the range holding bucket `n`, or -1 when none does (outside coverage)."""
    for i, (start, end) in enumerate(ranges):
        if start <= n < end:
            return i
    return -1


@lru_cache(maxsize=1024)
def _ranges(weights: tuple[float, ...], coverage: float) -> tuple[tuple[float, float], ...]:
    return tuple(bucket_ranges(len(weights), coverage, list(weights)))


@lru_cache(maxsize=1024)
def _seed_state(seed: str) -> int:
    return fnv1a32(seed)


def variation_for(seed: str, value: str, weights: Sequence[float], coverage: float = 1.0) -> int:
    """The variant index GrowthBook assigns `value` in an experiment seeded `seed`; -1 outside coverage."""
    # FNV is a running hash: hashing `seed + value` is hashing `value` from the seed's state (an
    # ASCII character's byte is its UTF-16 code unit), so the seed is hashed once per process.
    inner = _fnv_continue(_seed_state(seed), value)
    n = (_fnv_continue(FNV_OFFSET, str(inner)) % 10000) / 10000
    for i, (start, end) in enumerate(_ranges(tuple(weights), coverage)):
        if start <= n < end:
            return i
    return -1
