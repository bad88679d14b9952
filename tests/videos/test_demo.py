import io

import pytest
from django.core.management import call_command

from videos.models import Video

pytestmark = pytest.mark.django_db


def test_load_demo_gives_the_demo_creator_rendered_videos_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    videos = Video.objects.filter(owner__email="demo@videocreator.local")
    assert videos.count() == 2
    assert set(videos.values_list("status", flat=True)) == {Video.Status.READY}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    assert videos.count() == 2
