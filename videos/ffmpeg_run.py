"""Running ffmpeg or ffprobe with a wall-clock limit, never blocked by its output: the one way we do.

A damaged file can make ffmpeg write megabytes of errors: stderr goes to a temporary file (never a
pipe, which stops the process once its 64 KB buffer is full and nobody reads it) and only its start
and end are kept. stdout is read as it comes: kept whole (ffprobe's JSON), or handed over line by
line (a render's `-progress pipe:1`). A watchdog kills the process when the limit passes, and
`ToolTimeout` is raised; nothing waits on it forever.
"""

import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

STDERR_KEPT_BYTES = 8 * 1024


class ToolTimeout(Exception):
    """The command ran longer than its limit and was killed."""

    def __init__(self, program: str, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"{program} ran longer than {seconds} s")


@dataclass(frozen=True)
class ToolResult:
    returncode: int
    stdout: str  # all of it; empty when the lines went to `on_line`
    stderr: str  # the first STDERR_KEPT_BYTES of it
    stderr_end: str  # the last STDERR_KEPT_BYTES of it

    @property
    def refused_input(self) -> bool:
        """ffmpeg refused to open an input by its protocol or format (-protocol/-format_whitelist)."""
        return "not on whitelist" in self.stderr

    def last_error(self) -> str:
        """The last line the program wrote to stderr (it names the error that stopped it)."""
        return next((line.strip() for line in reversed(self.stderr_end.splitlines()) if line.strip()), "unknown error")


def run_tool(command: list[str], *, timeout: float, on_line: Callable[[str], None] | None = None) -> ToolResult:
    """Run `command` (no stdin) for at most `timeout` seconds; its stdout, or each of its lines given to
    `on_line` as they come. Whatever `on_line` raises stops the process and is raised again."""
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 (our own argument lists, no shell)
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True, errors="replace"
        )
        assert process.stdout is not None
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            process.kill()  # which closes its stdout and so ends the reading below

        watchdog = threading.Timer(timeout, stop)
        watchdog.start()
        stdout = ""
        try:
            if on_line is None:
                stdout = process.stdout.read()
            else:
                for line in process.stdout:
                    on_line(line)
        except BaseException:
            # on_line raised (the database went away): the process must not outlive the call.
            process.kill()
            raise
        finally:
            # A program closes stdout just before it exits; the watchdog stays armed until it has.
            returncode = process.wait()
            watchdog.cancel()
            process.stdout.close()
        if expired.is_set():
            raise ToolTimeout(command[0], timeout)
        return ToolResult(returncode=returncode, stdout=stdout, **_start_and_end(stderr))


def _start_and_end(output: IO[bytes]) -> dict[str, str]:
    size = output.seek(0, os.SEEK_END)
    output.seek(0)
    start = output.read(STDERR_KEPT_BYTES)
    output.seek(max(0, size - STDERR_KEPT_BYTES))
    end = output.read()
    return {"stderr": start.decode("utf-8", errors="replace"), "stderr_end": end.decode("utf-8", errors="replace")}
