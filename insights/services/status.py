"""The status page's writes: e-mail subscriptions (double opt-in, one-click unsubscribe), the
subscribers' e-mail for each public update, and the daily roll-up of the health-check history."""

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError, NotFound
from config.throttling import ident_rate_count
from insights.health_models import HealthCheckResult
from insights.incident_models import IncidentUpdate
from insights.status_models import HealthCheckDay, Maintenance, StatusSubscriber

TOKEN_SALT = "insights.status.subscriber"  # noqa: S105 (a signing salt, not a secret)
CONFIRM_TOKEN_MAX_AGE = dt.timedelta(days=7)


class InvalidToken(NotFound):
    default_message = _("This link is not valid or has expired.")


def subscriber_token(*, subscriber: StatusSubscriber, purpose: str) -> str:
    """A signed token naming the subscriber and what it may do ("confirm" or "unsubscribe")."""
    return signing.dumps({"s": subscriber.pk, "p": purpose, "e": subscriber.email}, salt=TOKEN_SALT)


def _subscriber_from(token: str, *, purpose: str, max_age: dt.timedelta | None) -> StatusSubscriber:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        raise InvalidToken(code="invalid_token") from None
    if data.get("p") != purpose:
        raise InvalidToken(code="invalid_token")
    # The e-mail is part of the token: a row deleted and its id reused never honours an old link.
    subscriber = StatusSubscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise InvalidToken(code="invalid_token")
    return subscriber


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def status_subscribe(*, email: str, language: str, client_ident: str) -> StatusSubscriber:
    """Ask for a confirmation e-mail; nothing is sent about incidents until the link is followed.

    Limited per client address and per e-mail address, so the form cannot be used to flood a
    mailbox; an active subscriber asking again gets no second mail.
    """
    from teams.services.emails import email_queue

    email = email.strip().lower()
    ident_rate_count(scope="status_subscriptions", ident=f"addr:{client_ident}")
    ident_rate_count(
        scope="status_subscriptions_per_email", ident="email:" + hashlib.sha256(email.encode()).hexdigest()
    )
    subscriber, _created = StatusSubscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"language": language}
    )
    if subscriber.is_active:
        return subscriber
    subscriber.language = language
    subscriber.unsubscribed_at = None
    subscriber.confirmed_at = None
    subscriber.save(update_fields=["language", "unsubscribed_at", "confirmed_at"])
    token = subscriber_token(subscriber=subscriber, purpose="confirm")
    email_queue(
        to=subscriber.email,
        template="insights/email/status_confirm",
        context={"confirm_url": _absolute(reverse("status-confirm", args=[token]))},
        language=language,
    )
    return subscriber


@transaction.atomic
def status_subscription_confirm(*, token: str, now: dt.datetime | None = None) -> StatusSubscriber:
    """Confirm a subscription from the link in its confirmation e-mail (valid for 7 days)."""
    subscriber = _subscriber_from(token, purpose="confirm", max_age=CONFIRM_TOKEN_MAX_AGE)
    if subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None:
        subscriber.confirmed_at = now or timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def status_unsubscribe(*, token: str, now: dt.datetime | None = None) -> StatusSubscriber:
    """Stop the e-mails, from the one-click link every one of them carries (never expires)."""
    subscriber = _subscriber_from(token, purpose="unsubscribe", max_age=None)
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def status_update_notify(*, update_id: int) -> int:
    """Queue the e-mail about one public update to every confirmed subscriber, once.

    The update is claimed with a conditional UPDATE in the same transaction as the e-mails it
    queues: a duplicate task finds it claimed; a failure rolls both back for the retry.
    """
    from teams.services.emails import email_queue

    with transaction.atomic():
        claimed = IncidentUpdate.objects.filter(
            pk=update_id, kind=IncidentUpdate.Kind.PUBLIC, subscribers_notified_at=None
        ).update(subscribers_notified_at=timezone.now())
        if not claimed:
            return 0
        update = IncidentUpdate.objects.select_related("incident").get(pk=update_id)
        subscribers = StatusSubscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at=None)
        count = 0
        for subscriber in subscribers.iterator():
            unsubscribe_url = _absolute(
                reverse("status-unsubscribe", args=[subscriber_token(subscriber=subscriber, purpose="unsubscribe")])
            )
            email_queue(
                to=subscriber.email,
                template="insights/email/status_update",
                context={
                    "incident": update.incident,
                    "update": update,
                    "status_url": _absolute(reverse("status")),
                    "unsubscribe_url": unsubscribe_url,
                },
                language=subscriber.language or None,
                # RFC 8058: mail clients offer the one-click unsubscribe themselves.
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            count += 1
    return count


@transaction.atomic
def maintenance_save(
    *,
    maintenance: Maintenance | None = None,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    components: list[str],
    description: str = "",
) -> Maintenance:
    """Schedule (or change) a maintenance window shown on the status page."""
    from insights.services.incidents import _clean_components
    from insights.status import status_cache_clear

    if ends_at <= starts_at:
        raise DomainError(_("A maintenance window ends after it starts."), code="order", field="ends_at")
    maintenance = maintenance or Maintenance()
    maintenance.title = title
    maintenance.description = description
    maintenance.starts_at = starts_at
    maintenance.ends_at = ends_at
    maintenance.components = _clean_components(components)
    maintenance.save()
    transaction.on_commit(status_cache_clear)
    return maintenance


def health_days_roll_up(*, since: dt.date, until: dt.date) -> int:
    """Roll the health-check history of the finished UTC days in [since, until) into HealthCheckDay.

    One grouped query; re-running a day replaces its counts, so the beat can redo the last days.
    """
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(until, dt.time(), tzinfo=dt.UTC)
    rows: list[dict[str, Any]] = list(
        HealthCheckResult.objects.filter(checked_at__gte=start, checked_at__lt=end)
        .annotate(day=TruncDate("checked_at", tzinfo=dt.UTC))
        .values("name", "day")
        .annotate(total=Count("id"), passed=Count("id", filter=Q(ok=True)))
        .order_by()
    )
    HealthCheckDay.objects.bulk_create(
        [HealthCheckDay(name=r["name"], day=r["day"], total=r["total"], passed=r["passed"]) for r in rows],
        update_conflicts=True,
        unique_fields=["name", "day"],
        update_fields=["total", "passed"],
    )
    return len(rows)
