"""`manage.py load_demo` gives a newcomer accounts that work, and can run again safely."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from billing.models import Coupon
from teams.models import Team, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_can_sign_in(client, capsys):
    call_command("load_demo", password="demo-pass-for-tests")
    out = capsys.readouterr().out
    assert "demo@videocreator.local / demo-pass-for-tests" in out
    assert "ops@videocreator.local / demo-pass-for-tests" in out

    response = client.post(
        reverse("account_login"), {"login": "demo@videocreator.local", "password": "demo-pass-for-tests"}
    )
    assert response["Location"] == reverse("dashboard")
    assert User.objects.get(email="ops@videocreator.local").is_staff


def test_loading_twice_changes_nothing_twice():
    call_command("load_demo", password="demo-pass-for-tests")
    demo = User.objects.get(email="demo@videocreator.local")
    users, events = User.objects.count(), demo.events.count()
    call_command("load_demo", password="demo-pass-for-tests")
    assert (User.objects.count(), demo.events.count()) == (users, events)


def test_the_command_runs_only_the_loaders_the_setting_lists(settings):
    settings.DEMO_LOADERS = ["billing.demo.load"]
    call_command("load_demo", password="demo-pass-for-tests")
    assert Coupon.objects.filter(code="WELCOME10").exists()
    assert not Team.objects.exists()
    assert not User.objects.get(email="demo@videocreator.local").videos.exists()


def test_the_demo_accounts_are_refused_where_demo_data_is_not_allowed(settings):
    """A superuser with a well-known password must never be created on a production database."""
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("load_demo", password="demo-pass-for-tests")
    assert not User.objects.filter(email__endswith="@videocreator.local").exists()
