"""Teams, members, invitations and notifications over the API; the same services as the pages."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import selectors, services
from teams.api.team_serializers import (
    CountSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MemberSerializer,
    MyInvitationSerializer,
    NotificationPreferencesSerializer,
    NotificationSerializer,
    RoleSerializer,
    TeamSerializer,
    TeamUpdateSerializer,
)
from teams.models import Invitation, Membership, Notification, Team
from teams.permissions import (
    Action,
    invitation_get_for_invitee,
    invitation_get_for_user,
    membership_get_for_user,
    notification_get_for_user,
    team_get_for_user,
)


class TeamMixin:
    """Resolves `slug` through the one access helper: 404 for non-members, 403 for a lacking role."""

    team_action: str = Action.VIEW
    request: Request

    def get_team(self, action: str | None = None) -> Team:
        return team_get_for_user(user=self.request.user, slug=self.kwargs["slug"], action=action or self.team_action)


class TeamListView(generics.ListCreateAPIView):
    """Your teams (with your role); create a team and become its owner."""

    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        return selectors.team_list_for_user(user=self.request.user)

    def perform_create(self, serializer: TeamSerializer) -> None:
        team = services.team_create(creator=self.request.user, **serializer.validated_data)
        team.role = Membership.Role.OWNER
        serializer.instance = team


class TeamDetailView(TeamMixin, APIView):
    """A team you belong to; managers rename it, owners delete it."""

    @extend_schema(responses=TeamSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(TeamSerializer(self.get_team()).data)

    @extend_schema(request=TeamUpdateSerializer, responses=TeamSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        team = self.get_team(Action.MANAGE_MEMBERS)
        serializer = TeamUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.team_update(team=team, actor=request.user, **serializer.validated_data)
        return Response(TeamSerializer(team).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        services.team_delete(team=self.get_team(Action.DELETE_TEAM), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(TeamMixin, generics.ListAPIView):
    """The team's members, owners first."""

    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.membership_list_for_team(team=self.get_team())


class MemberDetailView(TeamMixin, APIView):
    """Change a member's role, or remove them (removing yourself means leaving)."""

    def get_membership(self, action: str) -> Membership:
        return membership_get_for_user(
            user=self.request.user, slug=self.kwargs["slug"], user_id=self.kwargs["user_id"], action=action
        )

    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    def patch(self, request: Request, slug: str, user_id: int) -> Response:
        membership = self.get_membership(Action.MANAGE_MEMBERS)
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_change_role(
            membership=membership, actor=request.user, role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, user_id: int) -> Response:
        leaving = user_id == request.user.pk
        membership = self.get_membership(Action.VIEW if leaving else Action.MANAGE_MEMBERS)
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamLeaveView(TeamMixin, APIView):
    """Leave the team (the last owner cannot)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, slug: str) -> Response:
        membership = membership_get_for_user(user=request.user, slug=slug, user_id=request.user.pk)
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(TeamMixin, generics.ListCreateAPIView):
    """Pending (and expired, re-sendable) invitations; invite someone by e-mail."""

    serializer_class = InvitationSerializer
    team_action = Action.MANAGE_MEMBERS

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.invitation_list_pending_for_team(team=self.get_team())

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def post(self, request: Request, slug: str) -> Response:
        team = self.get_team()
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_create(team=team, actor=request.user, **serializer.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationActionView(TeamMixin, APIView):
    team_action = Action.MANAGE_MEMBERS
    action_name = ""

    def get_invitation(self) -> Invitation:
        return invitation_get_for_user(
            user=self.request.user, slug=self.kwargs["slug"], invitation_id=self.kwargs["pk"], action=self.team_action
        )


class InvitationResendView(InvitationActionView):
    """Send the invitation again with a new link, valid for another 7 days."""

    @extend_schema(request=None, responses=InvitationSerializer)
    def post(self, request: Request, slug: str, pk: int) -> Response:
        invitation = services.invitation_resend(invitation=self.get_invitation(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)


class InvitationRevokeView(InvitationActionView):
    """Withdraw the invitation; its link stops working."""

    @extend_schema(request=None, responses=InvitationSerializer)
    def post(self, request: Request, slug: str, pk: int) -> Response:
        invitation = services.invitation_revoke(invitation=self.get_invitation(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)


class InvitationAcceptView(APIView):
    """Accept an invitation with the token from its e-mail; you join the team."""

    @extend_schema(request=InvitationAcceptSerializer, responses={201: TeamSerializer})
    def post(self, request: Request) -> Response:
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_get_by_token(token=serializer.validated_data["token"])
        membership = services.invitation_accept(invitation=invitation, user=request.user)
        team = membership.team
        team.role = membership.role
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications.")])
class NotificationListView(generics.ListAPIView):
    """Your notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        return selectors.notification_list_for_user(user=self.request.user, unread_only=unread)


class NotificationReadView(APIView):
    """Mark one notification read."""

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notification = notification_get_for_user(user=request.user, notification_id=pk)
        notification = services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    """Mark all your notifications read; returns how many changed."""

    @extend_schema(request=None, responses=CountSerializer)
    def post(self, request: Request) -> Response:
        return Response({"count": services.notification_mark_all_read(user=request.user)})


class NotificationUnreadCountView(APIView):
    """How many unread notifications you have."""

    @extend_schema(responses=CountSerializer)
    def get(self, request: Request) -> Response:
        return Response({"count": selectors.notification_unread_count(user=request.user)})


class MyInvitationListView(generics.ListAPIView):
    """Invitations addressed to your e-mail addresses that you can still accept."""

    serializer_class = MyInvitationSerializer

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.invitation_list_for_email(user=self.request.user).select_related("team", "invited_by")


class MyInvitationAcceptView(APIView):
    """Accept an invitation addressed to you (from the list above); you join the team."""

    queryset = Invitation.objects.none()  # for the schema's path parameter

    @extend_schema(request=None, responses={201: TeamSerializer})
    def post(self, request: Request, pk: int) -> Response:
        invitation = invitation_get_for_invitee(user=request.user, invitation_id=pk)
        membership = services.invitation_accept(invitation=invitation, user=request.user)
        team = membership.team
        team.role = membership.role
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class NotificationPreferencesView(APIView):
    """Which notification kinds you get in your inbox, by e-mail and as browser notifications."""

    def _answer(self, request: Request) -> Response:
        chosen = services.notification_channel_kinds_for(user=request.user)
        return Response(
            {
                "email_kinds": sorted(chosen["email"]),
                "in_app_kinds": sorted(chosen["in_app"]),
                "push_kinds": sorted(chosen["push"]),
                "available_kinds": services.emailable_kinds(user=request.user),
                "available_push_kinds": services.pushable_kinds(user=request.user),
            }
        )

    @extend_schema(responses=NotificationPreferencesSerializer)
    def get(self, request: Request) -> Response:
        return self._answer(request)

    @extend_schema(request=NotificationPreferencesSerializer, responses=NotificationPreferencesSerializer)
    def put(self, request: Request) -> Response:
        context = {
            "kinds": services.emailable_kinds(user=request.user),
            "push_kinds": services.pushable_kinds(user=request.user),
        }
        serializer = NotificationPreferencesSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.notification_preferences_save(
            user=request.user,
            email_kinds=set(data["email_kinds"]),
            in_app_kinds=set(data["in_app_kinds"]) if "in_app_kinds" in data else None,
            push_kinds=set(data["push_kinds"]) if "push_kinds" in data else None,
        )
        return self._answer(request)
