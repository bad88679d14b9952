"""The plan's upload size, and which files a form takes, enforced while the request body is read.

Django writes an uploaded file to a temporary file as it parses the request; the service's own
size check only comes once the whole file is on disk, so a multi-GB upload would fill the disk
first. `UploadSizeLimitHandler`, first in `request.upload_handlers`, decides for each file as it
arrives, so the handlers after it (memory, temporary file) only ever receive what it lets through:

- a file under a field name the form does not take, or a second file under one it does, is
  dropped before its first byte (a form reads one file per field: the others would only fill
  the disk);
- the bytes of all files of the request together are counted, and the file that takes the total
  past the limit is dropped as soon as it does.

DATA_UPLOAD_MAX_NUMBER_FILES, counted by Django before any handler, refuses a request with more
file parts than the largest form has fields.

Every other request (the login page, the token endpoint, the admin…) meets `RequestUploadCapHandler`,
first in FILE_UPLOAD_HANDLERS: its files are held in memory, a few megabytes in all, and never reach
the temporary-file handler after it. `install_upload_size_limit` takes it out of the chain.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler, SkipFile
from django.http import HttpRequest

MB = 1024 * 1024


class UploadSizeLimitHandler(FileUploadHandler):
    """Lets through one file per expected field, `limit_mb()` megabytes in all (None: no limit).

    `skipped` notes the fields whose file the limit dropped, with the request's total at that point.
    """

    def __init__(
        self, request: HttpRequest, *, limit_mb: Callable[[], int | None], expects: Callable[[str], bool]
    ) -> None:
        super().__init__(request)
        # Asked when the first file arrives: for API clients the user is known only by then.
        self._limit_mb = limit_mb
        self._limit_bytes: int | None = None
        self._limit_known = False
        self._expects = expects
        self._fields_seen: set[str] = set()
        self.accepted = 0  # bytes of the files let through whole
        self.received = 0  # bytes of the file arriving now
        self.skipped: dict[str, int] = {}  # field name -> the request's bytes when its file was dropped
        self.unexpected: list[str] = []  # fields whose file was dropped unread

    def new_file(self, field_name: str, *args: object, **kwargs: object) -> None:
        super().new_file(field_name, *args, **kwargs)
        if field_name in self._fields_seen or not self._expects(field_name):
            self.unexpected.append(field_name)
            self._skip_unread()
        self._fields_seen.add(field_name)
        if not self._limit_known:
            limit = self._limit_mb()
            self._limit_bytes, self._limit_known = (None if limit is None else int(limit) * MB), True
        self.received = 0

    def _skip_unread(self) -> None:
        """Drop the file arriving now before any handler after us has seen it."""
        # On SkipFile Django closes the `file` of every handler; those after us have not started on
        # this file and still hold the previous one, complete and already in request.FILES: they
        # forget it first, or that upload would be closed under the view.
        for handler in self.request.upload_handlers:
            if handler is not self and "file" in vars(handler):
                del handler.file
        raise SkipFile  # Django reads past the part without handing it to any other handler

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self._limit_bytes is not None and self.accepted + self.received > self._limit_bytes:
            self.skipped[self.field_name] = self.accepted + self.received
            # SkipFile (not StopUpload) so that the other fields are still read: the form can
            # then show the size error next to what the user typed. The dropped file's temporary
            # file is deleted, so its bytes do not count towards the total.
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        self.accepted += self.received
        return None  # the next handler builds the file


class RequestUploadCapHandler(MemoryFileUploadHandler):
    """The default: a request's files are kept in memory, UPLOAD_DEFAULT_MAX_REQUEST_BYTES in all
    (UPLOAD_STAFF_MAX_REQUEST_BYTES for staff, who import templates in the admin); the file that takes
    the total past it is dropped, and nothing is ever passed on to the handlers that write to disk."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._limit_bytes: int | None = None
        self.accepted = 0  # bytes of the files kept whole
        self.received = 0  # bytes of the file arriving now

    def handle_raw_input(self, *args: object, **kwargs: object) -> None:
        # Django's memory handler steps aside for a large request; this one never does.
        self.activated = True

    def new_file(self, *args: object, **kwargs: object) -> None:
        if self._limit_bytes is None:
            # Asked when the first file arrives: a request without files never looks up its user.
            user = getattr(self.request, "user", None)
            staff = bool(getattr(user, "is_staff", False))
            self._limit_bytes = (
                settings.UPLOAD_STAFF_MAX_REQUEST_BYTES if staff else settings.UPLOAD_DEFAULT_MAX_REQUEST_BYTES
            )
        self.received = 0
        super().new_file(*args, **kwargs)  # StopFutureHandlers: the disk handlers never see the file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self._limit_bytes is not None and self.accepted + self.received > self._limit_bytes:
            raise SkipFile  # the other fields are still read; the dropped file's bytes are freed
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        self.accepted += self.received
        return super().file_complete(file_size)


def install_upload_size_limit(
    request: HttpRequest, *, limit_mb: Callable[[], int | None], expects: Callable[[str], bool]
) -> UploadSizeLimitHandler:
    """Put the upload limits first among the request's upload handlers (before its body is read).

    `expects(field_name)` says whether the form takes a file under that name.
    """
    if hasattr(request, "_files"):
        # Too late: Django has read the body already (a decorator or middleware touched POST).
        raise RuntimeError("The upload size limit must be installed before request.POST or FILES is read.")
    handler = UploadSizeLimitHandler(request, limit_mb=limit_mb, expects=expects)
    # The default cap would hold the view's files in memory and drop those past a few megabytes:
    # here they go on to Django's handlers (memory, then a temporary file) within the plan's limit.
    request.upload_handlers = [
        handler,
        *(other for other in request.upload_handlers if not isinstance(other, RequestUploadCapHandler)),
    ]
    return handler
