"""Demo data for web push: a month of the demo creator's pushes, so the ops console's figures per
kind (sent → shown → clicked) have something to show. No browser is subscribed: these are history."""

from datetime import timedelta

from django.utils import timezone

from teams.models import PushDelivery, User
from teams.notification_kinds import NotificationKind

# kind, params, how many sent, shown, clicked, and answered 410 (the browser was gone)
HISTORY = [
    (NotificationKind.RENDER_FINISHED, {"video": "Product teaser"}, 24, 21, 12, 1),
    (NotificationKind.MENTION, {"actor": "Tess Teammate", "video": "Product teaser"}, 9, 8, 6, 0),
    (NotificationKind.EXPORT_READY, {"export": "Campaign cut-downs"}, 5, 5, 4, 0),
    (
        NotificationKind.PUBLISH_RESULT,
        {"video": "Product teaser", "platform": "YouTube", "result": "published"},
        6,
        5,
        2,
        0,
    ),
    (NotificationKind.PROMOTIONS, {"text": "Pro is 20 % off this week."}, 12, 9, 1, 1),
]


def load(*, creator: User, staff: User) -> None:
    """Write the push history once; running it again changes nothing."""
    if PushDelivery.objects.filter(user=creator).exists():
        return
    now = timezone.now()
    rows = []
    for kind, params, sent, shown, clicked, gone in HISTORY:
        for n in range(sent + gone):
            created = now - timedelta(days=n % 28, hours=n)
            is_sent = n < sent
            rows.append(
                PushDelivery(
                    user=creator,
                    kind=kind,
                    params=params,
                    target_url="/notifications/",
                    status=PushDelivery.Status.SENT if is_sent else PushDelivery.Status.GONE,
                    attempts=1,
                    response_status=201 if is_sent else 410,
                    created_at=created,
                    sent_at=created + timedelta(seconds=1) if is_sent else None,
                    shown_at=created + timedelta(seconds=2) if n < shown else None,
                    clicked_at=created + timedelta(minutes=3) if n < clicked else None,
                )
            )
    PushDelivery.objects.bulk_create(rows)
