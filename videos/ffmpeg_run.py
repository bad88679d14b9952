"""Running ffmpeg or ffprobe with a wall-clock limit and bounded error output.

A damaged file can make ffmpeg write megabytes of errors: stderr goes to a temporary file (never a
pipe that could fill and block the process) and only its start is kept. On timeout the process is
killed and `ToolTimeout` raised; nothing waits on it forever.
"""

import subprocess
import tempfile
from dataclasses import dataclass

STDERR_KEPT_BYTES = 8 * 1024


class ToolTimeout(Exception):
    """The command ran longer than its limit and was killed."""


@dataclass(frozen=True)
class ToolResult:
    returncode: int
    stdout: str
    stderr: str  # the first STDERR_KEPT_BYTES of it


def run_tool(command: list[str], *, timeout: float) -> ToolResult:
    """Run `command` (no stdin), at most `timeout` seconds; its stdout in full, the start of its stderr."""
    with tempfile.TemporaryFile() as stderr:
        try:
            # run() kills the child when the timeout passes, and reads stdout while it runs.
            completed = subprocess.run(  # noqa: S603 (our own argument lists, no shell)
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ToolTimeout(f"{command[0]} ran longer than {timeout} s") from None
        stderr.seek(0)
        errors = stderr.read(STDERR_KEPT_BYTES).decode("utf-8", errors="replace")
    return ToolResult(
        returncode=completed.returncode,
        stdout=completed.stdout.decode("utf-8", errors="replace"),
        stderr=errors,
    )
