"""Serves local media to whoever holds a valid signed URL (see config.storage), with byte ranges.

Every answer is a download (`Content-Disposition: attachment`) with a content type from an
allow-list of the stored extension, never sniffed: a file cannot be opened as a page of our site
whatever its bytes are. `<video>` and `<img>` ignore the disposition, so the same URL both plays in
the page and downloads from a link, as it does on S3 where the object carries the same headers.
Anything wrong with the URL (no signature, another file's, expired, a name leaving the media
folder, no such file) is a 404, so a probe learns nothing about which files exist.
"""

import os
import re
import time
from pathlib import PurePosixPath
from typing import BinaryIO

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from config.storage import SignedFileSystemStorage, media_signature_valid, served_content_type

RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")


class _Unsatisfiable(Exception):
    pass


class _Slice:
    """Reads at most `length` bytes of an open file from where it stands."""

    def __init__(self, handle: BinaryIO, length: int) -> None:
        self._handle, self._left = handle, length

    def read(self, size: int = -1) -> bytes:
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range (first, last byte) a Range header asks for; None for the whole file.

    Several ranges, or a header we do not understand, get the whole file, which RFC 9110 allows.
    """
    match = RANGE_RE.fullmatch(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if size == 0:
        raise _Unsatisfiable
    if not first:  # "bytes=-N": the last N bytes
        if int(last) == 0:
            raise _Unsatisfiable
        return max(size - int(last), 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        raise _Unsatisfiable
    return start, end


def _open(name: str) -> tuple[BinaryIO, int]:
    storage = storages["default"]
    if not isinstance(storage, SignedFileSystemStorage):
        raise Http404  # media lives elsewhere (S3) and is fetched from there
    try:
        path = storage.path(name)  # refuses names that leave the media folder
    except SuspiciousFileOperation:
        raise Http404 from None
    try:
        handle = open(path, "rb")  # noqa: SIM115 (the response closes it)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404 from None
    return handle, os.fstat(handle.fileno()).st_size


@require_safe
def media_serve(request: HttpRequest, name: str) -> HttpResponse:
    expires_at, signature = request.GET.get("exp", ""), request.GET.get("sig", "")
    if not media_signature_valid(name=name, expires_at=expires_at, signature=signature):
        raise Http404
    handle, size = _open(name)
    content_type = served_content_type(name)
    try:
        byte_range = _byte_range(request.headers.get("Range", ""), size)
    except _Unsatisfiable:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    download = {"content_type": content_type, "as_attachment": True, "filename": PurePosixPath(name).name}
    if byte_range is None:
        response = FileResponse(handle, **download)
    else:
        start, end = byte_range
        handle.seek(start)
        response = FileResponse(_Slice(handle, end - start + 1), status=206, **download)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    # Belt and braces: even opened directly, the file may run no script and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The browser may keep it until the URL expires, and no shared cache may keep it at all.
    response["Cache-Control"] = f"private, max-age={max(int(expires_at) - int(time.time()), 0)}"
    return response
