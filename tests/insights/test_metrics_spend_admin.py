"""Staff enter acquisition spend in the console; saves and deletions go through the services."""

from datetime import date

import pytest
from django.urls import reverse

from insights.models import AcquisitionSpend

pytestmark = pytest.mark.django_db

ADD = reverse("admin:insights_acquisitionspend_add")


def test_staff_add_spend_stored_on_the_first_of_the_month(staff_client, staff):
    response = staff_client.post(ADD, {"channel": "paid_search", "month": "2026-03-17", "amount_cents": "25000"})
    assert response.status_code == 302
    spend = AcquisitionSpend.objects.get()
    assert (spend.month, spend.amount_cents, spend.entered_by) == (date(2026, 3, 1), 25000, staff)


def test_a_second_row_for_the_same_channel_and_month_is_refused(staff_client):
    AcquisitionSpend.objects.create(channel="paid_search", month=date(2026, 3, 1), amount_cents=100)
    staff_client.post(ADD, {"channel": "paid_search", "month": "2026-03-09", "amount_cents": "5"}, follow=True)
    assert list(AcquisitionSpend.objects.values_list("amount_cents", flat=True)) == [100]


def test_the_delete_action_goes_through_the_service(staff_client):
    spend = AcquisitionSpend.objects.create(channel="content", month=date(2026, 3, 1), amount_cents=100)
    staff_client.post(
        reverse("admin:insights_acquisitionspend_changelist"),
        {"action": "delete_through_service", "_selected_action": [spend.pk]},
    )
    assert not AcquisitionSpend.objects.exists()
