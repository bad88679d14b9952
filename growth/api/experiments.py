"""The experiments API: a person's assignments, and goals posted by a client (once per event id)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import ScopeRateThrottle
from growth.analysis import experiment_assignments_for_user
from growth.experiments_models import ExperimentAssignment
from growth.permissions import experiment_get_for_user
from growth.services.experiments import experiment_goal_record


class ExperimentThrottle(ScopeRateThrottle):
    """Reading assignments and posting goals, per person, on top of the plan's API rate."""

    scope = "experiments"


class AssignmentSerializer(serializers.Serializer):
    experiment = serializers.CharField(help_text=_("The experiment's key."))
    status = serializers.CharField(help_text=_("running or shipped."))
    variant = serializers.CharField(help_text=_("The key of the variant this person sees."))
    in_experiment = serializers.BooleanField(
        help_text=_("Whether the person takes part (false when shipped or outside coverage).")
    )
    exposed = serializers.BooleanField(help_text=_("Whether a page has shown it to them (their exposure counts)."))


class GoalSerializer(serializers.Serializer):
    experiment = serializers.SlugField(max_length=60, help_text=_("The experiment's key."))
    event_id = serializers.CharField(
        max_length=100, help_text=_("Your id for this event; posting the same id again changes nothing.")
    )


class GoalResultSerializer(serializers.Serializer):
    experiment = serializers.CharField()
    event_id = serializers.CharField()
    counted = serializers.BooleanField(help_text=_("Whether the person was exposed, so the goal can count."))
    created = serializers.BooleanField(help_text=_("False when this event id was posted before."))


class AssignmentListView(APIView):
    """The variant the signed-in person sees in every running or shipped experiment."""

    throttle_classes = [*APIView.throttle_classes, ExperimentThrottle]

    @extend_schema(responses=AssignmentSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(AssignmentSerializer(experiment_assignments_for_user(user=request.user), many=True).data)


class GoalCreateView(APIView):
    """Record that the signed-in person reached an experiment's goal; idempotent by `event_id`."""

    throttle_classes = [*APIView.throttle_classes, ExperimentThrottle]

    @extend_schema(request=GoalSerializer, responses={201: GoalResultSerializer, 200: GoalResultSerializer})
    def post(self, request: Request) -> Response:
        data = GoalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experiment = experiment_get_for_user(user=request.user, key=data.validated_data["experiment"], action="goal")
        goal, created = experiment_goal_record(
            user=request.user, experiment=experiment, event_id=data.validated_data["event_id"]
        )
        counted = ExperimentAssignment.objects.filter(
            experiment=experiment, user=request.user, exposed_at__lte=goal.occurred_at
        ).exists()
        body = {"experiment": experiment.key, "event_id": goal.event_id, "counted": counted, "created": created}
        return Response(
            GoalResultSerializer(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
