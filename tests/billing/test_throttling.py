import pytest
from django.core.cache import cache
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from billing.services import subscription_start
from billing.throttling import PlanRateThrottle


class PingView(APIView):
    throttle_classes = [PlanRateThrottle]

    def get(self, request):
        return Response({"ok": True})


@pytest.fixture(autouse=True)
def empty_throttle_history():
    cache.clear()
    yield
    cache.clear()


def ping(user):
    request = APIRequestFactory().get("/ping")
    force_authenticate(request, user=user)
    return PingView.as_view()(request)


def test_api_requests_are_limited_per_hour_by_the_accounts_plan(creator, outsider, free_plan, pro_plan):
    free_plan.api_rate_per_hour = 2
    free_plan.save(update_fields=["api_rate_per_hour"])
    subscription_start(user=outsider, plan=pro_plan, interval="month")
    assert [ping(creator).status_code for _ in range(3)] == [200, 200, 429]
    assert [ping(outsider).status_code for _ in range(3)] == [200, 200, 200]


def test_an_unlimited_plan_is_never_throttled(creator, free_plan):
    free_plan.api_rate_per_hour = None
    free_plan.save(update_fields=["api_rate_per_hour"])
    assert {ping(creator).status_code for _ in range(5)} == {200}
