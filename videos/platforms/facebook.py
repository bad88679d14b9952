"""Facebook: a Page video through the Graph API's resumable upload (start, transfer, finish).

The person's token lists their Pages (GET /me/accounts); the Page's own token uploads.
1. POST /{page-id}/videos upload_phase=start, file_size -> video_id, upload_session_id, offsets.
2. POST upload_phase=transfer with start_offset and the chunk (multipart) until start == end.
3. POST upload_phase=finish with the title and description. The video id is known from step 1,
   so a lost answer is looked up (GET /{video-id}?fields=status,permalink_url), never guessed.
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
from videos.platforms.instagram import _metrics


class FacebookClient(PlatformClient):
    platform = "facebook"
    label = gettext_lazy("Facebook")
    # Page videos: at most 10 GB and 240 minutes.
    limits = MediaLimits(max_bytes=10 * 1024**3, max_seconds=240 * 60, min_seconds=1)
    base_url_setting = "PUBLISHING_FACEBOOK_BASE_URL"

    page_token = ""

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.page_token or self.access_token}"}

    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        self.check(media)
        # The Page's token is asked for on every attempt and kept in memory only, never in the state.
        self._choose_page()
        page = self.state["page_id"]
        if self.state.get("phase") == "finish_sent":
            looked_up = self._lookup()
            if looked_up is not None:
                return looked_up
        elif not self.state.get("upload_session_id"):
            response = self.request(
                "POST", f"/{page}/videos", data={"upload_phase": "start", "file_size": str(media.size)}
            )
            body = response.json()
            self.save(
                video_id=str(body["video_id"]),
                upload_session_id=str(body["upload_session_id"]),
                start_offset=int(body["start_offset"]),
                end_offset=int(body["end_offset"]),
                phase="transfer",
            )
        self._transfer(page, media)
        self.save(phase="finish_sent")
        data = {
            "upload_phase": "finish",
            "upload_session_id": self.state["upload_session_id"],
            "title": meta.title[:255],
            "description": meta.caption,
            "published": "true" if meta.privacy == "public" else "false",
        }
        try:
            response = self.request("POST", f"/{page}/videos", data=data, media_sent=True)
        except UnknownOutcome:
            looked_up = self._lookup()
            if looked_up is None:
                raise
            return looked_up
        if not response.json().get("success", False):
            raise PermanentError(_("Facebook did not accept the finished upload."))
        return self._result()

    def _choose_page(self) -> None:
        response = self.request("GET", "/me/accounts", params={"fields": "id,name,access_token"})
        pages = response.json().get("data") or []
        wanted = self.state.get("page_id") or self.account_data.get("page_id")
        page = next((p for p in pages if str(p.get("id")) == str(wanted)), pages[0] if pages else None)
        if page is None:
            raise PermanentError(
                _("The Facebook account manages no Page to publish on."),
                action=_("Publish from a Facebook account that manages a Page, and allow it to post videos."),
            )
        self.page_token = str(page.get("access_token", ""))
        if self.state.get("page_id") != str(page["id"]):
            self.save(page_id=str(page["id"]))

    def _transfer(self, page: str, media: MediaFile) -> None:
        start, end = int(self.state.get("start_offset", 0)), int(self.state.get("end_offset", 0))
        while start < end:
            chunk = media.read(start, end - start)
            response = self.request(
                "POST",
                f"/{page}/videos",
                data={
                    "upload_phase": "transfer",
                    "upload_session_id": self.state["upload_session_id"],
                    "start_offset": str(start),
                },
                files={"video_file_chunk": ("chunk", chunk, "application/octet-stream")},
            )
            body = response.json()
            start, end = int(body["start_offset"]), int(body["end_offset"])
            self.save(start_offset=start, end_offset=end)

    def _lookup(self) -> PublishResult | None:
        """The video if the finish went through, None if it did not (finishing again is safe); else UnknownOutcome."""
        try:
            response = self.request("GET", f"/{self.state['video_id']}", params={"fields": "status,permalink_url"})
        except TransientError:
            raise
        body = response.json()
        status: dict[str, Any] = body.get("status") or {}
        publishing = (status.get("publishing_phase") or {}).get("status")
        uploading = (status.get("uploading_phase") or {}).get("status")
        if status.get("video_status") in ("ready", "processing", "upload_complete") or publishing not in (
            None,
            "not_started",
        ):
            return self._result(body.get("permalink_url", ""))
        if uploading in ("in_progress", "not_started"):
            return None
        raise UnknownOutcome(
            _("Facebook could not say whether the video was published."),
            action=_("Check your Facebook Page; confirm the post if it is there, or try again."),
        )

    def _result(self, permalink: str = "") -> PublishResult:
        video_id = self.state["video_id"]
        if permalink.startswith("/"):
            permalink = f"https://www.facebook.com{permalink}"
        return PublishResult(
            remote_id=video_id,
            public_url=permalink or f"https://www.facebook.com/{self.state['page_id']}/videos/{video_id}",
        )

    def stats(self, remote_id: str) -> PostStats:
        response = self.request(
            "GET",
            f"/{remote_id}/video_insights",
            params={
                "metric": "total_video_views,total_video_reactions_by_type_total,total_video_stories_by_action_type"
            },
        )
        found = _metrics(
            response.json(),
            {
                "views": "total_video_views",
                "likes": "total_video_reactions_by_type_total",
                "shares": "total_video_stories_by_action_type",
            },
        )
        return PostStats(**found)
