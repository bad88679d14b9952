"""Waitlist writes: join and leave, staff invite the next people in batches, per-account flags."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from growth.flags import feature_enabled
from growth.limits import rate_count
from growth.waitlist_models import FeatureFlag, PreviewFeature, WaitlistEntry
from growth.waitlist_selectors import referral_boost, waitlist_queue
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services import notification_send

MAX_INVITE_BATCH = 500


@transaction.atomic
def preview_feature_save(*, feature: PreviewFeature) -> PreviewFeature:
    """Create or change a preview feature (the ops console's form)."""
    feature.full_clean()
    feature.save()
    return feature


@transaction.atomic
def waitlist_join(*, feature: PreviewFeature, user: User) -> WaitlistEntry:
    """Join the feature's waitlist (joining twice keeps the first place)."""
    if not feature.is_open:
        raise DomainError(_("This waitlist is closed."), code="waitlist_closed")
    if feature_enabled(user, feature.key):
        raise DomainError(_("This feature is already switched on for you."), code="waitlist_already_enabled")
    rate_count(scope="waitlist_join", key=user.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                feature=feature, user=user, joined_at=now, queue_at=now - referral_boost(user=user)
            )
    except IntegrityError:
        return WaitlistEntry.objects.get(feature=feature, user=user)
    record_event(name=EventName.WAITLIST_JOINED, actor=user, subject=feature, payload={"feature": feature.key})
    return entry


@transaction.atomic
def waitlist_requeue(*, user: User) -> int:
    """Place the person's waiting entries again after their successful referrals changed; returns how many."""
    boost = referral_boost(user=user)
    return WaitlistEntry.objects.filter(user=user, invited_at__isnull=True).update(queue_at=F("joined_at") - boost)


@transaction.atomic
def waitlist_leave(*, feature: PreviewFeature, user: User) -> None:
    """Leave a waitlist one has not been invited from yet."""
    WaitlistEntry.objects.filter(feature=feature, user=user, invited_at__isnull=True).delete()


@transaction.atomic
def feature_flag_enable(*, user: User, key: str) -> FeatureFlag:
    """Switch feature `key` on for the account (idempotent)."""
    flag, _created = FeatureFlag.objects.get_or_create(user=user, key=key)
    return flag


@transaction.atomic
def feature_flag_disable(*, flags: object) -> int:
    """Switch the given flags (a queryset) off again; returns how many."""
    count, _detail = flags.delete()  # type: ignore[attr-defined]
    return count


@transaction.atomic
def waitlist_invite_next(*, feature: PreviewFeature, count: int, actor: User | None = None) -> list[WaitlistEntry]:
    """Invite the next `count` people in line: the feature goes on for them, with a notification and e-mail."""
    if not 1 <= count <= MAX_INVITE_BATCH:
        raise DomainError(
            _("Invite between 1 and %(max)d people at once.") % {"max": MAX_INVITE_BATCH},
            code="batch_invalid",
            field="count",
        )
    # Two batches at once take turns, so nobody is invited twice and nobody is skipped.
    feature = PreviewFeature.objects.select_for_update().get(pk=feature.pk)
    now = timezone.now()
    invited = []
    for entry in waitlist_queue(feature=feature)[:count]:
        if not WaitlistEntry.objects.filter(pk=entry.pk, invited_at__isnull=True).update(invited_at=now):
            continue
        entry.invited_at = now
        feature_flag_enable(user=entry.user, key=feature.key)
        notification_send(
            recipient=entry.user,
            kind=NotificationKind.WAITLIST_INVITED,
            params={"feature": feature.name},
            target_url=reverse("growth:preview", args=[feature.key]),
            email=True,
        )
        invited.append(entry)
    return invited
