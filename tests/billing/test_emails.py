from pathlib import Path

import pytest
from django.conf import settings

from billing.emails import payment_failed_email_queue
from billing.models import Payment
from teams.models import OutboundEmail

COMPILED_GERMAN = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.mo"


def failed_payment(user):
    return Payment.objects.create(user=user, amount_cents=1200, currency="usd", status=Payment.Status.FAILED)


def test_the_payment_failed_email_links_to_the_billing_page(creator, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        payment_failed_email_queue(payment=failed_payment(creator))
    message = mailoutbox[0]
    assert message.to == [creator.email]
    assert "Hello Cora Creator," in message.body
    assert f"{settings.SITE_URL}/billing/" in message.body
    assert "7 more days" in message.body
    assert OutboundEmail.objects.get().kind == "billing/email/payment_failed"


@pytest.mark.skipif(not COMPILED_GERMAN.exists(), reason="run `make test` (compilemessages) first")
def test_the_payment_failed_email_speaks_the_recipients_language(
    creator, mailoutbox, django_capture_on_commit_callbacks
):
    creator.language = "de"
    creator.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        payment_failed_email_queue(payment=failed_payment(creator))
    assert OutboundEmail.objects.get().subject == "Ihre Zahlung für Video Creator ist fehlgeschlagen"
    message = mailoutbox[0]
    assert "12,00 USD" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="de"' in html
    assert "12,00 USD" in html
