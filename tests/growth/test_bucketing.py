"""Our assignment is GrowthBook's: same hash, same ranges, same variant, for any id."""

import random

import pytest
from growthbook import Experiment as GBExperiment
from growthbook import GrowthBook
from growthbook import core as gb

from growth.bucketing import bucket_ranges, fnv1a32, hash_v2, variation_for

IDS = [str(n) for n in range(2000)] + [f"anon-{random.Random(n).getrandbits(64):x}" for n in range(1000)]
IDS += ["", "über", "用户-42", "emoji-😀", "a" * 100]

SETUPS = [
    ([0.5, 0.5], 1.0),
    ([1 / 3, 1 / 3, 1 / 3], 1.0),
    ([0.1, 0.2, 0.7], 1.0),
    ([0.05, 0.95], 0.5),
    ([0.25, 0.25, 0.25, 0.25], 0.37),
    ([0.8, 0.2], 0.0),
    ([0.6, 0.6], 1.0),  # sums to 1.2: both fall back to equal weights
]


def test_the_hash_is_growthbooks_fnv1a_and_v2():
    for value in IDS:
        assert fnv1a32(value) == gb.fnv1a32(value)
        assert hash_v2("signup_cta", value) == gb.gbhash("signup_cta", value, 2)


@pytest.mark.parametrize(("weights", "coverage"), SETUPS)
def test_bucket_ranges_match_growthbook(weights, coverage):
    assert bucket_ranges(len(weights), coverage, weights) == gb.getBucketRanges(len(weights), coverage, weights)


@pytest.mark.parametrize(("weights", "coverage"), SETUPS)
@pytest.mark.parametrize("seed", ["signup_cta", "pricing_annual", "ünïcode-seed"])
def test_variation_for_matches_the_growthbook_sdk_on_many_ids(seed, weights, coverage):
    sdk = GrowthBook(attributes={"id": "x"})
    experiment = GBExperiment(
        key=seed, variations=list(range(len(weights))), weights=weights, coverage=coverage, hashVersion=2
    )
    outside = 0
    for value in IDS:
        ours = variation_for(seed, value, weights, coverage)
        if value:  # the SDK skips an empty id; the pure functions still answer
            sdk.set_attributes({"id": value})
            result = sdk.run(experiment)
            theirs = result.variationId if result.inExperiment else -1
            assert ours == theirs, (seed, value)
        ranges = gb.getBucketRanges(len(weights), coverage, weights)
        assert ours == gb.chooseVariation(gb.gbhash(seed, value, 2), ranges)
        outside += ours == -1
    if coverage == 1.0:
        assert outside == 0
    if coverage == 0.0:
        assert outside == len(IDS)


def test_a_visitor_always_gets_the_same_variant():
    assert {variation_for("signup_cta", "visitor-1", [0.2, 0.3, 0.5]) for _ in range(5)} == {
        variation_for("signup_cta", "visitor-1", [0.2, 0.3, 0.5])
    }
