"""YouTube: the Data API's resumable upload (videos.insert with uploadType=resumable).

1. POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status with the metadata;
   the session URL comes back in `Location`.
2. PUT the bytes in chunks (multiples of 256 KiB) with `Content-Range: bytes a-b/total`; 308 means
   "go on" (its `Range` says what arrived), 200/201 carries the created video.
3. To resume, PUT an empty body with `Content-Range: bytes */total`: 308 tells the offset, 200/201
   says the upload is already complete (so a lost answer is looked up, never uploaded twice).
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

CHUNK_UNIT = 256 * 1024
PRIVACY = {"public": "public", "unlisted": "unlisted", "private": "private"}


class YouTubeClient(PlatformClient):
    platform = "youtube"
    label = gettext_lazy("YouTube")
    # 256 GB or 12 hours for verified accounts; unverified accounts 15 minutes.
    limits = MediaLimits(max_bytes=256 * 1024**3, max_seconds=12 * 3600, min_seconds=1)
    base_url_setting = "PUBLISHING_YOUTUBE_BASE_URL"

    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        self.check(media)
        session = self.state.get("session_url")
        offset = 0
        if session:
            done, offset = self._query(session, media.size)
            if done is not None:
                return done
            if offset is None:  # the session expired before the upload completed: nothing was created
                session = None
        if not session:
            session = self._start(media, meta)
            offset = 0
        return self._upload(session, media, offset or 0)

    def _start(self, media: MediaFile, meta: PostMeta) -> str:
        body = {
            "snippet": {
                "title": (meta.title or meta.caption or "Video")[:100],
                "description": meta.caption[:5000],
                "tags": meta.tags,
                "categoryId": "22",
            },
            "status": {"privacyStatus": PRIVACY.get(meta.privacy, "private"), "selfDeclaredMadeForKids": False},
        }
        response = self.request(
            "POST",
            "/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=body,
            headers={"X-Upload-Content-Length": str(media.size), "X-Upload-Content-Type": media.content_type},
        )
        session = response.headers.get("Location", "")
        if not session:
            raise TransientError(_("YouTube did not open an upload session."))
        self.save(session_url=session, offset=0)
        return session

    def _chunk(self) -> int:
        return max(CHUNK_UNIT, self.chunk_size // CHUNK_UNIT * CHUNK_UNIT)

    def _upload(self, session: str, media: MediaFile, offset: int) -> PublishResult:
        chunk = self._chunk()
        while offset < media.size:
            data = media.read(offset, chunk)
            end = offset + len(data) - 1
            headers = {"Content-Range": f"bytes {offset}-{end}/{media.size}", "Content-Type": media.content_type}
            try:
                response = self.request("PUT", session, data=data, headers=headers, media_sent=True)
            except UnknownOutcome:
                # The session can always be asked what arrived: look it up instead of guessing.
                done, offset_now = self._query(session, media.size)
                if done is not None:
                    return done
                if offset_now is None:
                    raise TransientError(_("YouTube's upload session expired; the upload starts again.")) from None
                offset = offset_now
                continue
            if response.status_code in (200, 201):
                return self._result(response.json())
            offset = self._offset_from(response)
            self.save(offset=offset)
        done, _offset = self._query(session, media.size)
        if done is not None:
            return done
        raise TransientError(_("YouTube has not confirmed the upload yet."))

    def _query(self, session: str, total: int) -> tuple[PublishResult | None, int | None]:
        """(the video if the upload is complete, else None; the offset to resume at, None if the session is gone)."""
        response = self.http.put(
            session,
            headers={**self.auth_headers(), "Content-Range": f"bytes */{total}"},
            data=b"",
            timeout=self.timeout,
        )
        if response.status_code in (200, 201):
            return self._result(response.json()), total
        if response.status_code in (404, 410):
            self.save(session_url="", offset=0)
            return None, None
        if response.status_code == 308:
            return None, self._offset_from(response)
        self.raise_for_status(response)
        return None, 0

    @staticmethod
    def _offset_from(response: Any) -> int:
        received = response.headers.get("Range", "")  # "bytes=0-524287"
        if not received:
            return 0
        return int(received.split("-")[-1]) + 1

    def _result(self, body: dict[str, Any]) -> PublishResult:
        video_id = str(body.get("id") or "")
        if not video_id:
            raise PermanentError(_("YouTube did not return the new video's id."))
        return PublishResult(remote_id=video_id, public_url=f"https://www.youtube.com/watch?v={video_id}")

    def stats(self, remote_id: str) -> PostStats:
        response = self.request("GET", "/youtube/v3/videos", params={"part": "statistics", "id": remote_id})
        items = response.json().get("items") or [{}]
        numbers = items[0].get("statistics", {})
        return PostStats(views=int(numbers.get("viewCount", 0)), likes=int(numbers.get("likeCount", 0)), shares=0)
