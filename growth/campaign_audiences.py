"""Each campaign's audience at a moment, as one queryset of people (evaluated by the database).

A "day N" trigger finds the people whose moment (signup, first video, last activity) was N days
ago, give or take CAMPAIGN_CATCH_UP_DAYS: a beat run that was missed is made up for, but a
campaign switched on today does not mail everyone who signed up last year.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from growth.campaign_models import Campaign, CampaignSend, EmailOptOut, PlanFilter, Trigger
from growth.campaign_segments import (
    first_video_between,
    has_video,
    in_sending_window,
    on_paid_plan,
    segment_condition,
    video_count,
    video_count_at_least,
)
from insights.activity import active_since
from teams.models import User

PRO_UPGRADE_VIDEOS = 10


def campaign_period(campaign: Campaign, now: datetime) -> str:
    """The period a send is counted in: the month for the newsletter, else "" (once per person)."""
    return now.strftime("%Y-%m") if campaign.trigger == Trigger.NEWSLETTER else ""


def _between(field: str, now: datetime, days: int) -> Q:
    """`field` was `days` days ago, within the catch-up window."""
    latest = now - timedelta(days=days)
    return Q(**{f"{field}__lte": latest, f"{field}__gt": latest - timedelta(days=settings.CAMPAIGN_CATCH_UP_DAYS)})


def _inactive_for(now: datetime, days: int) -> Q:
    latest = now - timedelta(days=days)
    return ~active_since(latest) & active_since(latest - timedelta(days=settings.CAMPAIGN_CATCH_UP_DAYS))


def trigger_audience(campaign: Campaign, now: datetime) -> QuerySet[User]:
    """Everyone the campaign's trigger and condition find at `now` (before opt-outs and windows)."""
    people = User.objects.filter(is_active=True)
    days = campaign.delay_days
    match campaign.trigger:
        case Trigger.WELCOME:
            people = people.filter(_between("date_joined", now, days))
        case Trigger.FIRST_VIDEO_TIPS | Trigger.ACTIVATION_NUDGE:
            people = people.filter(_between("date_joined", now, days)).exclude(has_video())
        case Trigger.TEMPLATE_SHOWCASE:
            people = (
                people.filter(_between("date_joined", now, days))
                .alias(video_total=video_count())
                .filter(video_total__lt=3)
            )
        case Trigger.FEATURE_DISCOVERY:
            latest = now - timedelta(days=days)
            earliest = latest - timedelta(days=settings.CAMPAIGN_CATCH_UP_DAYS)
            people = people.filter(first_video_between(earliest, latest))
        case Trigger.PRO_UPGRADE:
            people = people.filter(video_count_at_least(PRO_UPGRADE_VIDEOS)).exclude(on_paid_plan(now))
        case Trigger.WE_MISS_YOU | Trigger.FEEDBACK_REQUEST:
            people = people.filter(_inactive_for(now, days))
        case Trigger.NEWSLETTER:
            # Not in a newcomer's first days, which the welcome series already fills.
            people = people.filter(date_joined__lte=now - timedelta(days=days))
        case Trigger.ONE_OFF:
            people = people.filter(_one_off_filters(campaign, now))
    if campaign.segment:
        people = people.filter(segment_condition(campaign.segment, now))
    return people


def _one_off_filters(campaign: Campaign, now: datetime) -> Q:
    condition = Q()
    if campaign.audience_plan == PlanFilter.PAID:
        condition &= on_paid_plan(now)
    elif campaign.audience_plan == PlanFilter.FREE:
        condition &= ~on_paid_plan(now)
    if campaign.audience_language:
        # No saved language means mail in the site's default language.
        language = Q(language=campaign.audience_language)
        if campaign.audience_language == settings.LANGUAGE_CODE:
            language |= Q(language="")
        condition &= language
    if campaign.audience_active_within_days is not None:
        condition &= active_since(now - timedelta(days=campaign.audience_active_within_days))
    if campaign.audience_inactive_for_days is not None:
        condition &= ~active_since(now - timedelta(days=campaign.audience_inactive_for_days))
    if campaign.audience_country:
        condition &= Q(country=campaign.audience_country)
    if campaign.audience_tier:
        condition &= Q(customer_profile__tier=campaign.audience_tier)
    return condition


def _video_bounds(campaign: Campaign, people: QuerySet[User]) -> QuerySet[User]:
    if campaign.audience_min_videos is None and campaign.audience_max_videos is None:
        return people
    people = people.alias(video_total=video_count())
    if campaign.audience_min_videos is not None:
        people = people.filter(video_total__gte=campaign.audience_min_videos)
    if campaign.audience_max_videos is not None:
        people = people.filter(video_total__lte=campaign.audience_max_videos)
    return people


def campaign_recipients(campaign: Campaign, now: datetime, *, window: bool = True) -> QuerySet[User]:
    """Who gets the campaign now: its audience, less people who opted out of its category, who
    already had it (this period), and (with `window`) whose local time is outside the sending window."""
    people = trigger_audience(campaign, now)
    if campaign.trigger == Trigger.ONE_OFF:
        people = _video_bounds(campaign, people)
    opted_out = EmailOptOut.objects.filter(user=OuterRef("pk"), category=campaign.category)
    already = CampaignSend.objects.filter(campaign=campaign, user=OuterRef("pk"), period=campaign_period(campaign, now))
    people = people.exclude(Exists(opted_out)).exclude(Exists(already))
    if window:
        people = people.filter(in_sending_window(now))
    return people
