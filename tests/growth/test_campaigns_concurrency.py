"""Two evaluations (or two senders) at once still mail each person once (PostgreSQL: the unique
index makes the second claim wait for the first, then skip)."""

import pytest
from django.core import mail
from django.db import connection  # noqa: F401 (the skipif condition below reads it)

from growth.campaign_models import CampaignSend
from growth.services.campaigns import campaign_sends_deliver_batch, campaigns_evaluate
from teams.models import OutboundEmail
from tests.concurrency import run_while_first_holds_the_lock
from tests.growth.campaigns import NOW, only_active, person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="waiting on a unique index needs PostgreSQL"),
]


def test_two_evaluations_at_once_claim_each_person_once_and_one_mail_goes_out():
    only_active("welcome", "newsletter")
    people = [person(joined_days_ago=0.1), person(joined_days_ago=40)]
    claimed: list[dict[str, int]] = []

    def evaluate() -> None:
        claimed.append(campaigns_evaluate(now=NOW))

    assert run_while_first_holds_the_lock(evaluate, evaluate) == {"first": "ok", "second": "ok"}
    # The second waited for the first's rows, then found them taken.
    # The newcomer's welcome and the older member's newsletter.
    assert sorted(sum(c.values()) for c in claimed) == [0, 2]
    assert CampaignSend.objects.count() == 2
    campaign_sends_deliver_batch(now=NOW)  # whatever the sender enqueued on commit has not sent yet
    assert OutboundEmail.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_two_senders_at_once_send_each_pending_mail_once():
    only_active("welcome")
    for _ in range(4):
        person(joined_days_ago=0.1)
    campaigns_evaluate(now=NOW)

    def send() -> None:
        campaign_sends_deliver_batch(now=NOW)

    assert run_while_first_holds_the_lock(send, send) == {"first": "ok", "second": "ok"}
    assert CampaignSend.objects.filter(status=CampaignSend.Status.SENT).count() == 4
    assert OutboundEmail.objects.count() == 4
