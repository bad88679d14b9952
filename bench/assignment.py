"""Experiment assignment speed: ours (growth.bucketing) beside the growthbook package, same run.

For N ids (default 1,000,000) of a three-variant experiment with uneven weights and 90 % coverage,
prints assignments per second of:
  - ours: `growth.bucketing.variation_for` (pure Python, seed state and ranges kept per experiment);
  - growthbook's SDK evaluation: `GrowthBook.run(Experiment)` per id (what an app using the SDK pays);
  - growthbook's core functions: `gbhash` + `getBucketRanges` + `chooseVariation` per id.
Checks that every id gets the same variant from all three, and that the split matches the weights
with a chi-square goodness-of-fit test (p must stay above 0.001). Needs no database. Run:
  .venv/bin/python bench/assignment.py [--ids 1000000]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from growthbook import Experiment, GrowthBook  # noqa: E402
from growthbook import core as gb  # noqa: E402

from growth.bucketing import variation_for  # noqa: E402
from growth.stats import sample_ratio_p_value  # noqa: E402

SEED = "signup_cta"
WEIGHTS = [0.2, 0.3, 0.5]
COVERAGE = 0.9


def _timed(label: str, function, ids: list[str]) -> list[int]:
    start = time.perf_counter()
    answers = function(ids)
    seconds = time.perf_counter() - start
    print(f"| {label} | {len(ids):,} | {seconds:.2f} | {len(ids) / seconds:,.0f} |")
    return answers


def ours(ids: list[str]) -> list[int]:
    return [variation_for(SEED, value, WEIGHTS, COVERAGE) for value in ids]


def sdk(ids: list[str]) -> list[int]:
    experiment = Experiment(key=SEED, variations=[0, 1, 2], weights=WEIGHTS, coverage=COVERAGE, hashVersion=2)
    client = GrowthBook(attributes={"id": "x"})
    answers = []
    for value in ids:
        client.set_attributes({"id": value})
        result = client.run(experiment)
        answers.append(result.variationId if result.inExperiment else -1)
    return answers


def core(ids: list[str]) -> list[int]:
    return [gb.chooseVariation(gb.gbhash(SEED, value, 2), gb.getBucketRanges(3, COVERAGE, WEIGHTS)) for value in ids]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ids", type=int, default=1_000_000)
    args = parser.parse_args()
    ids = [str(n) for n in range(1, args.ids + 1)]
    print(f"Experiment `{SEED}`, weights {WEIGHTS}, coverage {COVERAGE}, hash v2, {args.ids:,} ids\n")
    print("| implementation | ids | seconds | assignments/s |")
    print("|---|---|---|---|")
    mine = _timed("ours: growth.bucketing.variation_for", ours, ids)
    theirs = _timed("growthbook SDK: GrowthBook.run", sdk, ids)
    reference = _timed("growthbook core: gbhash + chooseVariation", core, ids)
    assert mine == theirs == reference, "assignments differ from growthbook"
    counts = [mine.count(i) for i in range(len(WEIGHTS))]
    outside = mine.count(-1)
    p_value = sample_ratio_p_value(counts, WEIGHTS)
    print(f"\nSame variant as growthbook for all {len(ids):,} ids.")
    print(f"Split {counts} (+{outside:,} outside coverage, {outside / len(ids):.2%}); chi-square p = {p_value:.4f}")
    assert p_value is not None and p_value > 0.001, "the split does not match the weights"


if __name__ == "__main__":
    main()
