"""The ops console shows and hides templates through `template_set_active`."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.videos.factories import TemplateFactory
from videos.models import Template
from videos.selectors import template_list

pytestmark = pytest.mark.django_db


def _run_action(client, action: str, templates: list[Template]):
    return client.post(
        reverse("admin:videos_template_changelist"),
        {"action": action, "_selected_action": [t.pk for t in templates]},
        follow=True,
    )


def test_hiding_templates_in_the_admin_goes_through_the_service(staff_client):
    long_ago = timezone.now() - timedelta(days=30)
    shown = TemplateFactory(is_active=True)
    already_hidden = TemplateFactory(is_active=False)
    Template.objects.filter(pk__in=[shown.pk, already_hidden.pk]).update(updated_at=long_ago)

    response = _run_action(staff_client, "deactivate", [shown, already_hidden])

    shown.refresh_from_db()
    already_hidden.refresh_from_db()
    assert not shown.is_active and shown not in template_list()
    # Only the service sets updated_at (QuerySet.update skips auto_now) and counts only real changes.
    assert shown.updated_at > long_ago
    assert already_hidden.updated_at == long_ago
    assert "1 template hidden." in response.content.decode()


def test_showing_templates_in_the_admin_goes_through_the_service(staff_client):
    long_ago = timezone.now() - timedelta(days=30)
    hidden = TemplateFactory(is_active=False)
    Template.objects.filter(pk=hidden.pk).update(updated_at=long_ago)

    response = _run_action(staff_client, "activate", [hidden])

    hidden.refresh_from_db()
    assert hidden.is_active and hidden in template_list()
    assert hidden.updated_at > long_ago
    assert "1 template shown." in response.content.decode()
