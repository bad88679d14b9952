"""The demo creator's first video comes with a small review thread, created once."""

import pytest
from django.core.management import call_command

from teams.models import Comment

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_thread_a_reply_and_a_resolved_comment_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", password="demo-pass-for-tests")
    call_command("load_demo", password="demo-pass-for-tests")

    comments = Comment.objects.order_by("pk")
    assert comments.count() == 3
    assert comments.filter(parent__isnull=False).count() == 1
    assert comments.filter(resolved_at__isnull=False).count() == 1
