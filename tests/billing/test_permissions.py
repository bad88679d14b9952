"""Who may see a payment: the person who paid, and nobody else (not even staff, outside the admin)."""

import pytest
from django.urls import reverse

from billing.permissions import payment_get_for_user
from config.errors import NotFound
from tests.billing.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("person", "sees"), [("creator", True), ("outsider", False), ("staff", False)])
def test_payment_access_table(request, creator, person, sees):
    payment = PaymentFactory(user=creator)
    user = request.getfixturevalue(person)
    if sees:
        assert payment_get_for_user(user=user, payment_id=payment.pk) == payment
    else:
        with pytest.raises(NotFound):
            payment_get_for_user(user=user, payment_id=payment.pk)


def test_another_persons_payment_is_a_404_on_the_page_and_in_the_api(client, api_client, creator, outsider):
    payment = PaymentFactory(user=creator)
    client.force_login(outsider)
    assert client.get(reverse("billing_payment", args=[payment.pk])).status_code == 404
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("api-billing-payment", args=[payment.pk])).status_code == 404
    api_client.force_authenticate(creator)
    assert api_client.get(reverse("api-billing-payment", args=[payment.pk])).json()["id"] == payment.pk
