"""Instagram: Reels through the Graph API's content publishing (container, then publish).

1. POST /{ig-user-id}/media with media_type=REELS and a `video_url` Instagram fetches (a signed,
   expiring link to our file); the container's id comes back.
2. GET /{container-id}?fields=status_code until FINISHED (ERROR/EXPIRED are permanent).
3. POST /{ig-user-id}/media_publish with creation_id. If that answer is lost, the container's
   status says what happened: PUBLISHED (it went through), FINISHED (it did not: publish again).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from videos.platforms.base import (
    MediaFile,
    MediaLimits,
    PermanentError,
    PlatformClient,
    PostMeta,
    PostStats,
    PublishResult,
    TransientError,
    UnknownOutcome,
)


class InstagramClient(PlatformClient):
    platform = "instagram"
    label = gettext_lazy("Instagram")
    # Reels: 3 seconds to 15 minutes, at most 300 MB, aspect ratio 0.01:1 to 10:1 (9:16 recommended).
    limits = MediaLimits(max_bytes=300 * 1024**2, max_seconds=900, min_seconds=3, min_aspect=0.01, max_aspect=10)
    base_url_setting = "PUBLISHING_INSTAGRAM_BASE_URL"

    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        self.check(media)
        if not media.url:
            raise PermanentError(_("Instagram fetches the video from a link, and none could be made."))
        container = self.state.get("container_id")
        if not container:
            caption = meta.caption
            if meta.tags:
                caption = f"{caption} " + " ".join(f"#{tag}" for tag in meta.tags)
            response = self.request(
                "POST",
                f"/{self.account_uid}/media",
                data={
                    "media_type": "REELS",
                    "video_url": media.url,
                    "caption": caption.strip(),
                    "share_to_feed": "true",
                },
            )
            container = str(response.json()["id"])
            self.save(container_id=container, phase="container")
        status = self._wait_for(container)
        if status == "PUBLISHED":
            return self._published_without_answer(container)
        if self.state.get("phase") == "publish_sent" and status != "FINISHED":
            raise UnknownOutcome(
                _("Instagram did not confirm the post and cannot say whether it exists."),
                action=_("Check your Instagram account; confirm the post if it is there, or try again."),
            )
        self.save(phase="publish_sent")
        try:
            response = self.request(
                "POST", f"/{self.account_uid}/media_publish", data={"creation_id": container}, media_sent=True
            )
        except UnknownOutcome:
            if self._status(container) == "PUBLISHED":
                return self._published_without_answer(container)
            raise
        media_id = str(response.json()["id"])
        return PublishResult(remote_id=media_id, public_url=self._permalink(media_id))

    def _status(self, container: str) -> str:
        response = self.request("GET", f"/{container}", params={"fields": "status_code,status"})
        return str(response.json().get("status_code", ""))

    def _wait_for(self, container: str) -> str:
        for _attempt in range(self.poll_attempts):
            status = self._status(container)
            if status in ("FINISHED", "PUBLISHED"):
                return status
            if status in ("ERROR", "EXPIRED"):
                self.save(container_id="", phase="")
                raise PermanentError(
                    _("Instagram could not process the video (%(status)s).") % {"status": status},
                    action=_("Check the video meets Instagram's Reels rules (MP4, H.264, AAC audio), then try again."),
                )
            self.wait()
        raise TransientError(_("Instagram is still processing the video."))

    def _published_without_answer(self, container: str) -> PublishResult:
        # The container says the publish went through but its answer (the media id) was lost: the
        # account's newest media is taken as the post (a post made by hand in the same seconds could
        # be mistaken for it, which only affects the link shown, never publishes twice).
        response = self.request("GET", f"/{self.account_uid}/media", params={"fields": "id,permalink", "limit": 1})
        items = response.json().get("data") or []
        if items:
            return PublishResult(remote_id=str(items[0]["id"]), public_url=str(items[0].get("permalink", "")))
        return PublishResult(remote_id=container)

    def _permalink(self, media_id: str) -> str:
        try:
            return str(self.request("GET", f"/{media_id}", params={"fields": "permalink"}).json().get("permalink", ""))
        except TransientError:
            return ""

    def stats(self, remote_id: str) -> PostStats:
        response = self.request("GET", f"/{remote_id}/insights", params={"metric": "views,likes,shares"})
        return PostStats(**_metrics(response.json(), {"views": "views", "likes": "likes", "shares": "shares"}))


def _metrics(body: dict[str, Any], names: dict[str, str]) -> dict[str, int]:
    """Graph API insights ({"data": [{"name", "values": [{"value"}]} or "total_value"]}) -> our names."""
    found: dict[str, int] = {}
    for item in body.get("data", []):
        value: Any = (item.get("total_value") or {}).get("value")
        if value is None and item.get("values"):
            value = item["values"][-1].get("value")
        if isinstance(value, dict):
            value = sum(int(v) for v in value.values())
        for ours, theirs in names.items():
            if item.get("name") == theirs:
                found[ours] = int(value or 0)
    return found
