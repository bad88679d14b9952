"""Pages turn domain errors into HTTP answers in one place (config.middleware.DomainErrorMiddleware),
the twin of the API's exception handler: not found is a 404, a refusal a 403 with its message."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from config.errors import DomainError, LimitReached, NotFound, PermissionDenied
from config.middleware import DomainErrorMiddleware
from teams.models import Comment, Membership
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db


def test_another_persons_video_is_a_404_page(client, creator, outsider):
    video = VideoFactory(owner=creator)
    client.force_login(outsider)
    response = client.get(reverse("videos:detail", args=[video.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_role_that_does_not_allow_the_action_is_a_403_page_with_the_message(client, creator, team, team_viewer):
    video = VideoFactory(owner=creator, team=team)
    client.force_login(team_viewer)
    response = client.post(reverse("videos:delete", args=[video.pk]))
    assert response.status_code == 403
    assert "You do not have permission to do this." in response.content.decode()
    assert response.context["exception"] == "You do not have permission to do this."


def test_a_refusal_with_its_own_message_shows_that_message(client, creator, team, team_viewer):
    video = VideoFactory(owner=creator, team=team)
    comment = Comment.objects.create(video=video, author=creator, body="Logo is late")
    client.force_login(team_viewer)
    response = client.post(reverse("comment_delete", args=[comment.pk]))
    assert response.status_code == 403
    assert "Only the author or a team admin can delete this comment." in response.content.decode()
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_team_pages_answer_404_to_non_members_and_403_to_members_lacking_the_role(client, team, team_viewer):
    client.force_login(UserFactory())
    assert client.get(reverse("team_detail", args=[team.slug])).status_code == 404
    client.force_login(team_viewer)
    response = client.post(reverse("invitation_create", args=[team.slug]), {"email": "a@example.com", "role": "viewer"})
    assert response.status_code == 403


def test_an_invitation_for_someone_else_is_a_404_from_the_teams_page(client, team, outsider):
    from tests.teams.factories import make_invitation

    invitation, _token = make_invitation(team=team, email="someone@example.com")
    client.force_login(outsider)
    assert client.post(reverse("invitation_accept_mine", args=[invitation.pk])).status_code == 404
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_a_missing_template_is_a_404_page(creator_client):
    assert creator_client.get(reverse("videos:template_use", args=["no-such-template"])).status_code == 404


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError("This cannot be done now."), 400),
        (LimitReached("Your plan allows 3 videos a month."), 402),
    ],
)
def test_any_other_domain_error_a_view_lets_through_is_its_status_with_the_message(error, status):
    def view(request):
        raise error

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = DomainErrorMiddleware(view).process_exception(request, error)
    assert response.status_code == status
    assert str(error.message) in response.content.decode()


@pytest.mark.parametrize("error", [NotFound(), PermissionDenied()])
def test_not_found_and_refusals_become_djangos_own_exceptions(error):
    from django.core.exceptions import PermissionDenied as HttpPermissionDenied
    from django.http import Http404

    request = RequestFactory().get("/")
    with pytest.raises(Http404 if isinstance(error, NotFound) else HttpPermissionDenied):
        DomainErrorMiddleware(lambda request: None).process_exception(request, error)


def test_other_exceptions_are_left_alone():
    request = RequestFactory().get("/")
    assert DomainErrorMiddleware(lambda request: None).process_exception(request, ValueError("boom")) is None


def test_a_not_found_with_its_own_message_is_a_404_page_that_says_it():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    error = NotFound("This invitation link is not valid. Ask for a new invitation.")
    response = DomainErrorMiddleware(lambda request: None).process_exception(request, error)
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()
    assert "Page not found" in response.content.decode()
