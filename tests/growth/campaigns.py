"""Shared ground for the campaign tests: a fixed clock, people made at a given age, Pro accounts."""

from datetime import UTC, datetime, timedelta

from billing.models import Plan, Subscription
from growth.campaign_models import Campaign
from insights.event_names import EventName
from insights.models import Event
from teams.models import User
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory

# Noon in UTC: inside the 09:00-18:00 window for UTC, outside it for Tokyo (21:00) and Los Angeles (04:00).
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def days_ago(days: float, *, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days)


def person(*, joined_days_ago: float, time_zone: str = "UTC", language: str = "", **fields: object) -> User:
    return UserFactory(date_joined=days_ago(joined_days_ago), time_zone=time_zone, language=language, **fields)


def videos_for(user: User, count: int, *, days_ago_made: float = 1) -> None:
    for _ in range(count):
        VideoFactory(owner=user, created_at=days_ago(days_ago_made))


def signed_in(user: User, *, days_ago_at: float) -> None:
    Event.objects.create(name=EventName.USER_LOGGED_IN, actor=user, occurred_at=days_ago(days_ago_at))


def make_pro(user: User, *, now: datetime = NOW) -> Subscription:
    return Subscription.objects.create(
        user=user,
        plan=Plan.objects.get(code="pro"),
        current_period_start=now - timedelta(days=3),
        current_period_end=now + timedelta(days=27),
    )


def campaign(key: str) -> Campaign:
    """One of the nine seeded lifecycle campaigns."""
    return Campaign.objects.get(key=key)


def only_active(*keys: str) -> None:
    """Pause every lifecycle campaign but `keys`, so a test sees one campaign's mail."""
    Campaign.objects.exclude(key__in=keys).update(status=Campaign.Status.PAUSED)


def one_off(**fields: object) -> Campaign:
    defaults = {
        "key": "spring-sale",
        "name": "Spring sale",
        "category": "offers",
        "subject_en": "Spring sale: 20 % off Pro",
        "body_en": "Hi {name}, Pro is 20 % off this week.",
        "subject_es": "Rebajas de primavera: 20 % en Pro",
        "body_es": "Hola {name}, Pro tiene un 20 % de descuento esta semana.",
        "cta_label_en": "See Pro",
        "cta_label_es": "Ver Pro",
        "cta_path": "/pricing/",
    }
    return Campaign.objects.create(**{**defaults, **fields})
