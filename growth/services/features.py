"""Feature-request writes: create, vote, comment, staff status and RICE, merging duplicates."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from growth.feature_models import FeatureComment, FeatureRequest, FeatureVote
from growth.limits import rate_count
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services import notification_send

Status = FeatureRequest.Status


def _recount(feature_request: FeatureRequest) -> None:
    """Store the request's vote counts from its votes (the caller holds the request's row lock)."""
    counts = feature_request.votes.aggregate(up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1)))
    feature_request.upvotes, feature_request.downvotes = counts["up"], counts["down"]
    feature_request.score = counts["up"] - counts["down"]
    FeatureRequest.objects.filter(pk=feature_request.pk).update(
        upvotes=feature_request.upvotes, downvotes=feature_request.downvotes, score=feature_request.score
    )


def _locked(feature_request: FeatureRequest) -> FeatureRequest:
    return FeatureRequest.objects.select_for_update().get(pk=feature_request.pk)


@transaction.atomic
def feature_request_create(*, author: User, title: str, description: str = "", category: str) -> FeatureRequest:
    """A new request, with its author's up vote."""
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise DomainError(_("Give the request a title of at least 5 characters."), code="title_short", field="title")
    if category not in FeatureRequest.Category.values:
        raise DomainError(_("Choose a category."), code="category_invalid", field="category")
    rate_count(scope="feature_create", key=author.pk)
    feature_request = FeatureRequest.objects.create(
        author=author, title=title[:140], description=(description or "").strip()[:5000], category=category
    )
    FeatureVote.objects.create(feature_request=feature_request, user=author, value=FeatureVote.Value.UP)
    _recount(feature_request)
    record_event(name=EventName.FEATURE_REQUESTED, actor=author, subject=feature_request)
    return feature_request


@transaction.atomic
def feature_vote_set(*, feature_request: FeatureRequest, user: User, value: int) -> FeatureRequest:
    """Vote up (1) or down (-1), or remove the vote (0); one vote per person, changeable."""
    if value not in (1, -1, 0):
        raise DomainError(_("A vote is up or down."), code="vote_invalid", field="value")
    rate_count(scope="feature_vote", key=user.pk)
    # The request's row lock makes votes on one request take turns, so the counts stay exact; the
    # unique (request, person) constraint is what keeps one vote per person whatever happens.
    feature_request = _locked(feature_request)
    if feature_request.merged_into_id is not None:
        raise DomainError(_("This request was merged into another one."), code="merged")
    if value == 0:
        FeatureVote.objects.filter(feature_request=feature_request, user=user).delete()
    else:
        try:
            with transaction.atomic():
                vote, created = FeatureVote.objects.get_or_create(
                    feature_request=feature_request, user=user, defaults={"value": value}
                )
        except IntegrityError:  # a parallel first vote of the same person won
            vote, created = FeatureVote.objects.get(feature_request=feature_request, user=user), False
        if not created and vote.value != value:
            vote.value = value
            vote.save(update_fields=["value"])
    _recount(feature_request)
    record_event(name=EventName.FEATURE_VOTED, actor=user, subject=feature_request, payload={"value": value})
    return feature_request


@transaction.atomic
def feature_comment_create(*, feature_request: FeatureRequest, author: User, body: str) -> FeatureComment:
    """A comment on a request."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a comment."), code="comment_empty", field="body")
    rate_count(scope="feature_comment", key=author.pk)
    return FeatureComment.objects.create(feature_request=feature_request, author=author, body=body[:2000])


@transaction.atomic
def feature_comment_delete(*, comment: FeatureComment) -> None:
    """Delete a comment (it comes from `growth.permissions.feature_comment_get_for_user`)."""
    comment.delete()


@transaction.atomic
def feature_request_set_status(*, feature_request: FeatureRequest, status: str, actor: User) -> FeatureRequest:
    """Staff move a request to a new status; its voters (and author) are notified."""
    if status not in Status.values:
        raise DomainError(_("Choose a status."), code="status_invalid", field="status")
    feature_request = _locked(feature_request)
    if feature_request.status == status:
        return feature_request
    feature_request.status = status
    feature_request.save(update_fields=["status", "updated_at"])
    target = reverse("growth:feature_detail", args=[feature_request.pk])
    recipients = User.objects.filter(
        Q(feature_votes__feature_request=feature_request) | Q(pk=feature_request.author_id), is_active=True
    ).distinct()
    for recipient in recipients.exclude(pk=actor.pk):
        notification_send(
            recipient=recipient,
            kind=NotificationKind.FEATURE_STATUS,
            params={"feature": feature_request.title, "status": status},
            target_url=target,
        )
    return feature_request


@transaction.atomic
def feature_request_update(
    *,
    feature_request: FeatureRequest,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    category: str | None = None,
    status: str | None = None,
    impact: int | None = None,
    confidence: Decimal | None = None,
    effort: int | None = None,
) -> FeatureRequest:
    """Staff edit a request and its RICE inputs; a status change notifies the voters."""
    feature_request = _locked(feature_request)
    fields = []
    for name, value in (("title", title), ("description", description), ("category", category)):
        if value is not None and getattr(feature_request, name) != value:
            setattr(feature_request, name, value)
            fields.append(name)
    for name, value in (("impact", impact), ("effort", effort)):
        if value is not None:
            if not 1 <= int(value) <= 10:
                raise DomainError(_("Use a number from 1 to 10."), code="rice_invalid", field=name)
            setattr(feature_request, name, int(value))
            fields.append(name)
    if confidence is not None:
        if not Decimal("0") < Decimal(confidence) <= Decimal("1"):
            raise DomainError(_("Confidence is above 0 and at most 1."), code="rice_invalid", field="confidence")
        feature_request.confidence = Decimal(confidence)
        fields.append("confidence")
    if fields:
        feature_request.save(update_fields=[*fields, "updated_at"])
    if status is not None:
        feature_request = feature_request_set_status(feature_request=feature_request, status=status, actor=actor)
    return feature_request


@transaction.atomic
def feature_requests_merge(
    *, keep: FeatureRequest, duplicates: Iterable[FeatureRequest], actor: User
) -> FeatureRequest:
    """Merge duplicates into `keep`: votes and comments move, each voter counted once, duplicates closed."""
    others = [d for d in duplicates if d.pk != keep.pk]
    # Lock in id order, so two merges over the same requests cannot deadlock.
    locked = {
        r.pk: r
        for r in FeatureRequest.objects.select_for_update()
        .filter(pk__in=[keep.pk, *[d.pk for d in others]])
        .order_by("pk")
    }
    keep = locked[keep.pk]
    if keep.merged_into_id is not None:
        raise DomainError(_("The request to keep was itself merged into another one."), code="merged")
    for duplicate in (locked[d.pk] for d in others):
        kept_voters = FeatureVote.objects.filter(feature_request=keep).values_list("user_id", flat=True)
        # A person who voted on both keeps the vote they gave the request that stays.
        FeatureVote.objects.filter(feature_request=duplicate, user_id__in=list(kept_voters)).delete()
        FeatureVote.objects.filter(feature_request=duplicate).update(feature_request=keep)
        FeatureComment.objects.filter(feature_request=duplicate).update(feature_request=keep)
        FeatureRequest.objects.filter(merged_into=duplicate).update(merged_into=keep)
        duplicate.merged_into = keep
        duplicate.status = Status.DECLINED
        duplicate.save(update_fields=["merged_into", "status", "updated_at"])
        _recount(duplicate)
    _recount(keep)
    keep.updated_at = timezone.now()
    keep.save(update_fields=["updated_at"])
    return keep
