"""The plan's upload size, enforced while the request body is read.

Django writes an uploaded file to a temporary file as it parses the request; the service's own
size check only comes once the whole file is on disk, so a multi-GB upload would fill the disk
first. `UploadSizeLimitHandler`, first in `request.upload_handlers`, counts each file's bytes and
drops the file as soon as it passes the limit: the handlers after it (memory, temporary file)
never receive more than the limit.
"""

from collections.abc import Callable

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

MB = 1024 * 1024


class UploadSizeLimitHandler(FileUploadHandler):
    """Skips any file larger than `limit_mb()` megabytes (None: no limit); notes which it skipped."""

    def __init__(self, request: HttpRequest, *, limit_mb: Callable[[], int | None]) -> None:
        super().__init__(request)
        # Asked when the first file arrives: for API clients the user is known only by then.
        self._limit_mb = limit_mb
        self._limit_bytes: int | None = None
        self._limit_known = False
        self.received = 0
        self.skipped: dict[str, int] = {}  # field name -> bytes received before the file was dropped

    def new_file(self, field_name: str, *args: object, **kwargs: object) -> None:
        super().new_file(field_name, *args, **kwargs)
        if not self._limit_known:
            limit = self._limit_mb()
            self._limit_bytes, self._limit_known = (None if limit is None else int(limit) * MB), True
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self._limit_bytes is not None and self.received > self._limit_bytes:
            self.skipped[self.field_name] = self.received
            # SkipFile (not StopUpload) so that the other fields are still read: the form can
            # then show the size error next to what the user typed.
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file


def install_upload_size_limit(request: HttpRequest, *, limit_mb: Callable[[], int | None]) -> UploadSizeLimitHandler:
    """Put the size limit first among the request's upload handlers (before its body is read)."""
    if hasattr(request, "_files"):
        # Too late: Django has read the body already (a decorator or middleware touched POST).
        raise RuntimeError("The upload size limit must be installed before request.POST or FILES is read.")
    handler = UploadSizeLimitHandler(request, limit_mb=limit_mb)
    request.upload_handlers.insert(0, handler)
    return handler
