"""What every platform client shares: the interface, the media limits check and the error mapping.

A client speaks one platform's documented upload flow over HTTP (`requests`). It is handed the
upload state saved by an earlier attempt and a `save_state` callback, and saves the state before
and after every step that creates something on the platform, so a later attempt resumes the same
upload session instead of starting a second upload. Failures are mapped to three kinds:

- `TransientError`: 429, 5xx, or a timeout before the media was sent; retried with backoff,
  honouring `Retry-After`.
- `PermanentError`: a revoked token, rejected media; shown with what to do, never retried.
- `UnknownOutcome`: the request that publishes timed out after the media was sent and the platform
  offers no way to look the post up; never retried blindly, the person decides.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PlatformError(Exception):
    kind = "error"

    def __init__(self, message: str, *, action: str = "", retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.action = action
        self.retry_after = retry_after
        self.status = status


class TransientError(PlatformError):
    kind = "transient"


class PermanentError(PlatformError):
    kind = "permanent"


class UnknownOutcome(PlatformError):
    kind = "unknown"


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int
    max_seconds: float
    min_seconds: float = 0
    # width / height, inclusive
    min_aspect: float = 0.0
    max_aspect: float = 100.0


@dataclass
class MediaFile:
    path: Path
    size: int
    duration_seconds: float | None = None
    width: int | None = None
    height: int | None = None
    content_type: str = "video/mp4"
    # A signed, expiring URL of the file for platforms that fetch the media themselves (Instagram).
    url: str = ""

    def read(self, offset: int, length: int) -> bytes:
        with self.path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(length)

    def chunks(self, chunk_size: int, start: int = 0) -> Iterator[tuple[int, bytes]]:
        offset = start
        while offset < self.size:
            data = self.read(offset, chunk_size)
            if not data:
                return
            yield offset, data
            offset += len(data)


@dataclass
class PostMeta:
    title: str = ""
    caption: str = ""
    privacy: str = "public"
    tags: list[str] = field(default_factory=list)


@dataclass
class PublishResult:
    remote_id: str
    public_url: str = ""


@dataclass
class PostStats:
    views: int = 0
    likes: int = 0
    shares: int = 0


RECONNECT = gettext_lazy("Reconnect the account on the publishing accounts page, then try again.")


def check_media(limits: MediaLimits, media: MediaFile, platform_label: str) -> None:
    """PermanentError naming the limit when the media breaks one of the platform's documented limits."""
    if media.size > limits.max_bytes:
        raise PermanentError(
            _("%(platform)s accepts videos up to %(limit)d MB; this one is %(size).1f MB.")
            % {"platform": platform_label, "limit": limits.max_bytes // (1024 * 1024), "size": media.size / 1048576},
            action=_("Export a shorter or smaller video for this platform."),
        )
    duration = media.duration_seconds
    if duration is not None and duration > limits.max_seconds:
        raise PermanentError(
            _("%(platform)s accepts videos up to %(limit)d seconds long; this one lasts %(duration)d seconds.")
            % {"platform": platform_label, "limit": int(limits.max_seconds), "duration": round(duration)},
            action=_("Shorten the video for this platform."),
        )
    if duration is not None and duration < limits.min_seconds:
        raise PermanentError(
            _("%(platform)s needs videos at least %(limit)d seconds long; this one lasts %(duration).1f seconds.")
            % {"platform": platform_label, "limit": int(limits.min_seconds), "duration": duration},
            action=_("Make the video longer for this platform."),
        )
    if media.width and media.height:
        aspect = media.width / media.height
        if not limits.min_aspect <= aspect <= limits.max_aspect:
            raise PermanentError(
                _(
                    "%(platform)s accepts aspect ratios between %(low)s and %(high)s (width to height); "
                    "this video is %(width)d by %(height)d pixels."
                )
                % {
                    "platform": platform_label,
                    "low": _ratio(limits.min_aspect),
                    "high": _ratio(limits.max_aspect),
                    "width": media.width,
                    "height": media.height,
                },
                action=_("Choose a template with another aspect ratio for this platform."),
            )


def _ratio(value: float) -> str:
    return f"1:{round(1 / value)}" if value < 1 else f"{round(value)}:1"


def retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


class PlatformClient:
    """One platform's upload flow. Subclasses set the class attributes and implement `publish` and `stats`."""

    platform: ClassVar[str]
    label: ClassVar[str]
    limits: ClassVar[MediaLimits]
    base_url_setting: ClassVar[str]

    def __init__(
        self,
        *,
        access_token: str,
        account_uid: str,
        state: dict[str, Any] | None = None,
        save_state: Callable[[dict[str, Any]], None] | None = None,
        account_data: dict[str, Any] | None = None,
        http: requests.Session | None = None,
    ) -> None:
        self.access_token = access_token
        self.account_uid = account_uid
        self.account_data = account_data or {}
        self.state: dict[str, Any] = dict(state or {})
        self._save_state = save_state
        self.http = http or requests.Session()
        self.base_url = getattr(settings, self.base_url_setting).rstrip("/")
        self.timeout = settings.PUBLISHING_HTTP_TIMEOUT_SECONDS
        self.chunk_size = settings.PUBLISHING_CHUNK_BYTES
        self.poll_seconds = settings.PUBLISHING_POLL_SECONDS
        self.poll_attempts = settings.PUBLISHING_POLL_ATTEMPTS

    # --- the interface ------------------------------------------------------------------
    def publish(self, media: MediaFile, meta: PostMeta) -> PublishResult:
        """Upload and publish, resuming from `self.state`; raises a PlatformError subclass."""
        raise NotImplementedError

    def stats(self, remote_id: str) -> PostStats:
        """The post's views, likes and shares as the platform counts them."""
        raise NotImplementedError

    def check(self, media: MediaFile) -> None:
        check_media(self.limits, media, str(self.label))

    # --- helpers ------------------------------------------------------------------------
    def save(self, **changes: Any) -> None:
        self.state.update(changes)
        if self._save_state is not None:
            self._save_state(dict(self.state))

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, *, media_sent: bool = False, **kwargs: Any) -> requests.Response:
        """One HTTP call, failures mapped: a timeout is transient unless `media_sent` (then unknown)."""
        headers = {**self.auth_headers(), **kwargs.pop("headers", {})}
        try:
            response = self.http.request(method, self.url(path), headers=headers, timeout=self.timeout, **kwargs)
        except (requests.Timeout, requests.ConnectionError) as exc:
            if media_sent:
                raise UnknownOutcome(
                    _("%(platform)s did not answer after the video was sent, so it may or may not be published.")
                    % {"platform": self.label},
                    action=_("Check your %(platform)s account; confirm the post if it is there, or try again.")
                    % {"platform": self.label},
                ) from exc
            raise TransientError(
                _("%(platform)s could not be reached (%(reason)s).")
                % {"platform": self.label, "reason": type(exc).__name__}
            ) from exc
        self.raise_for_status(response)
        return response

    def raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status < 400 or status == 308:
            return
        detail = self.error_detail(response)
        if status == 429 or status >= 500:
            raise TransientError(
                _("%(platform)s is busy or failing (HTTP %(status)d). %(detail)s")
                % {"platform": self.label, "status": status, "detail": detail},
                retry_after=retry_after_seconds(response),
                status=status,
            )
        if status == 401:
            raise PermanentError(
                _("%(platform)s no longer accepts the link to your account (the access was revoked or expired).")
                % {"platform": self.label},
                action=str(RECONNECT),
                status=status,
            )
        if status == 403:
            raise PermanentError(
                _("%(platform)s refused the post: %(detail)s") % {"platform": self.label, "detail": detail},
                action=_(
                    "Check the account's permissions on %(platform)s (upload access), reconnect it, then try again."
                )
                % {"platform": self.label},
                status=status,
            )
        raise PermanentError(
            _("%(platform)s rejected the video: %(detail)s") % {"platform": self.label, "detail": detail},
            action=_("Change the video or its caption to meet %(platform)s's rules, then try again.")
            % {"platform": self.label},
            status=status,
        )

    def error_detail(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:200]
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return str(error.get("message") or error.get("code") or "")[:200]
        if isinstance(body, dict):
            if body.get("detail"):
                return str(body["detail"])[:200]
            if body.get("errors"):
                first = body["errors"][0]
                return str(first.get("message") or first)[:200] if isinstance(first, dict) else str(first)[:200]
        return str(error or "")[:200]

    def wait(self, seconds: float | None = None) -> None:
        time.sleep(self.poll_seconds if seconds is None else min(seconds, 30.0))
