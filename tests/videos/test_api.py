"""The API: templates, videos (create, list, detail, edit, delete) and its access rules."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.videos.factories import TemplateFactory, VideoFactory
from tests.videos.media_tools import make_png, upload_of
from videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(creator_api):
    """The creator's API client, under the short name these tests read best with."""
    return creator_api


def test_templates_are_listed_with_their_lock_and_can_be_filtered(api):
    data = api.get(reverse("api-template-list")).json()
    assert data["count"] == 7
    locked = {t["slug"] for t in data["results"] if t["locked"]}
    assert locked == {"brand-story", "product-demo-in-60-seconds"}
    data = api.get(reverse("api-template-list"), {"tag": "quote"}).json()
    assert [t["slug"] for t in data["results"]] == ["youtube-short-quote-animation"]
    assert data["results"][0]["tags"] == ["youtube", "short", "quote"]
    data = api.get(reverse("api-template-list"), {"category": "education", "sort": "duration"}).json()
    assert [t["slug"] for t in data["results"]] == ["educational-explainer"]
    assert api.get(reverse("api-template-list"), {"category": "cooking"}).status_code == 400
    assert api.get(reverse("api-template-detail", args=["brand-story"])).json()["tier"] == "pro"


def test_templates_are_translated_by_accept_language(api):
    data = api.get(reverse("api-template-detail", args=["brand-story"]), HTTP_ACCEPT_LANGUAGE="de").json()
    assert data["title"] == "Vorlage für Markengeschichten"


def test_creating_a_video_through_the_api_renders_it(api, template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api-video-list"),
            {"template": template.slug, "title": "API video", "texts": ["Hi"], "duration": 2},
            format="json",
        )
    assert response.status_code == 201, response.content
    video = Video.objects.get()
    assert response.json()["id"] == video.pk
    detail = api.get(reverse("api-video-detail", args=[video.pk])).json()
    assert detail["status"] == "ready" and detail["current_version"] == 1
    path = urlsplit(detail["file_url"]).path  # signed, with a query
    assert f"/videos/{video.pk}/v1/" in path and path.endswith("/video.mp4")


def test_api_errors_are_json_4xx(api, template):
    response = api.post(reverse("api-video-list"), {"template": template.slug, "duration": 99}, format="json")
    assert response.status_code == 400 and "duration" in response.json()
    response = api.post(reverse("api-video-list"), {"template": "brand-story"}, format="json")
    assert response.status_code == 402 and response.json()["code"] == "limit_pro_templates"
    response = api.post(reverse("api-video-list"), {"template": template.slug, "backgrounds": ["red"]}, format="json")
    assert response.status_code == 400 and "backgrounds" in response.json()
    assert not Video.objects.exists()


def test_the_video_list_endpoint_keeps_a_fixed_number_of_queries(api, creator, template, django_assert_max_num_queries):
    VideoFactory(owner=creator, template=template)
    with django_assert_max_num_queries(6) as one:
        assert api.get(reverse("api-video-list")).json()["count"] == 1
    VideoFactory.create_batch(25, owner=creator, template=template)
    with django_assert_max_num_queries(len(one.captured_queries)):
        data = api.get(reverse("api-video-list")).json()
    assert data["count"] == 26 and len(data["results"]) == 20


def test_the_template_list_endpoint_keeps_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as few:
        api.get(reverse("api-template-list"))
    TemplateFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(reverse("api-template-list")).json()["results"]) == 20


def test_the_video_list_searches_titles_and_filters_by_status(api, creator):
    VideoFactory(owner=creator, title="Product teaser")
    VideoFactory(owner=creator, title="Draft idea", status=Video.Status.DRAFT)
    assert api.get(reverse("api-video-list"), {"search": "teaser"}).json()["count"] == 1
    assert api.get(reverse("api-video-list"), {"status": "draft"}).json()["count"] == 1


def test_someone_elses_video_is_404_in_the_api(api_client, outsider, creator):
    video = VideoFactory(owner=creator)
    api_client.force_authenticate(outsider)
    assert api_client.get(reverse("api-video-detail", args=[video.pk])).status_code == 404
    assert api_client.delete(reverse("api-video-detail", args=[video.pk])).status_code == 404
    assert (
        api_client.patch(reverse("api-video-detail", args=[video.pk]), {"title": "x"}, format="json").status_code == 404
    )
    assert api_client.get(reverse("api-video-list")).json()["count"] == 0
    assert Video.objects.filter(pk=video.pk, title=video.title).exists()


def test_a_video_id_that_is_not_a_number_is_a_json_404(api):
    for url in ("/api/v1/videos/abc/", "/api/v1/videos/abc/versions/", "/api/v1/videos/abc/versions/compare/?a=1&b=2",
                "/api/v1/videos/99999999999999999999/"):  # fmt: skip
        response = api.get(url)
        assert response.status_code == 404 and "detail" in response.json(), url
    assert api.post("/api/v1/videos/abc/versions/1/restore/").status_code == 404


def test_editing_and_deleting_through_the_api(api, creator, template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        video_id = api.post(
            reverse("api-video-list"), {"template": template.slug, "duration": 2}, format="json"
        ).json()["id"]
        response = api.patch(
            reverse("api-video-detail", args=[video_id]),
            {"title": "Renamed", "texts": ["New words"], "change_description": "Words"},
            format="json",
        )
    assert response.status_code == 200
    versions = api.get(reverse("api-video-versions", args=[video_id])).json()["results"]
    assert (versions[0]["number"], versions[0]["status"], versions[0]["change_description"]) == (2, "ready", "Words")
    assert Video.objects.get().title == "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(reverse("api-video-detail", args=[video_id])).status_code == 204
    assert not Video.objects.exists()


def test_the_api_requires_authentication(api_client):
    assert api_client.get(reverse("api-video-list")).status_code in (401, 403)


def test_the_openapi_schema_documents_the_video_endpoints(api):
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("/api/v1/videos/", "/api/v1/videos/upload/", "/api/v1/videos/{id}/versions/", "/api/v1/templates/"):
        assert path in body


def test_media_slots_are_filled_with_a_multipart_request(api, template, tmp_path, django_capture_on_commit_callbacks):
    image = make_png(tmp_path / "logo.png")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api-video-list"),
            {
                "template": template.slug,
                "duration": "2",
                "texts": ["With a picture"],
                "slot_picture": upload_of(image, "image/png"),
            },
            format="multipart",
        )
    assert response.status_code == 201, response.content
    video = Video.objects.get()
    assert video.status == Video.Status.READY
    assert video.media_assets.get().slot == "picture"
    assert video.customization["texts"] == ["With a picture"]


def token_client(user):
    from rest_framework.test import APIClient

    from teams.services import api_token_create

    client = APIClient()
    _token, key = api_token_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_clients_reach_a_teams_videos_by_its_slug(
    creator, teammate, team_viewer, outsider, team, template, tmp_path, django_capture_on_commit_callbacks
):
    from tests.videos.media_tools import make_clip

    VideoFactory(owner=creator, team=team, title="Team video")
    VideoFactory(owner=teammate, title="Personal video")
    editor = token_client(teammate)

    assert [v["title"] for v in editor.get(reverse("api-video-list")).json()["results"]] == ["Personal video"]
    listed = editor.get(reverse("api-video-list"), {"team": team.slug}).json()["results"]
    assert [v["title"] for v in listed] == ["Team video"]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("api-video-list"),
            {"template": template.slug, "title": "Made by token", "duration": 2, "team": team.slug},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert Video.objects.get(title="Made by token").team == team
    clip = make_clip(tmp_path / "t.mp4", seconds=0.5)
    response = editor.post(
        reverse("api-video-upload"), {"title": "Uploaded by token", "file": upload_of(clip), "team": team.slug}
    )
    assert response.status_code == 201, response.content
    assert Video.objects.get(title="Uploaded by token").team == team

    stranger = token_client(outsider)
    response = stranger.get(reverse("api-video-list"), {"team": team.slug})
    assert response.status_code == 404 and "detail" in response.json()
    response = stranger.post(
        reverse("api-video-list"), {"template": template.slug, "team": team.slug, "duration": 2}, format="json"
    )
    assert response.status_code == 404
    viewer = token_client(team_viewer)
    assert viewer.get(reverse("api-video-list"), {"team": team.slug}).json()["count"] == 3
    response = viewer.post(
        reverse("api-video-list"), {"template": template.slug, "team": team.slug, "duration": 2}, format="json"
    )
    assert response.status_code == 403 and "detail" in response.json()
    assert Video.objects.filter(team=team).count() == 3


def test_the_openapi_schema_documents_the_team_parameter(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/videos/"]["get"]["parameters"]
    assert "team" in {p["name"] for p in parameters}
    assert "team" in schema["components"]["schemas"]["VideoCreateRequest"]["properties"]
