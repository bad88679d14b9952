"""Pages: template library, video list, detail with progress, edit, delete; access rules; query budgets."""

import pytest
from django.urls import reverse

from insights.models import Event
from teams.workspaces import SESSION_KEY
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory, VideoFactory
from tests.videos.media_tools import make_clip, upload_of
from videos.models import Template, Video, VideoVersion
from videos.services import video_upload

STARTER_SLUGS = [
    "instagram-reel-product-showcase", "tiktok-tutorial-quick-tips", "youtube-short-quote-animation",
    "educational-explainer", "animated-statistics", "product-demo-in-60-seconds", "brand-story",
]  # fmt: skip

pytestmark = pytest.mark.django_db


def test_the_library_shows_the_seven_starter_templates_with_pro_ones_locked_for_free_users(creator_client):
    response = creator_client.get(reverse("videos:templates"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("data-template=") == 7
    # Two Pro templates: a lock and an upgrade call to action instead of "use".
    assert body.count("icon-lock") == 2
    assert body.count(reverse("videos:template_use", args=["brand-story"])) == 0
    assert "Upgrade to Pro to use it" in body
    assert reverse("videos:template_use", args=["youtube-short-quote-animation"]) in body


def test_the_library_filters_by_category_and_tag_and_sorts(creator_client):
    url = reverse("videos:templates")
    body = creator_client.get(url, {"category": "education"}).content.decode()
    assert body.count("data-template=") == 1 and "educational-explainer" in body
    body = creator_client.get(url, {"tag": "tutorial"}).content.decode()
    assert body.count("data-template=") == 2
    body = creator_client.get(url, {"sort": "duration"}).content.decode()
    assert body.index("youtube-short-quote-animation") < body.index("educational-explainer")
    body = creator_client.get(url, {"sort": "-duration"}).content.decode()
    assert body.index("educational-explainer") < body.index("youtube-short-quote-animation")
    Template.objects.filter(slug="animated-statistics").update(usage_count=50)
    body = creator_client.get(url, {"sort": "popular"}).content.decode()
    assert body.index('data-template="animated-statistics"') < body.index('data-template="brand-story"')
    body = creator_client.get(url, {"tag": "nothing-like-this"}).content.decode()
    assert "No template matches" in body


def test_the_library_is_translated(creator_client, creator):
    creator_client.cookies["django_language"] = "ja"
    creator.language = "ja"
    creator.save(update_fields=["language"])
    body = creator_client.get(reverse("videos:templates"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "ブランドストーリーテンプレート" in body


@pytest.mark.parametrize(
    ("language", "style"), [("de", "Datenvisualisierung"), ("ja", "データ可視化"), ("en", "data visualisation")]
)
def test_a_templates_page_shows_its_style_in_the_users_language(creator_client, creator, language, style):
    creator.language = language
    creator.save(update_fields=["language"])
    creator_client.cookies["django_language"] = language
    url = reverse("videos:template_use", args=["animated-statistics"])
    body = creator_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert style in body
    if language != "en":
        assert "data visualisation" not in body


def test_every_starter_template_has_its_style_in_all_nine_languages():
    from django.conf import settings

    for template in Template.objects.filter(slug__in=STARTER_SLUGS):
        for code, _name in settings.LANGUAGES:
            assert getattr(template, f"style_{code.replace('-', '_')}"), (template.slug, code)


def test_the_library_paginates_with_a_fixed_number_of_queries(creator_client, django_assert_max_num_queries):
    url = reverse("videos:templates")
    with django_assert_max_num_queries(8) as few:
        creator_client.get(url)
    TemplateFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = creator_client.get(url)
    assert response.content.decode().count("data-template=") == 12
    assert "Page 1 of 4" in response.content.decode()


def test_a_pro_template_cannot_be_used_on_the_free_plan(creator_client):
    url = reverse("videos:template_use", args=["brand-story"])
    assert 'data-testid="upgrade"' in creator_client.get(url).content.decode()
    response = creator_client.post(url, {"title": "Sneaky", "duration": 90})
    assert response.status_code == 402
    assert not Video.objects.exists()


def test_creating_a_video_from_the_page_renders_it_and_shows_progress_until_ready(
    creator_client, template, django_capture_on_commit_callbacks
):
    url = reverse("videos:template_use", args=[template.slug])
    form = creator_client.get(url).content.decode()
    assert 'name="text_0"' in form and 'name="background_1"' in form and 'name="slot_picture"' in form
    data = {"title": "Launch", "text_0": "Big news", "background_0": "#112233", "text_color": "#ffffff", "duration": 2}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = creator_client.post(url, data)
    video = Video.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("videos:detail", args=[video.pk])
    assert video.status == Video.Status.DRAFT
    # Before the worker runs, the status panel polls itself with htmx.
    detail = creator_client.get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in detail and reverse("videos:status", args=[video.pk]) in detail
    for callback in callbacks:
        callback()
    fragment = creator_client.get(reverse("videos:status", args=[video.pk])).content.decode()
    assert "hx-trigger" not in fragment and "<video" in fragment
    video.refresh_from_db()
    assert video.status == Video.Status.READY and video.customization["texts"][0] == "Big news"


def test_a_team_viewer_posting_to_a_templates_create_page_gets_a_403(client, team_viewer, team, template):
    client.force_login(team_viewer)
    session = client.session
    session[SESSION_KEY] = team.pk
    session.save()
    data = {"title": "Nope", "text_0": "Hi", "text_color": "#ffffff", "duration": 2}
    response = client.post(reverse("videos:template_use", args=[template.slug]), data)
    assert response.status_code == 403
    assert "does not allow creating videos" in response.content.decode()
    assert not Video.objects.exists()


def test_bad_customisations_come_back_as_form_errors(creator_client, template):
    url = reverse("videos:template_use", args=[template.slug])
    response = creator_client.post(url, {"title": "x", "background_0": "red", "duration": 99})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a colour like #1e1b4b." in body
    assert "Ensure this value is less than or equal to 4." in body
    assert not Video.objects.exists()


def test_the_video_list_shows_the_workspaces_videos_with_search_status_filter_and_empty_state(
    creator_client, creator, outsider
):
    url = reverse("videos:list")
    assert "No videos yet" in creator_client.get(url).content.decode()
    VideoFactory(owner=creator, title="Summer sale")
    VideoFactory(owner=creator, title="Winter sale", status=Video.Status.FAILED)
    VideoFactory(owner=outsider, title="Not mine")
    body = creator_client.get(url).content.decode()
    assert body.count("data-video=") == 2 and "Not mine" not in body
    assert creator_client.get(url, {"q": "summer"}).content.decode().count("data-video=") == 1
    assert creator_client.get(url, {"status": "failed"}).content.decode().count("data-video=") == 1
    assert "No video matches" in creator_client.get(url, {"q": "autumn"}).content.decode()


def test_the_video_list_keeps_a_fixed_number_of_queries(
    creator_client, creator, template, django_assert_max_num_queries
):
    url = reverse("videos:list")
    VideoFactory(owner=creator, template=template)
    with django_assert_max_num_queries(8) as one:
        creator_client.get(url)
    VideoFactory.create_batch(30, owner=creator, template=template)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = creator_client.get(url)
    assert response.content.decode().count("data-video=") == 20


def test_a_team_workspace_lists_the_teams_videos(creator_client, creator, teammate, team):
    VideoFactory(owner=teammate, team=team, title="Team cut")
    VideoFactory(owner=creator, title="Personal cut")
    session = creator_client.session
    session[SESSION_KEY] = team.pk
    session.save()
    body = creator_client.get(reverse("videos:list")).content.decode()
    assert "Team cut" in body and "Personal cut" not in body


def test_another_persons_video_is_a_404_everywhere(client, outsider, creator):
    video = VideoFactory(owner=creator)
    client.force_login(outsider)
    for name in ("detail", "status", "edit", "versions"):
        assert client.get(reverse(f"videos:{name}", args=[video.pk])).status_code == 404
    assert client.post(reverse("videos:delete", args=[video.pk])).status_code == 404
    assert Video.objects.filter(pk=video.pk).exists()


def test_a_team_viewer_sees_a_team_video_but_may_not_edit_or_delete_it(client, team_viewer, creator, team):
    video = VideoFactory(owner=creator, team=team)
    client.force_login(team_viewer)
    assert client.get(reverse("videos:detail", args=[video.pk])).status_code == 200
    assert client.get(reverse("videos:edit", args=[video.pk])).status_code == 403
    assert client.post(reverse("videos:delete", args=[video.pk])).status_code == 403
    assert Video.objects.filter(pk=video.pk).exists()


def test_deleting_a_video_removes_every_stored_file_and_records_the_event(
    creator_client, creator, tmp_path, media_root, django_capture_on_commit_callbacks
):
    clip = make_clip(tmp_path / "gone.mp4", seconds=0.5)
    video = video_upload(user=creator, team=None, title="Gone", upload=upload_of(clip))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = creator_client.post(reverse("videos:delete", args=[video.pk]))
    assert response.status_code == 302
    assert not Video.objects.exists() and not VideoVersion.objects.exists()
    assert stored_files(media_root) == []
    assert Event.objects.filter(name="video.deleted", subject_id=str(video.pk)).exists()


def test_renaming_an_uploaded_video(creator_client, creator, tmp_path):
    clip = make_clip(tmp_path / "r.mp4", seconds=0.5)
    video = video_upload(user=creator, team=None, title="Old", upload=upload_of(clip))
    response = creator_client.post(reverse("videos:edit", args=[video.pk]), {"title": "New"})
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.title == "New" and video.versions.count() == 1


@pytest.mark.parametrize("title", ["x" * 300, ""])
def test_a_too_long_or_empty_title_is_a_form_error_for_an_uploaded_video(creator_client, creator, title):
    video = VideoFactory(owner=creator, title="Old")
    response = creator_client.post(reverse("videos:edit", args=[video.pk]), {"title": title})
    assert response.status_code == 200 and 'class="error" role="alert"' in response.content.decode()
    video.refresh_from_db()
    assert video.title == "Old"


def test_a_too_long_title_is_a_form_error_for_a_template_video(creator_client, creator, template):
    video = VideoFactory(owner=creator, title="Old", template=template, source=Video.Source.TEMPLATE)
    data = {"title": "x" * 300, "text_0": "Hi", "text_color": "#ffffff", "duration": 2}
    response = creator_client.post(reverse("videos:edit", args=[video.pk]), data)
    assert response.status_code == 200 and "at most 200 characters" in response.content.decode()
    video.refresh_from_db()
    assert video.title == "Old" and not video.versions.exists()


def test_navigation_links_to_videos_and_templates(creator_client):
    body = creator_client.get(reverse("dashboard")).content.decode()
    assert reverse("videos:list") in body and reverse("videos:templates") in body


def test_title_search_has_a_trigram_index_on_the_expression_it_queries_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'videos_video_title_upper_trgm'")
        (definition,) = cursor.fetchone()
    # `title__icontains` is UPPER(title::text) LIKE …: an index on the bare column would go unused.
    assert "gin" in definition and "upper((title)::text) gin_trgm_ops" in definition


def test_a_video_made_in_a_team_workspace_belongs_to_the_team(
    client, teammate, team_viewer, team, template, django_capture_on_commit_callbacks
):
    url = reverse("videos:template_use", args=[template.slug])
    for person in (teammate, team_viewer):
        client.force_login(person)
        session = client.session
        session[SESSION_KEY] = team.pk
        session.save()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"title": f"By {person.name}", "duration": 2})
        if person == team_viewer:
            # Viewers watch and comment; they do not create.
            assert response.status_code == 403
            assert "does not allow creating videos" in response.content.decode()
    video = Video.objects.get()
    assert video.team == team and video.owner == teammate
