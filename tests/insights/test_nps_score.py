"""NPS arithmetic: categories, the score, the grades at their exact edges, and the margin of error."""

import math
from fractions import Fraction

import pytest

from insights.nps_score import nps_category, nps_figure, nps_figure_of_counts, nps_grade


@pytest.mark.parametrize(
    ("score", "category"),
    [(0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"), (9, "promoter"), (10, "promoter")],
)
def test_scores_fall_into_their_category_at_the_edges(score, category):
    assert nps_category(score) == category


@pytest.mark.parametrize("score", [-1, 11, 7.5, True, "9"])
def test_anything_but_a_whole_number_from_0_to_10_is_refused(score):
    with pytest.raises(ValueError):
        nps_category(score)


def test_nps_is_percent_promoters_minus_percent_detractors():
    # 5 promoters, 3 passives, 2 detractors: 50 % - 20 % = 30.
    figure = nps_figure([10, 9, 9, 10, 9, 7, 8, 8, 0, 6])
    assert (figure.promoters, figure.passives, figure.detractors) == (5, 3, 2)
    assert figure.score == 30
    assert figure.percentages == (50.0, 30.0, 20.0)


def test_the_extremes_are_plus_and_minus_one_hundred_and_no_answers_has_no_score():
    assert nps_figure([10] * 4).score == 100
    assert nps_figure([0, 3, 6]).score == -100
    empty = nps_figure([])
    assert (empty.score, empty.grade, empty.margin_of_error, empty.display()) == (None, None, None, "—")


@pytest.mark.parametrize(
    ("nps", "grade"),
    [
        (100, "world_class"),
        (70, "world_class"),
        (Fraction(6999, 100), "excellent"),
        (50, "excellent"),
        (Fraction(4999, 100), "great"),
        (30, "great"),
        (Fraction(2999, 100), "good"),
        (0, "good"),
        (Fraction(-1, 100), "needs_improvement"),
        (-100, "needs_improvement"),
    ],
)
def test_grades_include_their_lower_edge_and_exclude_the_upper_one(nps, grade):
    assert nps_grade(nps)[0] == grade


def test_the_grade_uses_the_exact_score_not_a_rounded_one():
    # 2 promoters of 3, no detractor: 66.67, excellent.
    assert nps_figure([10, 10, 7]).grade[0] == "excellent"
    # 69.5 would round to 70 but is not world class: 139 promoters, 0 detractors, 61 passives of 200.
    figure = nps_figure_of_counts(promoters=139, passives=61, detractors=0)
    assert figure.score == Fraction(139, 2)
    assert figure.rounded == 70
    assert figure.grade[0] == "excellent"


def test_the_margin_of_error_comes_from_the_variance_of_plus_one_zero_minus_one_scores():
    # 10 answers: 5 promoters, 3 passives, 2 detractors. Mean 0.3; variance 0.7 - 0.09 = 0.61.
    figure = nps_figure([10, 9, 9, 10, 9, 7, 8, 8, 0, 6])
    expected = 1.96 * math.sqrt(0.61 / 10) * 100
    assert figure.margin_of_error == pytest.approx(expected)
    assert round(expected) == 48
    # Everyone agreeing leaves no variance at all.
    assert nps_figure([10] * 5).margin_of_error == 0


def test_below_thirty_answers_the_figure_is_shown_with_its_margin_and_from_thirty_on_bare():
    small = nps_figure_of_counts(promoters=15, passives=9, detractors=5)  # 29 answers
    assert small.small_sample
    assert small.display() == f"+34 ± {round(small.margin_of_error)}"
    enough = nps_figure_of_counts(promoters=15, passives=10, detractors=5)  # 30 answers
    assert not enough.small_sample
    assert enough.display() == "+33"
    assert nps_figure_of_counts(promoters=0, passives=20, detractors=20).display() == "-50"
