"""Claiming recipients once, the throttled batched sender, the e-mail's language and headers, A/B
subject lines, and that unsubscribing stops marketing mail but not account mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from growth.campaign_models import Campaign, CampaignSend, CampaignSubject, EmailOptOut
from growth.services import campaigns as campaign_services
from growth.services.campaigns import (
    campaign_send_now,
    campaign_sends_deliver,
    campaign_sends_deliver_batch,
    campaigns_evaluate,
    email_unsubscribe,
)
from teams.models import OutboundEmail
from teams.services.emails import email_queue
from tests.growth.campaigns import NOW, campaign, one_off, only_active, person, videos_for
from tests.growth.experiments import running_experiment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _welcome_only(db):
    only_active("welcome")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """The sender's run at `now`, with the outbox's own task run once it commits (as a worker would)."""

    def run(now=NOW) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return campaign_sends_deliver(now=now)

    return run


def test_an_evaluation_run_twice_claims_and_sends_each_person_once(deliver):
    newcomer = person(joined_days_ago=0.1, email="newcomer@example.com")
    assert campaigns_evaluate(now=NOW)["welcome"] == 1
    assert campaigns_evaluate(now=NOW)["welcome"] == 0
    deliver(NOW)
    deliver(NOW)
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert CampaignSend.objects.get(user=newcomer).status == CampaignSend.Status.SENT


def test_the_database_refuses_a_second_send_of_the_same_campaign_and_period():
    from django.db import IntegrityError

    someone = person(joined_days_ago=1)
    CampaignSend.objects.create(campaign=campaign("welcome"), user=someone)
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignSend.objects.create(campaign=campaign("welcome"), user=someone)


def test_the_mail_is_in_the_recipients_language_with_the_one_click_unsubscribe_headers(deliver):
    spanish = person(joined_days_ago=0.1, language="es", email="es@example.com")
    english = person(joined_days_ago=0.1, email="en@example.com")
    sale = one_off()
    campaign_send_now(campaign=sale, now=NOW)
    deliver(NOW)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person[spanish.email].subject == "Rebajas de primavera: 20 % en Pro"
    assert f"Hola {spanish.name}" in by_person[spanish.email].body
    assert by_person[english.email].subject == "Spring sale: 20 % off Pro"
    assert "Ver Pro" in by_person[spanish.email].alternatives[0][0]
    message = by_person[english.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http://testserver") or link.startswith("<http")
    assert "mailto:" not in link
    assert "/email/unsubscribe/" in link


def test_a_missing_translation_falls_back_to_english(deliver):
    german = person(joined_days_ago=30, language="de")
    campaign_send_now(campaign=one_off(), now=NOW)  # written in English and Spanish only
    deliver(NOW)
    [message] = [m for m in mail.outbox if m.to == [german.email]]
    assert message.subject == "Spring sale: 20 % off Pro"


def test_the_nine_lifecycle_campaigns_speak_all_nine_languages(settings):
    seeded = Campaign.objects.exclude(trigger="one_off")
    assert seeded.count() == 9
    for lifecycle in seeded:
        for code, _name in settings.LANGUAGES:
            column = code.replace("-", "_")
            assert getattr(lifecycle, f"subject_{column}") and getattr(lifecycle, f"body_{column}"), (lifecycle, code)
            assert "{name}" in getattr(lifecycle, f"body_{column}")


def test_unsubscribed_people_get_no_marketing_mail_but_still_get_account_mail(
    deliver, django_capture_on_commit_callbacks
):
    leaver = person(joined_days_ago=0.1, email="leaver@example.com")
    email_unsubscribe(user=leaver, category="tips")
    campaigns_evaluate(now=NOW)
    deliver(NOW)
    assert mail.outbox == []
    # Transactional mail goes through the same entry point, untouched by marketing choices.
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to=leaver.email,
            template="teams/email/notification",
            context={"user": leaver, "text": "Your export is ready.", "target_url": "http://testserver/exports/"},
            language="en",
        )
    assert [m.to for m in mail.outbox] == [[leaver.email]]


def test_someone_who_unsubscribes_after_being_claimed_is_skipped_at_send_time(deliver):
    person_ = person(joined_days_ago=0.1)
    campaigns_evaluate(now=NOW)
    EmailOptOut.objects.create(user=person_, category="tips")
    deliver(NOW)
    assert mail.outbox == []
    assert CampaignSend.objects.get(user=person_).status == CampaignSend.Status.SKIPPED


def test_a_one_off_campaign_goes_to_its_segment_in_batches_at_the_configured_rate(settings, deliver):
    settings.CAMPAIGN_SEND_RATE_PER_MINUTE = 3
    settings.CAMPAIGN_SEND_BATCH_SIZE = 2
    makers = [person(joined_days_ago=30, language="en") for _ in range(5)]
    for maker in makers:
        videos_for(maker, 2)
    person(joined_days_ago=30, language="en")  # no videos: outside the segment
    person(joined_days_ago=30, language="fr")  # another language
    sale = one_off(audience_language="en", audience_min_videos=1)
    assert campaign_send_now(campaign=sale, now=NOW) == 5
    assert deliver(NOW) == 3  # the minute's budget
    assert len(mail.outbox) == 3
    assert deliver(NOW) == 0
    later = NOW.replace(minute=5)
    assert deliver(later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in makers)
    sale.refresh_from_db()
    assert sale.status == Campaign.Status.SENT
    with pytest.raises(Exception, match="already been sent"):
        campaign_send_now(campaign=sale, now=later)


def test_a_crash_in_the_middle_of_a_batch_loses_nothing_and_sends_nothing_twice(monkeypatch, deliver):
    people = [person(joined_days_ago=30) for _ in range(4)]
    sale = one_off()
    campaign_send_now(campaign=sale, now=NOW)
    real_queue = campaign_services.campaign_email_queue
    calls = {"n": 0}

    def queue_then_die(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(campaign_services, "campaign_email_queue", queue_then_die)
    with pytest.raises(RuntimeError):
        campaign_sends_deliver_batch(now=NOW)
    # The batch rolled back whole: its claims and its outbox rows alike.
    assert OutboundEmail.objects.count() == 0
    assert CampaignSend.objects.filter(status=CampaignSend.Status.PENDING).count() == 4
    monkeypatch.setattr(campaign_services, "campaign_email_queue", real_queue)
    deliver(NOW)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_ab_subject_lines_come_from_the_experiments_assignment(deliver):
    experiment = running_experiment(key="welcome_subject")
    variants = {v.key: v for v in experiment.variants.all()}
    welcome = campaign("welcome")
    welcome.subject_experiment = experiment
    welcome.save(update_fields=["subject_experiment"])
    for key, variant in variants.items():
        CampaignSubject.objects.create(campaign=welcome, variant=variant, subject_en=f"Subject {key}")
    people = [person(joined_days_ago=0.1) for _ in range(12)]
    campaigns_evaluate(now=NOW)
    deliver(NOW)
    from growth.experiments_models import ExperimentAssignment

    for someone in people:
        assignment = ExperimentAssignment.objects.get(experiment=experiment, user=someone)
        send = CampaignSend.objects.get(user=someone)
        [message] = [m for m in mail.outbox if m.to == [someone.email]]
        assert send.variant_key == assignment.variant.key
        assert message.subject == f"Subject {assignment.variant.key}"
    assert len({s.variant_key for s in CampaignSend.objects.all()}) > 1


def test_the_entry_point_refuses_marketing_mail_without_the_unsubscribe_headers():
    someone = person(joined_days_ago=1)
    with pytest.raises(ValueError, match="List-Unsubscribe"):
        email_queue(
            to=someone.email,
            template="growth/email/campaign",
            context={"subject": "Hi", "body": "Hello"},
            language="en",
            category="offers",
        )


def test_one_off_audience_by_last_activity():
    from tests.growth.campaigns import signed_in

    recent = person(joined_days_ago=60)
    signed_in(recent, days_ago_at=2)
    dormant = person(joined_days_ago=60)
    signed_in(dormant, days_ago_at=45)
    from growth.campaign_audiences import campaign_recipients

    made = []

    def audience(**filters) -> set[int]:
        made.append(one_off(key=f"sale-{len(made)}", **filters))
        sale = made[-1]
        return set(campaign_recipients(sale, NOW, window=False).values_list("pk", flat=True))

    assert recent.pk in audience(audience_active_within_days=7)
    assert dormant.pk not in audience(audience_active_within_days=7)
    assert audience(audience_inactive_for_days=30) == {dormant.pk}


def test_one_off_audience_by_country():
    from growth.campaign_audiences import campaign_recipients

    brazil, japan, unknown = person(joined_days_ago=60), person(joined_days_ago=60), person(joined_days_ago=60)
    for who, country in ((brazil, "BR"), (japan, "JP")):
        who.country = country
        who.save(update_fields=["country"])
    sale = one_off(key="brazil-sale", audience_country="BR")
    assert set(campaign_recipients(sale, NOW, window=False)) == {brazil}
    assert {brazil, japan, unknown} <= set(campaign_recipients(one_off(key="everyone"), NOW, window=False))


def test_one_off_audience_by_loyalty_tier():
    from growth.campaign_audiences import campaign_recipients
    from insights.services.segments import customer_profiles_recompute
    from tests.insights.metrics_fixtures import invoice

    big, small = person(joined_days_ago=60), person(joined_days_ago=60)
    invoice(big, NOW - timedelta(days=40), NOW - timedelta(days=10), price=60_000)
    customer_profiles_recompute(now=NOW)
    sale = one_off(key="gold-sale", audience_tier="gold")
    assert set(campaign_recipients(sale, NOW, window=False)) == {big}
    assert small.customer_profile.tier == "bronze"
