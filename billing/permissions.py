"""Who may see which billing records; for pages, the API and the admin."""

from billing.models import Payment
from config.errors import NotFound
from teams.models import User


def payment_get_for_user(*, user: User, payment_id: int) -> Payment:
    """One of the user's own payments; anyone else's is NotFound."""
    payment = Payment.objects.filter(user=user, pk=payment_id).select_related("plan").first()
    if payment is None:
        raise NotFound()
    return payment
