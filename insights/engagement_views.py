"""Beacons of our video player: a view and watched seconds, sent with navigator.sendBeacon."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from config.throttling import person_rate_count
from growth.assignment import visitor_id
from insights.services.engagement import player_view_record, player_visitor_key, player_watch_record
from videos.permissions import video_get_for_user

BEACON_SCOPE = "player_beacons"


def _beacon_video_and_visitor(request: HttpRequest, video_id: int) -> tuple:
    person_rate_count(scope=BEACON_SCOPE, person_id=request.user.pk)
    video = video_get_for_user(user=request.user, video_id=video_id)
    return video, player_visitor_key(user_id=request.user.pk, visitor=visitor_id(request))


@login_required
@require_POST
def player_view_beacon(request: HttpRequest, video_id: int) -> HttpResponse:
    video, visitor = _beacon_video_and_visitor(request, video_id)
    player_view_record(video=video, visitor_key=visitor)
    return HttpResponse(status=204)


@login_required
@require_POST
def player_watch_beacon(request: HttpRequest, video_id: int) -> HttpResponse:
    video, visitor = _beacon_video_and_visitor(request, video_id)
    try:
        seconds = int(float(request.POST.get("seconds", "0")))
    except ValueError:
        return HttpResponse(status=400)
    player_watch_record(video=video, visitor_key=visitor, seconds=seconds)
    return HttpResponse(status=204)
