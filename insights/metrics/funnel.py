"""The acquisition funnel: visitor → signup → verified → first video → Pro.

`funnel_steps` is the one entry point other modules use (the weekly retrospective, the dashboard,
the API). The counts come from two queries: distinct visitors from page-view events, and the
period's signups with what each went on to do (as of now), one aggregate over the users.
"""

from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from billing.models import Payment
from insights.event_names import EventName
from insights.metrics.periods import day_end, day_start
from insights.models import Event
from teams.models import User

# A step that loses more than this share of the previous step's people is flagged.
DROP_OFF_FLAG = 0.2

STEPS: tuple[tuple[str, object], ...] = (
    ("visitors", _("Visitors")),
    ("signups", _("Signed up")),
    ("verified", _("Verified e-mail")),
    ("first_video", _("Made a first video")),
    ("pro", _("Became a paying Pro customer")),
)


@dataclass(frozen=True)
class FunnelStep:
    name: str
    label: str
    count: int
    conversion: float | None  # share of the previous step's count; None for the first step
    drop_off: float | None  # 1 - conversion
    flagged: bool  # lost more than DROP_OFF_FLAG of the previous step


def funnel_counts(*, start: date, end: date) -> dict[str, int]:
    """The funnel's counts for the days `start` to `end` (inclusive): visitors are distinct anonymous
    visitor ids of page-view events in the period; signups are accounts created in it; then, of
    those signups, each step counts the people who also passed every step before it: verified (a
    verified e-mail address), first video (and created a video: its `video.created` event), Pro
    (and paid a Pro invoice: a paid invoice with an amount), whenever that happened."""
    since, until = day_start(start), day_end(end)
    visitors = (
        Event.objects.filter(name=EventName.PAGE_VIEWED, occurred_at__gte=since, occurred_at__lt=until)
        .order_by()
        .aggregate(n=Count("payload__visitor", distinct=True))["n"]
    )
    people = (
        User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(
            is_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            made_video=Exists(Event.objects.filter(actor=OuterRef("pk"), name=EventName.VIDEO_CREATED)),
            paid=Exists(
                Payment.objects.filter(
                    user=OuterRef("pk"), status=Payment.Status.PAID, amount_cents__gt=0, plan__isnull=False
                )
            ),
        )
        .order_by()
        .aggregate(
            signups=Count("pk"),
            verified=Count("pk", filter=Q(is_verified=True)),
            first_video=Count("pk", filter=Q(is_verified=True, made_video=True)),
            pro=Count("pk", filter=Q(is_verified=True, made_video=True, paid=True)),
        )
    )
    return {"visitors": visitors or 0, **{key: value or 0 for key, value in people.items()}}


def steps_from_counts(counts: dict[str, int]) -> list[FunnelStep]:
    """Funnel conversion: each step's count ÷ the previous step's; drop-off is 1 - conversion, and a
    step whose drop-off exceeds 20 % is flagged."""
    steps: list[FunnelStep] = []
    previous: int | None = None
    for name, label in STEPS:
        count = int(counts.get(name, 0))
        conversion = None if previous is None or previous == 0 else round(count / previous, 4)
        drop_off = None if conversion is None else round(1 - conversion, 4)
        steps.append(
            FunnelStep(
                name=name,
                label=str(label),
                count=count,
                conversion=conversion,
                drop_off=drop_off,
                flagged=drop_off is not None and drop_off > DROP_OFF_FLAG,
            )
        )
        previous = count
    return steps


def funnel_steps(*, start: date, end: date) -> list[FunnelStep]:
    """The funnel visitor → signup → verified → first video → Pro for the days `start` to `end`,
    with each step's conversion from the previous one and its drop-off (flagged above 20 %)."""
    return steps_from_counts(funnel_counts(start=start, end=end))
