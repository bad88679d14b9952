"""One rule locks Pro templates: the library, the API, the template page and the create service agree."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from billing.models import Plan
from billing.services import subscription_start
from config.errors import LimitReached
from videos.models import Template
from videos.services import video_create_from_template

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plan", ["free", "pro"])
def test_pages_api_and_service_lock_the_same_templates(creator, creator_client, plan):
    if plan == "pro":
        subscription_start(user=creator, plan=Plan.objects.get(code="pro"), interval="month")
    library = creator_client.get(reverse("videos:templates")).content.decode()
    on_library = set(re.findall(r'tile-locked" data-template="([^"]+)"', library))
    api = APIClient()
    api.force_authenticate(creator)
    on_api = {t["slug"] for t in api.get(reverse("api-template-list")).json()["results"] if t["locked"]}
    on_page, refused = set(), set()
    for template in Template.objects.filter(is_active=True):
        if creator_client.post(reverse("videos:template_use", args=[template.slug]), {}).status_code == 402:
            on_page.add(template.slug)
        try:
            video_create_from_template(user=creator, team=None, template=template, title="Try")
        except LimitReached:
            refused.add(template.slug)
    pro = set(Template.objects.filter(tier=Template.Tier.PRO).values_list("slug", flat=True))
    expected = pro if plan == "free" else set()
    assert len(pro) == 2
    assert (on_library, on_api, on_page, refused) == (expected, expected, expected, expected)
