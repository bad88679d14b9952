"""TikTok: the Content Posting API's direct post with FILE_UPLOAD.

1. POST /v2/post/publish/video/init/ with post_info and source_info (video_size, chunk_size,
   total_chunk_count); the answer holds `publish_id` and `upload_url`.
2. PUT each chunk to upload_url with `Content-Range: bytes a-b/total` (206 after a chunk, 201 when
   complete). Chunks are at least chunk_size; the last one takes the remainder.
3. POST /v2/post/publish/status/fetch/ with publish_id until PUBLISH_COMPLETE. The publish id is
   known before any byte is sent, so a lost answer is always looked up here, never guessed.
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

PRIVACY = {"public": "PUBLIC_TO_EVERYONE", "unlisted": "MUTUAL_FOLLOW_FRIENDS", "private": "SELF_ONLY"}
PROCESSING = {"PROCESSING_UPLOAD", "PROCESSING_DOWNLOAD", "SEND_TO_USER_INBOX"}


class TikTokClient(PlatformClient):
    platform = "tiktok"
    label = gettext_lazy("TikTok")
    # FILE_UPLOAD: at most 4 GB; direct posts up to 10 minutes (an account may be allowed less).
    limits = MediaLimits(max_bytes=4 * 1024**3, max_seconds=600, min_seconds=3)
    base_url_setting = "PUBLISHING_TIKTOK_BASE_URL"

    def chunk_plan(self, size: int) -> tuple[int, int]:
        """(chunk_size, total_chunk_count) as TikTok counts them: a file smaller than a chunk is one chunk."""
        if size <= self.chunk_size:
            return size, 1
        return self.chunk_size, size // self.chunk_size

    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        self.check(media)
        publish_id = self.state.get("publish_id")
        if publish_id and self.state.get("phase") == "uploaded":
            return self._wait_for(publish_id)
        if publish_id:
            # A chunk's answer may have been lost: ask TikTok before sending anything again.
            if self._status(publish_id).get("status") != "PROCESSING_UPLOAD":
                return self._wait_for(publish_id)
        else:
            publish_id = self._init(media, meta)
        self._upload(media)
        self.save(phase="uploaded")
        return self._wait_for(publish_id)

    def _init(self, media: MediaFile, meta: PostMeta) -> str:
        chunk_size, count = self.chunk_plan(media.size)
        title = meta.caption or meta.title
        if meta.tags:
            title = f"{title} " + " ".join(f"#{tag}" for tag in meta.tags)
        body = {
            "post_info": {"title": title.strip()[:2200], "privacy_level": PRIVACY.get(meta.privacy, "SELF_ONLY")},
            "source_info": {
                "source": "FILE_UPLOAD",
                "video_size": media.size,
                "chunk_size": chunk_size,
                "total_chunk_count": count,
            },
        }
        response = self.request(
            "POST",
            "/v2/post/publish/video/init/",
            json=body,
            headers={"Content-Type": "application/json; charset=UTF-8"},
        )
        data = self._data(response.json())
        self.save(publish_id=data["publish_id"], upload_url=data["upload_url"], next_chunk=0, phase="uploading")
        return str(data["publish_id"])

    def _upload(self, media: MediaFile) -> None:
        chunk_size, count = self.chunk_plan(media.size)
        for index in range(int(self.state.get("next_chunk", 0)), count):
            start = index * chunk_size
            end = media.size if index == count - 1 else start + chunk_size
            data = media.read(start, end - start)
            headers = {
                "Content-Type": media.content_type,
                "Content-Range": f"bytes {start}-{end - 1}/{media.size}",
            }
            # The upload URL carries its own authorisation; TikTok's docs send no bearer token there.
            try:
                response = self.http.put(self.state["upload_url"], data=data, headers=headers, timeout=self.timeout)
            except Exception as exc:
                raise TransientError(_("TikTok did not answer while the video was being sent.")) from exc
            self.raise_for_status(response)
            self.save(next_chunk=index + 1)

    def _status(self, publish_id: str) -> dict[str, Any]:
        response = self.request(
            "POST",
            "/v2/post/publish/status/fetch/",
            json={"publish_id": publish_id},
            headers={"Content-Type": "application/json; charset=UTF-8"},
        )
        return self._data(response.json())

    def _wait_for(self, publish_id: str) -> PublishResult:
        for _attempt in range(self.poll_attempts):
            data = self._status(publish_id)
            status = data.get("status")
            if status == "PUBLISH_COMPLETE":
                post_ids = data.get("publicaly_available_post_id") or data.get("publicly_available_post_id") or []
                remote = str(post_ids[0]) if post_ids else publish_id
                username = self.account_data.get("username") or self.account_data.get("display_name") or ""
                url = f"https://www.tiktok.com/@{username}/video/{remote}" if post_ids and username else ""
                return PublishResult(remote_id=remote, public_url=url)
            if status == "FAILED":
                raise PermanentError(
                    _("TikTok could not publish the video (%(reason)s).") % {"reason": data.get("fail_reason", "")},
                    action=_("Check the video meets TikTok's rules and the account may post, then try again."),
                )
            if status not in PROCESSING:
                raise UnknownOutcome(
                    _("TikTok reports the post as “%(status)s”.") % {"status": status},
                    action=_("Check your TikTok account; confirm the post if it is there, or try again."),
                )
            self.wait()
        raise TransientError(_("TikTok is still processing the video."))

    def _data(self, body: dict[str, Any]) -> dict[str, Any]:
        error = body.get("error") or {}
        if error.get("code") not in (None, "", "ok"):
            raise PermanentError(
                _("TikTok refused the request: %(detail)s") % {"detail": error.get("message") or error.get("code")},
                action=_("Check the account may post (TikTok limits posts per day), then try again."),
            )
        return body.get("data") or {}

    def stats(self, remote_id: str) -> PostStats:
        response = self.request(
            "POST",
            "/v2/video/query/",
            params={"fields": "id,view_count,like_count,share_count"},
            json={"filters": {"video_ids": [remote_id]}},
        )
        videos = self._data(response.json()).get("videos") or [{}]
        video = videos[0]
        return PostStats(
            views=int(video.get("view_count", 0)),
            likes=int(video.get("like_count", 0)),
            shares=int(video.get("share_count", 0)),
        )
