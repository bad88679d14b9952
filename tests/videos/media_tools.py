"""Real media for tests, made by ffmpeg on the spot, and a way to read pixels back (no Pillow)."""

import json
import random
import subprocess
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def make_clip(
    path: Path, *, seconds: float = 1.0, size: str = "64x36", colour: str = "red", audio: bool = True
) -> Path:
    """An H.264 (+ AAC) MP4 of one colour."""
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:s={size}:r=10:d={seconds}"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-shortest", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    return path


def make_png(path: Path, *, colour: str = "yellow", size: str = "32x32") -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:s={size}", "-frames:v", "1", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def upload_of(path: Path, content_type: str = "video/mp4", name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def ffprobe_json(path: Path) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def frame_rgb(path: Path, *, at: float) -> tuple[int, int, bytes]:
    """The frame at `at` seconds as raw RGB24 bytes, with its width and height."""
    info = ffprobe_json(path)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    width, height = video["width"], video["height"]
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            f"{at}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    assert len(raw) == width * height * 3
    return width, height, raw


def pixel(frame: tuple[int, int, bytes], x: int, y: int) -> tuple[int, int, int]:
    width, _height, raw = frame
    offset = (y * width + x) * 3
    return raw[offset], raw[offset + 1], raw[offset + 2]


def close(colour: tuple[int, int, int], hex_colour: str, tolerance: int = 24) -> bool:
    wanted = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


def make_image(path: Path, *, size: str = "32x32", colour: str = "yellow") -> Path:
    """A still image in the format `path`'s extension names (.png, .jpg, .webp)."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:s={size}", "-frames:v", "1", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def make_hls_playlist(path: Path, *, segments: list[str]) -> Path:
    """A text HLS playlist whose segments are the given URLs (paths, file:, concat:, subfile, …)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:10", "#EXT-X-MEDIA-SEQUENCE:0"]
    for url in segments:
        lines += ["#EXTINF:1.0,", url]
    path.write_text("\n".join([*lines, "#EXT-X-ENDLIST", ""]))
    return path


def make_ffconcat_list(path: Path, *, files: list[str]) -> Path:
    """An ffconcat list naming other files."""
    path.write_text("ffconcat version 1.0\n" + "".join(f"file '{name}'\n" for name in files))
    return path


def make_damaged_clip(path: Path, *, seconds: float = 6.0, size: str = "320x180", seed: int = 1) -> Path:
    """An H.264 MP4 whose frame data (inside `mdat`) is overwritten with random bytes.

    Its container and stream headers are intact, so ffprobe describes it as a normal clip; reading
    its packets (even to copy them) and decoding them report errors about nearly every frame: more
    than a pipe's 64 KB of them when a render loops it for ten seconds.
    """
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=s={size}:r=25:d={seconds}"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    data = bytearray(path.read_bytes())
    box = data.find(b"mdat")
    end = box - 4 + int.from_bytes(data[box - 4 : box], "big")
    garbage = random.Random(seed)
    # Past the first few packets (so the stream still starts like a video), about a third of the bytes.
    for offset in range(box + 4 + 2000, end):
        if garbage.random() < 0.3:
            data[offset] = garbage.randrange(256)
    path.write_bytes(bytes(data))
    return path


def ffmpeg_processes_under(folder: Path) -> list[int]:
    """Ids of the running ffmpeg processes whose command line names a path inside `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        is_ffmpeg = Path(arguments[0].decode(errors="replace")).name == "ffmpeg"
        if is_ffmpeg and any(str(folder).encode() in argument for argument in arguments):
            found.append(int(entry.name))
    return found


def make_logo(path: Path, *, transparent_right_half: bool = False) -> Path:
    """A red square PNG with an alpha channel; optionally its right half fully transparent."""
    alpha = "if(lt(X,W/2),255,0)" if transparent_right_half else "255"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=40x40", "-frames:v", "1",
         "-vf", f"format=rgba,geq=r=255:g=0:b=0:a='{alpha}'", "-pix_fmt", "rgba", str(path)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return path


def blend(top: tuple[int, int, int], bottom: tuple[int, int, int], opacity: float) -> tuple[int, ...]:
    return tuple(round(t * opacity + b * (1 - opacity)) for t, b in zip(top, bottom, strict=True))


def near(colour: tuple[int, int, int], wanted: tuple[int, ...], tolerance: int = 28) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))
