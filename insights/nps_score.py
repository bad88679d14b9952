"""NPS arithmetic, kept pure so its edges are tested without a database.

A score 0-6 is a detractor, 7-8 a passive, 9-10 a promoter. NPS = % promoters - % detractors, from
-100 to +100, computed exactly (a Fraction) so a grade boundary is never missed by a rounding error.
Grades: world class ≥ 70, excellent 50 ≤ NPS < 70, great 30 ≤ NPS < 50, good 0 ≤ NPS < 30, needs
improvement < 0.

The margin of error treats each answer as +1 (promoter), 0 (passive) or -1 (detractor): NPS/100 is
their mean, their variance is p_promoters + p_detractors - (NPS/100)², and the 95 % margin is
1.96 x √(variance / n) x 100 points. Below `SMALL_SAMPLE` answers pages show the margin with the figure.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from insights.nps_models import NpsCategory

SMALL_SAMPLE = 30
Z_95 = 1.96

GRADES = [
    # (lowest NPS of the grade, inclusive; code; label), best first
    (Fraction(70), "world_class", _("World class")),
    (Fraction(50), "excellent", _("Excellent")),
    (Fraction(30), "great", _("Great")),
    (Fraction(0), "good", _("Good")),
]
NEEDS_IMPROVEMENT = ("needs_improvement", _("Needs improvement"))


def nps_category(score: int) -> str:
    """detractor (0-6), passive (7-8) or promoter (9-10); ValueError outside 0-10."""
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
        raise ValueError(f"An NPS score is a whole number from 0 to 10, not {score!r}.")
    if score <= 6:
        return NpsCategory.DETRACTOR
    if score <= 8:
        return NpsCategory.PASSIVE
    return NpsCategory.PROMOTER


def nps_grade(nps: Fraction | float | int) -> tuple[str, str]:
    """The grade (code, label) of an NPS value."""
    value = Fraction(nps)
    for lowest, code, label in GRADES:
        if value >= lowest:
            return code, str(label)
    return NEEDS_IMPROVEMENT[0], str(NEEDS_IMPROVEMENT[1])


@dataclass(frozen=True)
class NpsFigure:
    """The NPS of a set of answers, with what a page needs to show it honestly."""

    responses: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> Fraction | None:
        if not self.responses:
            return None
        return Fraction(100 * (self.promoters - self.detractors), self.responses)

    @property
    def rounded(self) -> int | None:
        """The NPS as a whole number (half away from zero), for display."""
        score = self.score
        if score is None:
            return None
        return int(math.copysign(math.floor(abs(score) + Fraction(1, 2)), score))

    @property
    def grade(self) -> tuple[str, str] | None:
        return None if self.score is None else nps_grade(self.score)

    @property
    def margin_of_error(self) -> float | None:
        """The 95 % margin of error in NPS points (None without answers)."""
        if not self.responses:
            return None
        n = self.responses
        mean = Fraction(self.promoters - self.detractors, n)
        variance = Fraction(self.promoters + self.detractors, n) - mean * mean
        return Z_95 * math.sqrt(variance / n) * 100

    @property
    def small_sample(self) -> bool:
        """Fewer than 30 answers: show the margin of error, not a bare number."""
        return self.responses < SMALL_SAMPLE

    @property
    def percentages(self) -> tuple[float, float, float]:
        """(% promoters, % passives, % detractors)."""
        if not self.responses:
            return 0.0, 0.0, 0.0
        return tuple(100 * part / self.responses for part in (self.promoters, self.passives, self.detractors))  # type: ignore[return-value]

    def display(self) -> str:
        """ "42", or "42 ± 18" below 30 answers, or "—" without any."""
        if self.rounded is None:
            return "—"
        if self.small_sample:
            return f"{self.rounded:+d} ± {round(self.margin_of_error or 0):d}"
        return f"{self.rounded:+d}"


def nps_figure(scores: Iterable[int]) -> NpsFigure:
    """The figure of a list of scores 0-10."""
    counts = {NpsCategory.PROMOTER: 0, NpsCategory.PASSIVE: 0, NpsCategory.DETRACTOR: 0}
    for score in scores:
        counts[nps_category(score)] += 1
    return nps_figure_of_counts(
        promoters=counts[NpsCategory.PROMOTER],
        passives=counts[NpsCategory.PASSIVE],
        detractors=counts[NpsCategory.DETRACTOR],
    )


def nps_figure_of_counts(*, promoters: int, passives: int, detractors: int) -> NpsFigure:
    return NpsFigure(
        responses=promoters + passives + detractors, promoters=promoters, passives=passives, detractors=detractors
    )
