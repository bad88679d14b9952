"""Scheduled publishing: schedule, cancel, reschedule, retry; the claim loop; one platform's attempt.

Exactly once, by construction:
- The claim loop (a beat task every minute) moves due publications from "scheduled" to "publishing"
  in one transaction: rows locked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so overlapping ticks
  take disjoint rows; on SQLite (one writer at a time) one conditional UPDATE per row. Only the
  transaction that moved a row dispatches its platform tasks, on commit.
- Each platform attempt claims its target with a conditional UPDATE and a fresh token; every save
  of the upload state is fenced by that token (and is the attempt's heartbeat), and only the holder
  records the result. The result is written before the task returns, so it is acknowledged after.
- The client saves where the upload stands before and after every step that creates something on
  the platform; a later attempt resumes that session or looks the post up. A request that timed out
  after the media was sent, where the platform cannot be asked, ends as "unknown": never retried
  unless the person confirms.
- Retries wait in the database (`next_attempt_at`), not in Celery ETAs; the claim loop dispatches
  them when due, and hands attempts whose worker went silent to another worker.
"""

import logging
import random
import secrets
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import limits
from billing.services.usage import usage_record
from config.errors import DomainError, NotFound
from insights.event_names import EventName
from insights.events import record_event
from teams.models import Team, User
from teams.notification_kinds import NotificationKind
from teams.services.emails import email_queue
from teams.services.notifications import notification_send
from videos.models import Video
from videos.platforms import (
    MediaFile,
    PermanentError,
    PostMeta,
    PostStats,
    PublishResult,
    TransientError,
    UnknownOutcome,
    client_class,
)
from videos.platforms.accounts import PROVIDERS, access_token_for, mark_needs_reconnect
from videos.platforms.base import check_media
from videos.publishing_models import Platform, Publication, PublicationTarget

logger = logging.getLogger(__name__)

Status = Publication.Status
TStatus = PublicationTarget.Status
FINAL_TARGET = [TStatus.PUBLISHED, TStatus.FAILED, TStatus.UNKNOWN, TStatus.CANCELLED]
# Earliest schedule: a little ahead of now, so "now" typed into a form is not refused as the past.
PAST_GRACE = timedelta(seconds=60)


class LostClaim(Exception):
    """The attempt no longer holds its target (another attempt took over after it went silent)."""


# --- time zones ------------------------------------------------------------------------------


def local_to_utc(*, local: datetime, time_zone: str, fold: int | None = None) -> datetime:
    """A wall-clock time in `time_zone` as an aware UTC datetime.

    A time that does not exist there (clocks jump forward) is refused with the reason; a time that
    occurs twice (clocks go back) needs `fold` (0: the first, 1: the second) and is refused without it.
    """
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(
            _("Unknown time zone “%(zone)s”.") % {"zone": time_zone}, code="bad_zone", field="time_zone"
        ) from None
    naive = local.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise DomainError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks move forward then (daylight saving time). "
                "Choose a time outside that hour."
            )
            % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": time_zone},
            code="nonexistent_time",
            field="scheduled_at",
        )
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            raise DomainError(
                _(
                    "%(time)s happens twice in %(zone)s: the clocks go back then. Choose whether you mean the "
                    "first (UTC%(first)s) or the second (UTC%(second)s)."
                )
                % {
                    "time": naive.strftime("%Y-%m-%d %H:%M"),
                    "zone": time_zone,
                    "first": first.strftime("%z"),
                    "second": second.strftime("%z"),
                },
                code="ambiguous_time",
                field="scheduled_at",
            )
        chosen = second if fold else first
    else:
        chosen = first
    return chosen.astimezone(zoneinfo.ZoneInfo("UTC"))


def _check_future(when: datetime, now: datetime) -> None:
    if when < now - PAST_GRACE:
        raise DomainError(
            _("That time is in the past. Choose a time from now on, or publish now."),
            code="in_the_past",
            field="scheduled_at",
        )


# --- scheduling -------------------------------------------------------------------------------


def _account(video: Video) -> User | Team:
    return video.team if video.team_id else video.owner


def linked_account_for(*, user: User, platform: str) -> Any:
    """The person's linked account for `platform`, or None."""
    from allauth.socialaccount.models import SocialAccount

    return SocialAccount.objects.filter(user=user, provider=PROVIDERS[platform]).order_by("pk").first()


def _media_of(video: Video, *, url: str = "", path: Path | None = None) -> MediaFile:
    return MediaFile(
        path=path or Path("."),
        size=int(video.size_bytes or 0),
        duration_seconds=video.duration_seconds,
        width=video.width,
        height=video.height,
        url=url,
    )


def _clean_targets(*, user: User, video: Video, targets: list[dict[str, Any]]) -> list[PublicationTarget]:
    if not targets:
        raise DomainError(_("Choose at least one platform."), code="no_platforms", field="platforms")
    built, seen = [], set()
    for spec in targets:
        platform = str(spec.get("platform", ""))
        if platform not in Platform.values:
            raise DomainError(
                _("Unknown platform “%(platform)s”.") % {"platform": platform}, code="bad_platform", field="platforms"
            )
        if platform in seen:
            continue
        seen.add(platform)
        label = Platform(platform).label
        account = linked_account_for(user=user, platform=platform)
        if account is None:
            raise DomainError(
                _("Link your %(platform)s account first (Publishing accounts).") % {"platform": label},
                code="account_not_linked",
                field="platforms",
            )
        # Media that breaks a platform's documented limits is refused now, not after an upload.
        client = client_class(platform)
        try:
            check_media(client.limits, _media_of(video), str(client.label))
        except PermanentError as exc:
            raise DomainError(exc.message, code="media_limit", field="platforms") from None
        tags = spec.get("tags") or []
        if isinstance(tags, str):
            tags = [tag.strip().lstrip("#") for tag in tags.split(",")]
        built.append(
            PublicationTarget(
                platform=platform,
                social_account=account,
                title=str(spec.get("title") or video.title)[:200],
                caption=str(spec.get("caption") or ""),
                privacy=str(spec.get("privacy") or "public"),
                tags=[tag for tag in tags if tag][:30],
            )
        )
    return built


@transaction.atomic
def publication_schedule(
    *,
    user: User,
    video: Video,
    local_time: datetime | None,
    time_zone: str,
    targets: list[dict[str, Any]],
    fold: int | None = None,
    now: datetime | None = None,
) -> Publication:
    """Schedule a ready video (from `video_get_for_user(action=SCHEDULE)`) for a wall-clock time in
    `time_zone` (None: publish now) on one or more linked platforms; counts against the plan."""
    now = now or timezone.now()
    if not video.file or video.status != Video.Status.READY:
        raise DomainError(_("Only a ready video can be published."), code="video_not_ready")
    when = now if local_time is None else local_to_utc(local=local_time, time_zone=time_zone, fold=fold)
    _check_future(when, now)
    built = _clean_targets(user=user, video=video, targets=targets)
    account = _account(video)
    # Two schedules at once would both pass the monthly check: the account's row is the lock.
    locked = (Team if isinstance(account, Team) else User).objects.select_for_update().filter(pk=account.pk)
    if not locked.exists():
        raise NotFound()
    limits.check_usage(account, limits.Metered.PUBLICATIONS)
    publication = Publication.objects.create(
        video=video, owner=user, team_id=video.team_id, scheduled_at=when, time_zone=time_zone
    )
    for target in built:
        target.publication = publication
    PublicationTarget.objects.bulk_create(built)
    usage_record(account=account, kind=limits.Metered.PUBLICATIONS)
    if local_time is None:
        transaction.on_commit(lambda: _enqueue_claim())
    return publication


def _enqueue_claim() -> None:
    from videos.tasks import publications_claim_due_task

    publications_claim_due_task.delay()


@transaction.atomic
def publication_publish_now(*, publication: Publication) -> Publication:
    """Publish a scheduled publication at once instead of at its time."""
    moved = Publication.objects.filter(pk=publication.pk, status=Status.SCHEDULED).update(scheduled_at=timezone.now())
    if not moved:
        raise DomainError(_("Only a scheduled publication can be published now."), code="not_scheduled")
    transaction.on_commit(_enqueue_claim)
    publication.refresh_from_db()
    return publication


@transaction.atomic
def publication_cancel(*, publication: Publication) -> Publication:
    """Cancel a publication that has not started (its place in the month's count is not given back)."""
    cancelled = Publication.objects.filter(pk=publication.pk, status=Status.SCHEDULED).update(
        status=Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        raise DomainError(_("Only a scheduled publication can be cancelled."), code="not_cancellable")
    publication.targets.filter(status=TStatus.PENDING).update(status=TStatus.CANCELLED)
    publication.refresh_from_db()
    return publication


@transaction.atomic
def publication_reschedule(
    *,
    publication: Publication,
    local_time: datetime,
    time_zone: str,
    fold: int | None = None,
    now: datetime | None = None,
) -> Publication:
    """Move a scheduled publication to another wall-clock time (and zone)."""
    now = now or timezone.now()
    when = local_to_utc(local=local_time, time_zone=time_zone, fold=fold)
    _check_future(when, now)
    moved = Publication.objects.filter(pk=publication.pk, status=Status.SCHEDULED).update(
        scheduled_at=when, time_zone=time_zone
    )
    if not moved:
        raise DomainError(_("Only a scheduled publication can be rescheduled."), code="not_scheduled")
    publication.refresh_from_db()
    return publication


@transaction.atomic
def publication_retry(*, publication: Publication, confirm_unknown: bool = False) -> Publication:
    """Try the failed platforms of a finished publication again. A platform whose outcome is unknown
    is only retried with `confirm_unknown` (the person checked the post is not there: a blind retry
    could post twice); without it such platforms are left as they are."""
    targets = list(publication.targets.filter(status__in=[TStatus.FAILED, TStatus.UNKNOWN]))
    unknown = [t for t in targets if t.status == TStatus.UNKNOWN]
    chosen = [t for t in targets if t.status == TStatus.FAILED] + (unknown if confirm_unknown else [])
    if not chosen and unknown:
        raise DomainError(
            _(
                "Whether the video was published on %(platforms)s is unknown. Check the platform first; "
                "retrying may post it twice. Confirm to retry anyway."
            )
            % {"platforms": ", ".join(str(t.get_platform_display()) for t in unknown)},
            code="unknown_needs_confirmation",
        )
    if not chosen:
        raise DomainError(_("No platform of this publication needs another try."), code="not_retryable")
    for target in chosen:
        target_retry(target=target, confirm_unknown=confirm_unknown)
    publication.refresh_from_db()
    return publication


@transaction.atomic
def target_retry(*, target: PublicationTarget, confirm_unknown: bool = False) -> PublicationTarget:
    """Try one failed (or, confirmed, unknown) platform again, from a fresh upload."""
    allowed = [TStatus.FAILED, TStatus.UNKNOWN] if confirm_unknown else [TStatus.FAILED]
    retried = PublicationTarget.objects.filter(pk=target.pk, status__in=allowed).update(
        status=TStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now() + timedelta(seconds=settings.PUBLISHING_STALE_AFTER_SECONDS),
        upload_state={},
        claim_token="",
        error_message="",
        error_action="",
    )
    if not retried:
        if target.status == TStatus.UNKNOWN:
            raise DomainError(
                _("Whether this was published is unknown; confirm that you checked the platform to retry."),
                code="unknown_needs_confirmation",
            )
        raise DomainError(_("Only a failed platform can be tried again."), code="not_retryable")
    Publication.objects.filter(pk=target.publication_id).update(status=Status.PUBLISHING, finished_at=None)
    _dispatch([target.pk])
    target.refresh_from_db()
    return target


@transaction.atomic
def target_confirm_published(*, target: PublicationTarget, public_url: str = "") -> PublicationTarget:
    """The person found the post of an unknown outcome on the platform: record it as published."""
    confirmed = PublicationTarget.objects.filter(pk=target.pk, status=TStatus.UNKNOWN).update(
        status=TStatus.PUBLISHED,
        public_url=public_url[:500],
        published_at=timezone.now(),
        error_message="",
        error_action="",
    )
    if not confirmed:
        raise DomainError(_("Only a platform with an unknown outcome can be confirmed."), code="not_unknown")
    Publication.objects.filter(pk=target.publication_id).update(status=Status.PUBLISHING)
    _finish_if_done(target.publication_id)
    target.refresh_from_db()
    return target


# --- the claim loop ---------------------------------------------------------------------------


def _dispatch(target_ids: list[int]) -> None:
    if not target_ids:
        return
    from videos.tasks import publish_target_task

    def send() -> None:
        # One producer (one broker connection) for the whole batch, not one per message.
        with publish_target_task.app.producer_or_acquire() as producer:
            for target_id in target_ids:
                publish_target_task.apply_async((target_id,), producer=producer)

    transaction.on_commit(send)


def _take(queryset: Any, limit: int, moved: Callable[[Any], int]) -> list[int]:
    """The ids of up to `limit` rows of `queryset` that this call moves with `moved` (a conditional
    UPDATE of a queryset narrowed to one id or to the locked ids): on PostgreSQL the rows are locked
    with SKIP LOCKED, so overlapping calls take disjoint rows without waiting; SQLite has one writer
    at a time and the conditional UPDATE of each row decides it alone."""
    if connection.features.has_select_for_update_skip_locked:
        ids = list(queryset.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[:limit])
        if ids:
            moved(queryset.model.objects.filter(pk__in=ids))
        return ids
    return [pk for pk in queryset.values_list("pk", flat=True)[:limit] if moved(queryset.filter(pk=pk))]


def publications_claim_due(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Claim due publications exactly once and dispatch one task per platform; wake due retries and
    attempts whose worker went silent, and dispatch those once per lease. The one scheduler of
    publishing: every dispatch holds a lease (`next_attempt_at`) of the stale time, so a task lost
    on its way to a worker is sent again after it, and never sooner."""
    now = now or timezone.now()
    limit = limit or settings.PUBLISHING_CLAIM_BATCH
    lease = now + timedelta(seconds=settings.PUBLISHING_STALE_AFTER_SECONDS)
    with transaction.atomic():
        due = Publication.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now).order_by("scheduled_at", "pk")
        ids = _take(
            due,
            limit,
            lambda rows: rows.filter(status=Status.SCHEDULED).update(status=Status.PUBLISHING, claimed_at=now),
        )
        pending = PublicationTarget.objects.filter(publication_id__in=ids, status=TStatus.PENDING)
        targets = list(pending.values_list("pk", flat=True))
        pending.update(next_attempt_at=lease)
        _dispatch(targets)
    stale = now - timedelta(seconds=settings.PUBLISHING_STALE_AFTER_SECONDS)
    wake = (
        Q(status=TStatus.RETRY_WAIT, next_attempt_at__lte=now)
        | Q(status=TStatus.UPLOADING, claimed_at__lt=stale)
        | Q(status=TStatus.PENDING, next_attempt_at__lte=now, publication__status=Status.PUBLISHING)
    )
    with transaction.atomic():
        # Back to pending under a new lease: the silent attempt's token no longer holds the target
        # (its next save stops it), and its upload state stays for the next attempt to resume.
        again = _take(
            PublicationTarget.objects.filter(wake).order_by("next_attempt_at", "pk"),
            limit,
            lambda rows: rows.filter(wake).update(status=TStatus.PENDING, claim_token="", next_attempt_at=lease),
        )
        _dispatch(again)
    return {"claimed": len(ids), "dispatched": len(targets), "redispatched": len(again)}


# --- one platform's attempt -------------------------------------------------------------------


def _claim_target(target_id: int, now: datetime) -> str | None:
    # Pending targets only: the claim loop wakes retries and silent attempts by moving them back
    # to pending, so a duplicate message can never start a retry before its time.
    token = secrets.token_hex(8)
    claimed = PublicationTarget.objects.filter(
        pk=target_id, status=TStatus.PENDING, publication__status=Status.PUBLISHING
    ).update(status=TStatus.UPLOADING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    return token if claimed else None


def _held(target_id: int, token: str) -> Any:
    return PublicationTarget.objects.filter(pk=target_id, status=TStatus.UPLOADING, claim_token=token)


@contextmanager
def _local_file(name: str) -> Iterator[Path]:
    """The stored file as a local path: the file itself on local storage, a temporary copy otherwise."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(prefix="video-publish-", suffix=Path(name).suffix) as handle:
        with default_storage.open(name, "rb") as source:
            while chunk := source.read(1024 * 1024):
                handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def _media_url(name: str) -> str:
    url = default_storage.url(name, expire=6 * 3600)
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def target_publish(*, target_id: int, now: datetime | None = None) -> str:
    """One attempt at one platform: claim, upload (resuming), record the result. What happened:
    "skipped" (not claimable: done, running elsewhere, or not due), "published", "retry", "failed",
    "unknown" or "lost" (another attempt took over)."""
    now = now or timezone.now()
    token = _claim_target(target_id, now)
    if token is None:
        return "skipped"
    target = PublicationTarget.objects.select_related("publication__video", "social_account").get(pk=target_id)
    video = target.publication.video

    def save_state(state: dict[str, Any]) -> None:
        # The attempt's heartbeat too; a lost claim stops the attempt before its next request.
        if not _held(target_id, token).update(upload_state=state, claimed_at=timezone.now()):
            raise LostClaim

    try:
        if target.social_account_id is None:
            raise PermanentError(
                _("The account this was scheduled with is no longer linked."),
                action=_("Link the account again, then try again."),
            )
        if not video.file:
            raise PermanentError(_("The video no longer has a file."), action=_("Render the video again."))
        access_token = access_token_for(account_id=target.social_account_id)
        client = client_class(target.platform)(
            access_token=access_token,
            account_uid=target.social_account.uid,
            account_data=target.social_account.extra_data,
            state=target.upload_state,
            save_state=save_state,
        )
        meta = PostMeta(title=target.title, caption=target.caption, privacy=target.privacy, tags=list(target.tags))
        with _local_file(video.file.name) as path:
            media = _media_of(
                video, path=path, url=_media_url(video.file.name) if target.platform == Platform.INSTAGRAM else ""
            )
            media.size = path.stat().st_size
            result = client.publish(media, meta)
    except LostClaim:
        return "lost"
    except TransientError as exc:
        return _record_transient(target, token, exc)
    except PermanentError as exc:
        if exc.status == 401 and target.social_account_id:
            mark_needs_reconnect(target.social_account_id)
        return _record_final(target, token, TStatus.FAILED, message=exc.message, action=exc.action)
    except UnknownOutcome as exc:
        return _record_final(target, token, TStatus.UNKNOWN, message=exc.message, action=exc.action)
    except Exception as exc:
        # A fault of ours (or a malformed answer) may come after the platform published: never
        # guess, let the person check.
        logger.exception("Publishing target %s failed unexpectedly", target_id)
        return _record_final(
            target,
            token,
            TStatus.UNKNOWN,
            message=_("Publishing stopped unexpectedly (%(reason)s).") % {"reason": type(exc).__name__},
            action=_("Check the platform; confirm the post if it is there, or try again."),
        )
    return _record_success(target, token, result)


def _record_success(target: PublicationTarget, token: str, result: PublishResult) -> str:
    with transaction.atomic():
        if not _held(target.pk, token).update(
            status=TStatus.PUBLISHED,
            remote_id=result.remote_id[:200],
            public_url=result.public_url[:500],
            published_at=timezone.now(),
            error_message="",
            error_action="",
            claim_token="",
        ):
            return "lost"
        Video.objects.filter(pk=target.publication.video_id, published_at__isnull=True).update(
            published_at=timezone.now()
        )
        _finish_if_done(target.publication_id)
    return "published"


def _record_final(target: PublicationTarget, token: str, status: str, *, message: str, action: str) -> str:
    with transaction.atomic():
        if not _held(target.pk, token).update(
            status=status, error_message=str(message)[:2000], error_action=str(action)[:1000], claim_token=""
        ):
            return "lost"
        _finish_if_done(target.publication_id)
    return "failed" if status == TStatus.FAILED else "unknown"


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter (30 s, 60 s, 120 s … up to an hour), never sooner than Retry-After."""
    wait = min(3600.0, 30.0 * 2 ** max(attempts - 1, 0)) * random.uniform(0.8, 1.2)
    return max(wait, retry_after or 0.0)


def _record_transient(target: PublicationTarget, token: str, exc: TransientError) -> str:
    attempts = PublicationTarget.objects.filter(pk=target.pk).values_list("attempts", flat=True).first() or 0
    if attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
        return _record_final(
            target,
            token,
            TStatus.FAILED,
            message=_("%(detail)s Gave up after %(count)d attempts.") % {"detail": exc.message, "count": attempts},
            action=_("Try again later; if it keeps failing, check the platform's status page."),
        )
    retry_at = timezone.now() + timedelta(seconds=backoff_seconds(attempts, exc.retry_after))
    updated = _held(target.pk, token).update(
        status=TStatus.RETRY_WAIT, next_attempt_at=retry_at, error_message=exc.message[:2000], claim_token=""
    )
    return "retry" if updated else "lost"


def _finish_if_done(publication_id: int) -> None:
    """Once every platform has an outcome, set the publication's and announce it (only the call that
    moved the status announces, so two last platforms finishing at once announce once)."""
    statuses = list(PublicationTarget.objects.filter(publication_id=publication_id).values_list("status", flat=True))
    if not statuses or any(status not in FINAL_TARGET for status in statuses):
        return
    published = statuses.count(TStatus.PUBLISHED)
    live = [s for s in statuses if s != TStatus.CANCELLED]
    if published and published == len(live):
        final = Status.PUBLISHED
    elif published:
        final = Status.PARTLY_PUBLISHED
    else:
        final = Status.FAILED
    if Publication.objects.filter(pk=publication_id, status=Status.PUBLISHING).update(
        status=final, finished_at=timezone.now()
    ):
        _announce(Publication.objects.select_related("video", "owner").get(pk=publication_id))


def _announce(publication: Publication) -> None:
    targets = list(publication.targets.all())
    results = [
        {"platform": t.platform, "status": t.status, "remote_id": t.remote_id, "url": t.public_url} for t in targets
    ]
    if publication.status in (Status.PUBLISHED, Status.PARTLY_PUBLISHED):
        record_event(
            name=EventName.VIDEO_PUBLISHED,
            actor=publication.owner,
            subject=publication.video,
            payload={"video_id": publication.video_id, "publication_id": publication.pk, "results": results},
        )
    owner = publication.owner
    page = reverse("videos:publication_detail", args=[publication.pk])
    notification_send(
        recipient=owner,
        kind=NotificationKind.PUBLISH_RESULT,
        params={
            "video": publication.video.title,
            "platform": ", ".join(str(t.get_platform_display()) for t in targets),
            "result": publication.status,
        },
        target_url=page,
        email=False,  # the e-mail below carries every platform's result
    )
    if owner.is_active and owner.email:
        email_queue(
            to=owner.email,
            template="videos/email/publication_result",
            context={
                "user": owner,
                "video_title": publication.video.title,
                "status": Status(publication.status).label,
                "results": [
                    {
                        "platform": Platform(t.platform).label,
                        "status": TStatus(t.status).label,
                        "url": t.public_url,
                        "error": t.error_message,
                        "action": t.error_action,
                    }
                    for t in targets
                ],
                "url": settings.SITE_URL.rstrip("/") + page,
            },
            language=owner.language,
        )


def target_stats(*, target: PublicationTarget) -> PostStats:
    """The published post's views, likes and shares as its platform counts them (for analytics)."""
    if target.status != TStatus.PUBLISHED or not target.remote_id or target.social_account_id is None:
        raise DomainError(_("Only a published post has statistics."), code="not_published")
    client = client_class(target.platform)(
        access_token=access_token_for(account_id=target.social_account_id),
        account_uid=target.social_account.uid,
        account_data=target.social_account.extra_data,
    )
    return client.stats(target.remote_id)


__all__ = [
    "backoff_seconds",
    "linked_account_for",
    "local_to_utc",
    "publication_cancel",
    "publication_publish_now",
    "publication_reschedule",
    "publication_retry",
    "publication_schedule",
    "publications_claim_due",
    "target_confirm_published",
    "target_publish",
    "target_retry",
    "target_stats",
]
