"""Feature requests: votes (one per person), comments, staff status, RICE, merging duplicates, the board."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from billing.services import subscription_start
from config.errors import DomainError
from growth.feature_models import FeatureComment, FeatureRequest, FeatureVote
from growth.feature_selectors import feature_request_board, feature_request_rice, feature_request_similar
from growth.services.features import (
    feature_comment_create,
    feature_request_create,
    feature_request_set_status,
    feature_request_update,
    feature_requests_merge,
    feature_vote_set,
)
from teams.models import Notification
from tests.factories import UserFactory
from tests.growth.factories import FeatureRequestFactory

pytestmark = pytest.mark.django_db


def _counts(feature_request):
    feature_request.refresh_from_db()
    return feature_request.upvotes, feature_request.downvotes, feature_request.score


def test_a_new_request_carries_its_authors_up_vote(creator):
    feature_request = feature_request_create(author=creator, title="  Dark   mode  ", category="ui_ux")
    assert feature_request.title == "Dark mode"
    assert _counts(feature_request) == (1, 0, 1)


def test_a_request_needs_a_real_title_and_category(creator):
    with pytest.raises(DomainError):
        feature_request_create(author=creator, title="ab", category="ui_ux")
    with pytest.raises(DomainError):
        feature_request_create(author=creator, title="Dark mode", category="nonsense")


def test_one_vote_per_person_changeable_and_removable(creator, outsider):
    feature_request = FeatureRequestFactory()
    feature_vote_set(feature_request=feature_request, user=creator, value=1)
    feature_vote_set(feature_request=feature_request, user=creator, value=1)
    assert _counts(feature_request) == (1, 0, 1)
    feature_vote_set(feature_request=feature_request, user=creator, value=-1)
    feature_vote_set(feature_request=feature_request, user=outsider, value=-1)
    assert _counts(feature_request) == (0, 2, -2)
    feature_vote_set(feature_request=feature_request, user=creator, value=0)
    assert _counts(feature_request) == (0, 1, -1)
    assert FeatureVote.objects.filter(user=creator).count() == 0
    with pytest.raises(DomainError):
        feature_vote_set(feature_request=feature_request, user=creator, value=2)


def test_the_database_refuses_a_second_vote_of_the_same_person(creator):
    feature_request = FeatureRequestFactory()
    FeatureVote.objects.create(feature_request=feature_request, user=creator, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeatureVote.objects.create(feature_request=feature_request, user=creator, value=-1)


def test_a_status_change_notifies_voters_and_the_author_but_not_the_staff_who_made_it(creator, outsider, staff):
    feature_request = feature_request_create(author=creator, title="Dark mode", category="ui_ux")
    feature_vote_set(feature_request=feature_request, user=outsider, value=-1)
    feature_vote_set(feature_request=feature_request, user=staff, value=1)
    feature_request_set_status(feature_request=feature_request, status="planned", actor=staff)
    feature_request_set_status(feature_request=feature_request, status="planned", actor=staff)  # no change
    notified = Notification.objects.filter(kind="feature_status")
    assert sorted(n.recipient.email for n in notified) == [creator.email, outsider.email]
    note = notified.first()
    assert note.params == {"feature": "Dark mode", "status": "planned"}
    assert note.text == "“Dark mode”, which you voted on, is now Planned."


# --- Merging duplicates -----------------------------------------------------------------------


def test_merging_moves_votes_and_comments_and_counts_each_voter_once(staff):
    both, dup_only, keep_only = UserFactory(), UserFactory(), UserFactory()
    keep, duplicate = FeatureRequestFactory(title="Dark mode"), FeatureRequestFactory(title="Night theme")
    feature_vote_set(feature_request=keep, user=both, value=1)
    feature_vote_set(feature_request=duplicate, user=both, value=-1)
    feature_vote_set(feature_request=duplicate, user=dup_only, value=1)
    feature_vote_set(feature_request=keep, user=keep_only, value=1)
    feature_comment_create(feature_request=duplicate, author=dup_only, body="Please!")
    feature_requests_merge(keep=keep, duplicates=[duplicate], actor=staff)
    votes = dict(FeatureVote.objects.filter(feature_request=keep).values_list("user_id", "value"))
    assert votes == {both.pk: 1, dup_only.pk: 1, keep_only.pk: 1}  # `both` keeps the vote on the kept request
    assert not FeatureVote.objects.filter(feature_request=duplicate).exists()
    assert FeatureComment.objects.get().feature_request == keep
    assert _counts(keep) == (3, 0, 3)
    duplicate.refresh_from_db()
    assert (duplicate.merged_into, duplicate.status, duplicate.score) == (keep, "declined", 0)
    with pytest.raises(DomainError):
        feature_vote_set(feature_request=duplicate, user=UserFactory(), value=1)
    assert list(feature_request_board()) == [keep]


# --- RICE -------------------------------------------------------------------------------------


def _voted(n_up: int, **fields) -> FeatureRequest:
    feature_request = FeatureRequestFactory(**fields)
    for _ in range(n_up):
        feature_vote_set(feature_request=feature_request, user=UserFactory(), value=1)
    feature_vote_set(feature_request=feature_request, user=UserFactory(), value=-1)  # down votes give no reach
    return feature_request


def test_rice_scores_reach_times_impact_times_confidence_over_effort_and_sorts_by_it():
    popular_but_costly = _voted(10, impact=5, effort=10)  # 10 * 5 * 0.8 / 10 = 4
    small_and_cheap = _voted(3, impact=8, effort=2)  # 3 * 8 * 0.8 / 2 = 9.6
    sure_thing = _voted(4, impact=6, effort=3, confidence=Decimal("1"))  # 4 * 6 * 1 / 3 = 8
    ranked = list(feature_request_rice())
    assert ranked == [small_and_cheap, sure_thing, popular_but_costly]
    assert [r.reach for r in ranked] == [3, 4, 10]
    assert [round(float(r.rice_score), 1) for r in ranked] == [9.6, 8.0, 4.0]


def test_reach_can_weight_voters_on_a_paid_plan(pro_plan):
    free_voters = _voted(3, impact=5, effort=5)
    paying_voters = _voted(2, impact=5, effort=5)
    for vote in paying_voters.votes.filter(value=1).select_related("user"):
        subscription_start(user=vote.user, plan=pro_plan, interval="month")
    assert list(feature_request_rice()) == [free_voters, paying_voters]
    weighted = list(feature_request_rice(weighted=True))
    assert weighted == [paying_voters, free_voters]
    assert [r.reach for r in weighted] == [4, 3]


def test_staff_edit_rice_inputs_within_their_ranges(staff):
    feature_request = FeatureRequestFactory()
    feature_request_update(feature_request=feature_request, actor=staff, impact=9, effort=2, confidence=Decimal("0.5"))
    feature_request.refresh_from_db()
    assert (feature_request.impact, feature_request.effort, feature_request.confidence) == (9, 2, Decimal("0.50"))
    with pytest.raises(DomainError):
        feature_request_update(feature_request=feature_request, actor=staff, impact=11)
    with pytest.raises(DomainError):
        feature_request_update(feature_request=feature_request, actor=staff, confidence=Decimal("0"))


# --- The board ---------------------------------------------------------------------------------


def test_the_board_sorts_by_top_newest_and_trending():
    now = timezone.now()
    old_favourite = _voted(5, created_at=now - timedelta(days=60))
    FeatureVote.objects.filter(feature_request=old_favourite).update(created_at=now - timedelta(days=30))
    newest = FeatureRequestFactory(created_at=now)
    hot = _voted(2, created_at=now - timedelta(days=10))
    assert list(feature_request_board(sort="top")) == [old_favourite, hot, newest]
    assert list(feature_request_board(sort="newest")) == [newest, hot, old_favourite]
    assert feature_request_board(sort="trending").first() == hot


def test_the_board_filters_by_status_and_category_and_searches(staff):
    api = FeatureRequestFactory(title="Webhooks for renders", category="api")
    shipped = FeatureRequestFactory(title="Dark mode", category="ui_ux")
    feature_request_set_status(feature_request=shipped, status="shipped", actor=staff)
    assert list(feature_request_board(category="api")) == [api]
    assert list(feature_request_board(status="shipped")) == [shipped]
    assert list(feature_request_board(search="webhook")) == [api]


def test_similar_titles_are_suggested_while_typing(client):
    dark = FeatureRequestFactory(title="Dark mode for the editor")
    FeatureRequestFactory(title="Export to GIF")
    assert feature_request_similar(title="dark mode") == [dark]
    assert feature_request_similar(title="da") == []
    response = client.get(reverse("growth:feature_similar"), {"title": "Dark mode please"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Dark mode for the editor" in response.content.decode()
    assert "Export to GIF" not in response.content.decode()


def test_the_board_page_costs_the_same_queries_for_few_or_many_requests(client_for, creator, django_assert_num_queries):
    client = client_for(creator)
    for _ in range(3):
        _voted(1)
    client.get(reverse("growth:board"))

    def cost() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("growth:board"), {"sort": "trending"}).status_code == 200
        return len(queries)

    few = cost()
    for _ in range(25):
        request = _voted(1)
        feature_comment_create(feature_request=request, author=creator, body="+1")
    with django_assert_num_queries(few):
        response = client.get(reverse("growth:board"), {"sort": "trending"})
    assert response.content.decode().count('data-testid="feature-row"') == 20


# --- Pages ------------------------------------------------------------------------------------


def test_anyone_can_read_the_board_and_a_request_but_only_people_signed_in_vote(client, creator):
    feature_request = feature_request_create(author=creator, title="Dark mode", category="ui_ux")
    assert client.get(reverse("growth:board")).status_code == 200
    page = client.get(reverse("growth:feature_detail", args=[feature_request.pk]))
    assert "Dark mode" in page.content.decode()
    response = client.post(reverse("growth:feature_vote", args=[feature_request.pk]), {"value": "1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(reverse("growth:feature_detail", args=[999999])).status_code == 404


def test_voting_on_the_page_with_htmx_returns_the_new_count(creator_client, outsider):
    feature_request = FeatureRequestFactory()
    response = creator_client.post(
        reverse("growth:feature_vote", args=[feature_request.pk]), {"value": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert '<strong data-testid="vote-score">1</strong>' in response.content.decode()
    assert 'aria-pressed="true"' in response.content.decode()


def test_creating_a_request_on_the_page(creator_client):
    response = creator_client.post(
        reverse("growth:feature_new"), {"title": "Dark mode", "category": "ui_ux", "description": "Easy on the eyes"}
    )
    feature_request = FeatureRequest.objects.get()
    assert response["Location"] == reverse("growth:feature_detail", args=[feature_request.pk])


def test_comments_can_be_deleted_by_their_author_only(creator_client, client_for, outsider, creator):
    feature_request = FeatureRequestFactory()
    creator_client.post(reverse("growth:feature_comment", args=[feature_request.pk]), {"body": "Yes please"})
    comment = FeatureComment.objects.get()
    assert comment.author == creator
    response = client_for(outsider).post(reverse("growth:feature_comment_delete", args=[comment.pk]))
    assert response.status_code == 404
    creator_client.post(reverse("growth:feature_comment_delete", args=[comment.pk]))
    assert not FeatureComment.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_creates_votes_and_comments(api_client, creator_api, outsider_api):
    created = creator_api.post(
        "/api/v1/growth/features/", {"title": "Dark mode", "category": "ui_ux"}, format="json"
    ).json()
    assert (created["score"], created["my_vote"], created["status"]) == (1, 1, "open")
    voted = outsider_api.post(f"/api/v1/growth/features/{created['id']}/vote/", {"value": -1}, format="json").json()
    assert (voted["score"], voted["my_vote"]) == (0, -1)
    listed = api_client.get("/api/v1/growth/features/", {"sort": "newest"}).json()
    assert [r["id"] for r in listed["results"]] == [created["id"]]
    comment = outsider_api.post(f"/api/v1/growth/features/{created['id']}/comments/", {"body": "Hmm"}, format="json")
    assert comment.status_code == 201
    assert len(api_client.get(f"/api/v1/growth/features/{created['id']}/comments/").json()["results"]) == 1
    assert api_client.post(f"/api/v1/growth/features/{created['id']}/vote/", {"value": 1}).status_code == 401
    assert outsider_api.get("/api/v1/growth/features/999999/").status_code == 404


def test_creating_requests_is_rate_limited(creator_api):
    statuses = [
        creator_api.post("/api/v1/growth/features/", {"title": f"Idea number {n}", "category": "other"}).status_code
        for n in range(11)
    ]
    assert statuses == [201] * 10 + [429]
