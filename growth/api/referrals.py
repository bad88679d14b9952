from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from growth.api.serializers import ReferralAppliedSerializer, ReferralApplySerializer, ReferralSerializer
from growth.referral_selectors import referral_stats_for_user
from growth.referral_views import referral_share_url
from growth.services.referrals import referral_apply, referral_code_get_or_create


class ReferralView(APIView):
    """The signed-in person's referral code, share URL and what it brought."""

    @extend_schema(responses=ReferralSerializer)
    def get(self, request: Request) -> Response:
        code = referral_code_get_or_create(user=request.user)
        stats = referral_stats_for_user(user=request.user)
        body = {"code": code.code, "share_url": referral_share_url(code), "stats": stats.__dict__}
        return Response(ReferralSerializer(body).data)


class ReferralApplyView(APIView):
    """Apply a friend's referral code to the signed-in (new) account: its first invoice is discounted."""

    @extend_schema(request=ReferralApplySerializer, responses={201: ReferralAppliedSerializer})
    def post(self, request: Request) -> Response:
        serializer = ReferralApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = referral_apply(referee=request.user, code=serializer.validated_data["code"])
        body = {"referrer_code": referral.code.code, "percent_off": settings.GROWTH_REFERRAL_PERCENT_OFF}
        return Response(ReferralAppliedSerializer(body).data, status=status.HTTP_201_CREATED)
