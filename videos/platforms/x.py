"""X: chunked media upload (INIT, APPEND, FINALIZE, STATUS), then a post with the media.

1. POST /2/media/upload command=INIT total_bytes media_type media_category=tweet_video -> media id.
2. POST command=APPEND media_id segment_index with the chunk (multipart), in order.
3. POST command=FINALIZE; while processing_info says pending/in_progress, GET command=STATUS.
4. POST /2/tweets {"text", "media": {"media_ids": [...]}}. X offers no idempotency key and no way to
   find the post a lost answer created, so a timeout here is "unknown", never retried blindly.
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


class XClient(PlatformClient):
    platform = "x"
    label = gettext_lazy("X")
    # tweet_video: at most 512 MB and 140 seconds, aspect ratio 1:3 to 3:1.
    limits = MediaLimits(max_bytes=512 * 1024**2, max_seconds=140, min_seconds=0.5, min_aspect=1 / 3, max_aspect=3)
    base_url_setting = "PUBLISHING_X_BASE_URL"

    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        self.check(media)
        if self.state.get("phase") == "post_sent":
            raise UnknownOutcome(
                _("The post on X was sent but its answer was lost, and X cannot look it up."),
                action=_("Check your X account; confirm the post if it is there, or try again."),
            )
        media_id = self.state.get("media_id")
        if not media_id:
            response = self.request(
                "POST",
                "/2/media/upload",
                data={
                    "command": "INIT",
                    "total_bytes": str(media.size),
                    "media_type": media.content_type,
                    "media_category": "tweet_video",
                },
            )
            media_id = _media_id(response.json())
            self.save(media_id=media_id, next_segment=0, phase="append")
        if self.state.get("phase") == "append":
            self._append(media_id, media)
            response = self.request("POST", "/2/media/upload", data={"command": "FINALIZE", "media_id": media_id})
            self.save(phase="processing")
            self._wait_for(media_id, response.json())
        elif self.state.get("phase") == "processing":
            self._wait_for(media_id, None)
        text = meta.caption or meta.title
        if meta.tags:
            text = f"{text} " + " ".join(f"#{tag}" for tag in meta.tags)
        self.save(phase="post_sent")
        response = self.request(
            "POST", "/2/tweets", json={"text": text.strip()[:280], "media": {"media_ids": [media_id]}}, media_sent=True
        )
        post_id = str(response.json()["data"]["id"])
        return PublishResult(remote_id=post_id, public_url=f"https://x.com/i/web/status/{post_id}")

    def _append(self, media_id: str, media: MediaFile) -> None:
        segment = int(self.state.get("next_segment", 0))
        for offset, chunk in media.chunks(self.chunk_size, start=segment * self.chunk_size):
            self.request(
                "POST",
                "/2/media/upload",
                data={"command": "APPEND", "media_id": media_id, "segment_index": str(offset // self.chunk_size)},
                files={"media": ("blob", chunk, "application/octet-stream")},
            )
            self.save(next_segment=offset // self.chunk_size + 1)

    def _wait_for(self, media_id: str, body: dict[str, Any] | None) -> None:
        for _attempt in range(self.poll_attempts):
            if body is None:
                body = self.request("GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}).json()
            info = (body.get("data") or body).get("processing_info")
            if not info or info.get("state") == "succeeded":
                return
            if info.get("state") == "failed":
                self.save(media_id="", phase="", next_segment=0)
                error = info.get("error") or {}
                raise PermanentError(
                    _("X could not process the video: %(detail)s") % {"detail": error.get("message", "")},
                    action=_("Check the video meets X's rules (MP4, H.264, up to 140 seconds), then try again."),
                )
            self.wait(info.get("check_after_secs", self.poll_seconds) if self.poll_seconds else 0)
            body = None
        raise TransientError(_("X is still processing the video."))

    def stats(self, remote_id: str) -> PostStats:
        response = self.request("GET", f"/2/tweets/{remote_id}", params={"tweet.fields": "public_metrics"})
        metrics = (response.json().get("data") or {}).get("public_metrics") or {}
        return PostStats(
            views=int(metrics.get("impression_count", 0)),
            likes=int(metrics.get("like_count", 0)),
            shares=int(metrics.get("retweet_count", 0)) + int(metrics.get("quote_count", 0)),
        )


def _media_id(body: dict[str, Any]) -> str:
    data = body.get("data") or {}
    media_id = data.get("id") or body.get("media_id_string") or body.get("media_id")
    if not media_id:
        raise PermanentError(_("X did not return an id for the uploaded video."))
    return str(media_id)
