"""E-mails billing sends, rendered in the recipient's language and queued through teams.email_queue."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from billing.models import Payment
from teams.services import email_queue


def payment_failed_email_queue(*, payment: Payment) -> None:
    """Tell the payer a payment failed and where to fix it (sent once the transaction commits)."""
    user = payment.user
    context = {
        "user": user,
        "payment": payment,
        "billing_url": settings.SITE_URL.rstrip("/") + reverse("billing"),
        "grace_days": settings.BILLING_PAST_DUE_GRACE_DAYS,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("billing/email/payment_failed_subject.txt", context).strip()
        body = render_to_string("billing/email/payment_failed_message.txt", context)
    email_queue(message=EmailMessage(subject=subject, body=body, to=[user.email]), kind="billing/payment_failed")
