"""The NPS survey and the support inbox over the API: the same services as the pages.

A screenshot is sent with the support form page only (the API takes JSON).
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from insights.models import NpsResponse, SupportMessage, SupportRequest
from insights.nps_models import NpsChannel
from insights.nps_selectors import nps_is_due, nps_open_ask
from insights.permissions import support_request_get_for_user
from insights.services.nps import nps_answer, nps_dismiss
from insights.services.support import support_reply_from_user, support_request_create
from insights.support_selectors import support_request_list_for_user, support_thread


class NpsSurveySerializer(serializers.Serializer):
    due = serializers.BooleanField(help_text="Whether the survey is waiting for an answer from you now.")


class NpsAnswerSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=10)
    feedback = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NpsResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = NpsResponse
        fields = ["id", "score", "category", "feedback", "channel", "created_at"]
        read_only_fields = fields


class NpsDismissedSerializer(serializers.Serializer):
    dismissed = serializers.BooleanField(help_text="False when no survey was waiting.")


def _answerable(user: object) -> bool:
    return nps_is_due(user=user) or nps_open_ask(user=user) is not None


class NpsSurveyView(APIView):
    """Whether the NPS survey is waiting for you (30 days after signing up, then every 90 days)."""

    @extend_schema(responses=NpsSurveySerializer)
    def get(self, request: Request) -> Response:
        return Response({"due": _answerable(request.user)})


class NpsAnswerView(APIView):
    """Answer the survey: a score 0-10 and optional feedback; once per survey period."""

    @extend_schema(request=NpsAnswerSerializer, responses={201: NpsResponseSerializer})
    def post(self, request: Request) -> Response:
        serializer = NpsAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        open_ask = nps_open_ask(user=request.user)
        by_email = open_ask is not None and open_ask.asked_by == NpsChannel.EMAIL
        response = nps_answer(
            user=request.user, channel=NpsChannel.EMAIL if by_email else NpsChannel.IN_APP, **serializer.validated_data
        )
        return Response(NpsResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class NpsDismissView(APIView):
    """Not now: counts as asked for this period."""

    @extend_schema(request=None, responses=NpsDismissedSerializer)
    def post(self, request: Request) -> Response:
        return Response({"dismissed": nps_dismiss(user=request.user)})


class SupportMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = SupportMessage
        fields = ["id", "from_staff", "author_name", "body", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_author_name(self, message: SupportMessage) -> str:
        return message.author.name if message.author else ""


class SupportRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportRequest
        fields = ["id", "category", "subject", "status", "created_at", "updated_at"]
        read_only_fields = fields


class SupportRequestDetailSerializer(SupportRequestSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(SupportRequestSerializer.Meta):
        fields = [*SupportRequestSerializer.Meta.fields, "messages"]
        read_only_fields = fields

    @extend_schema_field(SupportMessageSerializer(many=True))
    def get_messages(self, support_request: SupportRequest) -> list[dict]:
        return SupportMessageSerializer(support_thread(request=support_request), many=True).data


class SupportRequestCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SupportRequest.Category.choices)
    subject = serializers.CharField(max_length=140)
    message = serializers.CharField(max_length=5000)


class SupportReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


def _id(pk: object) -> int:
    from config.errors import NotFound

    if not str(pk).isdigit() or int(str(pk)) > 2**63 - 1:
        raise NotFound()
    return int(str(pk))


class SupportRequestListView(generics.ListCreateAPIView):
    """Your support requests, most recently active first; post to send a new one."""

    serializer_class = SupportRequestSerializer

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return support_request_list_for_user(user=self.request.user)

    @extend_schema(request=SupportRequestCreateSerializer, responses={201: SupportRequestDetailSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = SupportRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        support_request = support_request_create(user=request.user, **serializer.validated_data)
        return Response(SupportRequestDetailSerializer(support_request).data, status=status.HTTP_201_CREATED)


class SupportRequestDetailView(APIView):
    """One of your requests with its whole thread; anyone else's is 404."""

    @extend_schema(responses=SupportRequestDetailSerializer)
    def get(self, request: Request, pk: str) -> Response:
        support_request = support_request_get_for_user(user=request.user, request_id=_id(pk))
        return Response(SupportRequestDetailSerializer(support_request).data)


class SupportReplyView(APIView):
    """Add a message to your request's thread (it opens again)."""

    @extend_schema(request=SupportReplySerializer, responses={201: SupportMessageSerializer})
    def post(self, request: Request, pk: str) -> Response:
        support_request = support_request_get_for_user(user=request.user, request_id=_id(pk))
        serializer = SupportReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = support_reply_from_user(request=support_request, user=request.user, **serializer.validated_data)
        return Response(SupportMessageSerializer(message).data, status=status.HTTP_201_CREATED)
