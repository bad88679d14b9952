"""E-mails billing sends, through teams' one e-mail entry point (in the payer's language)."""

from django.conf import settings
from django.urls import reverse

from billing.models import Payment
from teams.services import email_queue


def payment_failed_email_queue(*, payment: Payment) -> None:
    """Tell the payer a payment failed and where to fix it (sent once the transaction commits)."""
    user = payment.user
    email_queue(
        to=user.email,
        template="billing/email/payment_failed",
        context={
            "user": user,
            "payment": payment,
            "billing_url": settings.SITE_URL.rstrip("/") + reverse("billing"),
            "grace_days": settings.BILLING_PAST_DUE_GRACE_DAYS,
        },
        language=user.language,
    )
