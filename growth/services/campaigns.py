"""Campaign writes: staff's edits, the evaluation that claims recipients, the batched sender, and
what recipients do with a mail (open, click, unsubscribe, preferences).

At most once per person is the database's rule: a `CampaignSend` row is unique per campaign, person
and period, and recipients are claimed with one `INSERT … SELECT … ON CONFLICT DO NOTHING` per
campaign, so two evaluations at once (or one run twice) claim each person once. The sender takes
pending rows in batches, flips each with a conditional UPDATE and queues its mail in the same
transaction: a crash rolls both back and the next run resumes where it stopped, without duplicates.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import DomainError
from config.throttling import person_rate_count
from growth.assignment import experiment_choose, experiment_live
from growth.campaign_audiences import campaign_period, campaign_recipients
from growth.campaign_emails import campaign_email_queue
from growth.campaign_models import Campaign, CampaignSend, CampaignSubject, EmailCategory, EmailOptOut, Trigger
from growth.experiments_models import ExperimentAssignment
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User

TRACKING_SCOPE = "email_tracking"
PREFERENCES_SCOPE = "email_preferences"


def _validated(campaign: Campaign) -> Campaign:
    from django.core.exceptions import ValidationError

    try:
        campaign.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
    return campaign


@transaction.atomic
def campaign_save(*, campaign: Campaign) -> Campaign:
    """Create or change a campaign (staff, in the ops console)."""
    if campaign.pk:
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if current.status in {Campaign.Status.SENDING, Campaign.Status.SENT} and not campaign.is_lifecycle:
            raise DomainError(_("A campaign that has started sending cannot be changed."))
    _validated(campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_subject_save(*, subject: CampaignSubject) -> CampaignSubject:
    """Save a variant's subject line; the variant must belong to the campaign's experiment."""
    campaign = subject.campaign
    if campaign.subject_experiment_id is None or subject.variant.experiment_id != campaign.subject_experiment_id:
        raise DomainError(_("Choose a variant of the campaign's subject-line experiment."), field="variant")
    subject.save()
    return subject


@transaction.atomic
def campaign_subject_delete(*, subject: CampaignSubject) -> None:
    """Remove a variant's subject line (that variant then gets the campaign's own subject)."""
    CampaignSubject.objects.filter(pk=subject.pk).delete()


@transaction.atomic
def campaign_pause(*, campaign: Campaign) -> Campaign:
    """Stop a lifecycle campaign (nobody new is claimed; claimed mail still goes) or hold a one-off."""
    Campaign.objects.filter(pk=campaign.pk).exclude(status=Campaign.Status.SENT).update(status=Campaign.Status.PAUSED)
    campaign.refresh_from_db(fields=["status"])
    return campaign


@transaction.atomic
def campaign_activate(*, campaign: Campaign) -> Campaign:
    """Switch a lifecycle campaign on (the next evaluation claims its recipients)."""
    if not campaign.is_lifecycle:
        raise DomainError(_("A one-off campaign is sent or scheduled, not switched on."))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    campaign.refresh_from_db(fields=["status"])
    return campaign


def _claim(campaign: Campaign, now: datetime, *, window: bool) -> int:
    """Claim everyone the campaign goes to now, in one statement; the people already claimed for
    this period are skipped by the unique constraint. Returns how many were claimed."""
    people = campaign_recipients(campaign, now, window=window).annotate(recipient_id=F("pk")).values("recipient_id")
    people_sql, people_params = people.query.sql_with_params()
    table = CampaignSend._meta.db_table
    # `WHERE 1 = 1` keeps SQLite from reading ON CONFLICT as a join's ON.
    sql = (
        f"INSERT INTO {table} (campaign_id, user_id, period, status, variant_key, created_at)"  # noqa: S608 (our own table; values are parameters)
        f" SELECT %s, people.recipient_id, %s, %s, '', %s FROM ({people_sql}) AS people WHERE 1 = 1"
        " ON CONFLICT (campaign_id, user_id, period) DO NOTHING"
    )
    created_at = connection.ops.adapt_datetimefield_value(now)
    params = (campaign.pk, campaign_period(campaign, now), str(CampaignSend.Status.PENDING), created_at, *people_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def campaigns_evaluate(*, now: datetime | None = None) -> dict[str, int]:
    """Claim the recipients of every active lifecycle campaign (one statement each); the sender
    mails them. Returns the number claimed per campaign key."""
    now = now or timezone.now()
    claimed: dict[str, int] = {}
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE).exclude(trigger=Trigger.ONE_OFF):
        with transaction.atomic():
            claimed[campaign.key] = _claim(campaign, now, window=True)
    if any(claimed.values()):
        from growth.tasks import campaign_sends_deliver_task

        transaction.on_commit(campaign_sends_deliver_task.delay)
    return claimed


@transaction.atomic
def campaign_send_now(*, campaign: Campaign, now: datetime | None = None) -> int:
    """Start sending a one-off campaign: claim its whole audience now (every time zone), then the
    sender mails it in throttled batches. Returns the recipient count."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_lifecycle:
        raise DomainError(_("Lifecycle campaigns are sent by their trigger."))
    if campaign.status in {Campaign.Status.SENDING, Campaign.Status.SENT}:
        raise DomainError(_("This campaign has already been sent."))
    count = _claim(campaign, now, window=False)
    campaign.status = Campaign.Status.SENDING
    campaign.started_at = now
    campaign.save(update_fields=["status", "started_at"])
    from growth.tasks import campaign_sends_deliver_task

    transaction.on_commit(campaign_sends_deliver_task.delay)
    return count


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, at: datetime) -> Campaign:
    """Have a one-off campaign sent at `at` (the every-minute sender starts it)."""
    if campaign.is_lifecycle:
        raise DomainError(_("Lifecycle campaigns are sent by their trigger."))
    updated = Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.PAUSED]
    ).update(status=Campaign.Status.SCHEDULED, scheduled_at=at)
    if not updated:
        raise DomainError(_("Only a draft or held campaign can be scheduled."))
    campaign.refresh_from_db(fields=["status", "scheduled_at"])
    return campaign


def campaign_send_test(*, campaign: Campaign, staff: User) -> int:
    """Mail the campaign to the staff member themselves, in their language; nothing is counted."""
    return campaign_email_queue(campaign=campaign, user=staff, send_id=None, subject_prefix="[TEST] ").pk


def campaigns_start_due(*, now: datetime | None = None) -> int:
    """Start the scheduled one-off campaigns whose time has come; returns how many."""
    now = now or timezone.now()
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED, scheduled_at__lte=now).values_list("pk", flat=True)
    started = 0
    for campaign_id in list(due):
        try:
            campaign_send_now(campaign=Campaign(pk=campaign_id), now=now)
            started += 1
        except DomainError:
            pass  # started by a parallel run
    return started


def _subject_variant(campaign: Campaign, user: User) -> tuple[int | None, str]:
    """The subject-line variant `user` gets (experiments module: hash, sticky, exposure once)."""
    if campaign.subject_experiment_id is None:
        return None, ""
    live = experiment_live(campaign.subject_experiment.key)
    if live is None:
        return None, ""
    assigned = (
        ExperimentAssignment.objects.filter(experiment_id=live.id, user=user)
        .values_list("variant_id", flat=True)
        .first()
    )
    choice = experiment_choose(live, hash_value=str(user.pk), assigned_variant_id=assigned)
    if choice.counted and not choice.sticky:
        from growth.services.experiments import experiment_expose

        experiment_expose(experiment=live, variant=choice.variant, user=user)
    return choice.variant.id, choice.variant.key


def _budget(now: datetime) -> int:
    sent_last_minute = CampaignSend.objects.filter(sent_at__gt=now - timedelta(minutes=1)).count()
    return max(0, min(settings.CAMPAIGN_SEND_BATCH_SIZE, settings.CAMPAIGN_SEND_RATE_PER_MINUTE - sent_last_minute))


@transaction.atomic
def campaign_sends_deliver_batch(*, now: datetime | None = None) -> int:
    """Mail one batch of pending sends, within CAMPAIGN_SEND_RATE_PER_MINUTE; returns how many were
    handled (0: nothing left, or the minute's budget is spent)."""
    now = now or timezone.now()
    budget = _budget(now)
    if budget == 0:
        return 0
    ids = list(
        CampaignSend.objects.filter(status=CampaignSend.Status.PENDING)
        .order_by("id")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:budget]
    )
    rows = CampaignSend.objects.filter(pk__in=ids).select_related("campaign", "campaign__subject_experiment", "user")
    opted_out = set(EmailOptOut.objects.filter(user__campaign_sends__in=ids).values_list("user_id", "category"))
    handled = 0
    for send in rows:
        if (send.user_id, send.campaign.category) in opted_out or not send.user.is_active:
            status = CampaignSend.Status.SKIPPED
        else:
            status = CampaignSend.Status.SENT
        # The conditional UPDATE is the claim: a row another sender took is left alone.
        if not CampaignSend.objects.filter(pk=send.pk, status=CampaignSend.Status.PENDING).update(
            status=status, sent_at=now if status == CampaignSend.Status.SENT else None
        ):
            continue
        handled += 1
        if status == CampaignSend.Status.SKIPPED:
            continue
        variant_id, variant_key = _subject_variant(send.campaign, send.user)
        email = campaign_email_queue(campaign=send.campaign, user=send.user, send_id=send.pk, variant_id=variant_id)
        CampaignSend.objects.filter(pk=send.pk).update(email_id=email.pk, variant_key=variant_key)
    _finish_sent_campaigns(now)
    return handled


def _finish_sent_campaigns(now: datetime) -> None:
    Campaign.objects.filter(status=Campaign.Status.SENDING).exclude(sends__status=CampaignSend.Status.PENDING).update(
        status=Campaign.Status.SENT, finished_at=now
    )


def campaign_sends_deliver(*, now: datetime | None = None, max_batches: int = 100) -> int:
    """Mail pending sends batch after batch until none are left or the rate's budget is spent."""
    total = 0
    for _batch in range(max_batches):
        handled = campaign_sends_deliver_batch(now=now)
        total += handled
        if handled == 0:
            break
    return total


# --- What recipients do -------------------------------------------------------------------


def _send_for_tracking(send_id: int) -> CampaignSend | None:
    send = CampaignSend.objects.select_related("campaign", "user").filter(pk=send_id).first()
    if send is not None:
        person_rate_count(scope=TRACKING_SCOPE, person_id=send.user_id)
    return send


@transaction.atomic
def campaign_send_opened(*, send_id: int, now: datetime | None = None) -> bool:
    """Record the first open of a campaign e-mail (`email.opened`); later opens change nothing."""
    now = now or timezone.now()
    send = _send_for_tracking(send_id)
    if send is None or not CampaignSend.objects.filter(pk=send_id, opened_at=None).update(opened_at=now):
        return False
    record_event(name=EventName.EMAIL_OPENED, actor=send.user, subject=send, payload={"campaign": send.campaign.key})
    return True


@transaction.atomic
def campaign_send_clicked(*, send_id: int, target: str, now: datetime | None = None) -> bool:
    """Record the first click in a campaign e-mail (`email.clicked`); a click also counts as an open."""
    now = now or timezone.now()
    send = _send_for_tracking(send_id)
    if send is None:
        return False
    CampaignSend.objects.filter(pk=send_id, opened_at=None).update(opened_at=now)
    if not CampaignSend.objects.filter(pk=send_id, clicked_at=None).update(clicked_at=now):
        return False
    record_event(
        name=EventName.EMAIL_CLICKED,
        actor=send.user,
        subject=send,
        payload={"campaign": send.campaign.key, "url": target[:500]},
    )
    return True


@transaction.atomic
def email_unsubscribe(*, user: User, category: str, send_id: int | None = None) -> bool:
    """Opt `user` out of one marketing category (a one-click unsubscribe); True if it was new."""
    if category not in EmailCategory.values:
        raise DomainError(_("Unknown e-mail category."))
    person_rate_count(scope=PREFERENCES_SCOPE, person_id=user.pk)
    _opt_out, created = EmailOptOut.objects.get_or_create(user=user, category=category)
    if send_id is not None:
        CampaignSend.objects.filter(pk=send_id, user=user, unsubscribed_at=None).update(unsubscribed_at=timezone.now())
    return created


@transaction.atomic
def email_preferences_save(*, user: User, categories: set[str]) -> None:
    """Keep sending the marketing categories in `categories`, opt out of the others."""
    person_rate_count(scope=PREFERENCES_SCOPE, person_id=user.pk)
    unknown = categories - set(EmailCategory.values)
    if unknown:
        raise DomainError(_("Unknown e-mail category."))
    EmailOptOut.objects.filter(user=user, category__in=categories).delete()
    for category in set(EmailCategory.values) - categories:
        EmailOptOut.objects.get_or_create(user=user, category=category)
