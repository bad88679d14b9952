"""Signals other apps connect to, e.g. the referral programme rewarding a referee's first payment.

Sent once the payment's transaction has committed, with `send_robust`: a failing receiver is
logged and never undoes or blocks the payment.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# kwargs: payment (billing.Payment), first (bool: the account's first payment of money).
payment_succeeded = Signal()


def payment_succeeded_send_on_commit(*, payment: object, first: bool) -> None:
    """Send `payment_succeeded` after the surrounding transaction commits."""

    def send() -> None:
        for receiver, result in payment_succeeded.send_robust(sender=type(payment), payment=payment, first=first):
            if isinstance(result, Exception):
                logger.error("payment_succeeded receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
