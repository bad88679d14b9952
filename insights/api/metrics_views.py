"""The metrics API for staff: each metric's daily series from the snapshots, with its definition."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import DomainError, NotFound
from config.throttling import ScopeRateThrottle
from insights.metrics.registry import METRICS, metric_series

MAX_DAYS = 731
DEFAULT_DAYS = 30


class MetricsRateThrottle(ScopeRateThrottle):
    """Every metrics request, per person."""

    scope = "metrics"


class MetricSummarySerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=sorted(METRICS))
    label = serializers.CharField()
    definition = serializers.CharField(help_text="The metric's definition, from the function that computes it.")


class MetricPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.FloatField(allow_null=True, help_text="Amounts are in cents; rates are shares (0.25 = 25 %).")


class MetricSeriesSerializer(MetricSummarySerializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    missing_days = serializers.IntegerField(help_text="Days of the range without a snapshot (not yet written).")
    series = MetricPointSerializer(many=True)


DAYS = OpenApiParameter(
    "days", int, description=f"How many finished days, ending yesterday: 1 to {MAX_DAYS} (default {DEFAULT_DAYS})."
)
SERIES_EXAMPLE = OpenApiExample(
    "MRR over three days",
    response_only=True,
    value={
        "name": "mrr",
        "label": "MRR (cents)",
        "definition": "Monthly recurring revenue at an instant, in cents: …",
        "start": "2026-11-27",
        "end": "2026-11-29",
        "days": 3,
        "missing_days": 0,
        "series": [
            {"day": "2026-11-27", "value": 120000},
            {"day": "2026-11-28", "value": 121200},
            {"day": "2026-11-29", "value": 121200},
        ],
    },
)


def _summary(name: str) -> dict:
    metric = METRICS[name]
    return {"name": name, "label": str(metric.label), "definition": metric.definition}


@extend_schema(tags=["metrics"])
class MetricListView(APIView):
    """The metrics staff can read, with their definitions. Staff tokens only."""

    permission_classes = [permissions.IsAuthenticated, permissions.IsAdminUser]
    throttle_classes = [*APIView.throttle_classes, MetricsRateThrottle]

    @extend_schema(responses=MetricSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response([_summary(name) for name in sorted(METRICS)])


@extend_schema(tags=["metrics"])
class MetricDetailView(APIView):
    """One metric's daily values over the last `days` finished days, from the daily snapshots. Staff tokens only."""

    permission_classes = [permissions.IsAuthenticated, permissions.IsAdminUser]
    throttle_classes = [*APIView.throttle_classes, MetricsRateThrottle]

    @extend_schema(parameters=[DAYS], responses=MetricSeriesSerializer, examples=[SERIES_EXAMPLE])
    def get(self, request: Request, name: str) -> Response:
        if name not in METRICS:
            raise NotFound()
        raw = request.query_params.get("days", str(DEFAULT_DAYS))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
            raise DomainError(
                _("days must be a whole number from 1 to %(max)d.") % {"max": MAX_DAYS}, code="invalid", field="days"
            )
        days = int(raw)
        end = timezone.now().date() - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        series = metric_series(metric=METRICS[name], start=start, end=end)
        body = {**_summary(name), "start": start, "end": end, "days": days, "missing_days": days - len(series)}
        return Response(MetricSeriesSerializer({**body, "series": series}).data)
