"""Live preview speed: one scene's frame, cold (drawn) and warm (from the cache), through the real page path.

Every scene of every starter template is asked for as the browser asks (a GET of the preview
fragment by a signed-in creator, through Django's test client, in process), first with a text no
one asked for before (cold: the frame is drawn at draft size) and then again (warm: the cache
answers). Beside them, in the same run, the two floors they are measured against:
  * ffmpeg floor: ffmpeg writing one JPEG of a flat colour at the same size (process start,
    filter graph and encode; no request, no text);
  * request floor: the same client fetching /healthz, a page that does almost nothing.
Targets: warm under 300 ms, cold under 1 s at 720p on 2 cores.
Run from the project root:
    .venv/bin/python bench/preview.py [--repeat 3] [slug ...]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
# The frames are drawn at the product's draft size whatever a local setting says.
os.environ["VIDEO_RENDER_LONG_SIDE"] = "1920"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

from videos.ffmpeg_run import run_tool  # noqa: E402
from videos.render.preview import preview_size  # noqa: E402


def ms(seconds: float) -> float:
    return seconds * 1000


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def timed_get(client: Client, url: str, params: dict | None = None, *, frame: bool = True) -> float:
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    # A fragment that says why there is no frame would time nothing: every answer must carry one.
    assert not frame or b"data:image/jpeg;base64," in response.content, response.content[:300]
    return elapsed


def ffmpeg_floor(size: tuple[int, int], work: Path) -> float:
    command = [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c=0x1e1b4b:s={size[0]}x{size[1]}:r={settings.VIDEO_RENDER_FPS}:d=1",
        "-frames:v", "1", "-q:v", "4", str(work / "floor.jpg"),
    ]  # fmt: skip
    started = time.perf_counter()
    run_tool(command, timeout=60)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold and warm asks per scene")
    parser.add_argument("slugs", nargs="*", help="only these templates")
    args = parser.parse_args()
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        run(args)
    finally:
        teardown_databases(databases, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from billing.models import Plan
    from teams.models import User
    from videos.models import Template

    # Every starter template, Pro ones included, for the creator the bench signs in as.
    Plan.objects.filter(is_default=True).update(pro_templates=True)
    user = User.objects.create_user(email="bench@example.com", password=uuid.uuid4().hex)
    client = Client()
    client.force_login(user)
    cache.clear()
    print(f"{os.cpu_count()} CPUs, {settings.VIDEO_RENDER_FPS} fps, cache {settings.CACHES['default']['BACKEND']}")
    header = (
        f"{'template':<28} {'size':>8} {'scenes':>6} {'cold p50':>8} {'cold p95':>8} {'ffmpeg floor':>12} "
        f"{'warm p50':>8} {'warm p95':>8} {'request floor':>13}"
    )
    print(header + "   (milliseconds)")
    all_cold: list[float] = []
    all_warm: list[float] = []
    templates = Template.objects.filter(is_active=True).order_by("slug")
    if args.slugs:
        templates = templates.filter(slug__in=args.slugs)
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        for template in templates:
            url = reverse("videos:template_preview", args=[template.slug])
            scenes = len(template.scene_spec["scenes"])
            size = preview_size(template.aspect_ratio)
            cold: list[float] = []
            warm: list[float] = []
            for scene in range(scenes):
                for _ in range(args.repeat):
                    params = {"scene": scene, f"text_{scene}": f"Fresh {uuid.uuid4().hex[:6]}"}
                    params["duration"] = template.duration_seconds
                    cold.append(timed_get(client, url, params))
                    warm.append(timed_get(client, url, params))
            floor = statistics.median(ffmpeg_floor(size, Path(tmp)) for _ in range(args.repeat))
            request_floor = statistics.median(timed_get(client, "/healthz", frame=False) for _ in range(args.repeat))
            all_cold += cold
            all_warm += warm
            print(
                f"{template.slug:<28} {size[0]}x{size[1]:<4} {scenes:>6} {ms(statistics.median(cold)):>8.0f} "
                f"{ms(p95(cold)):>8.0f} {ms(floor):>12.0f} {ms(statistics.median(warm)):>8.1f} "
                f"{ms(p95(warm)):>8.1f} {ms(request_floor):>13.1f}"
            )
    if all_cold:
        print(
            f"{'all':<28} {'':>8} {'':>6} {ms(statistics.median(all_cold)):>8.0f} {ms(p95(all_cold)):>8.0f} "
            f"{'':>12} {ms(statistics.median(all_warm)):>8.1f} {ms(p95(all_warm)):>8.1f}"
        )
        verdict = "met" if p95(all_cold) < 1 and p95(all_warm) < 0.3 else "NOT met"
        print(
            f"targets (cold p95 < 1000 ms, warm p95 < 300 ms): {verdict}; slowest cold {ms(max(all_cold)):.0f} ms, "
            f"slowest warm {ms(max(all_warm)):.1f} ms"
        )


if __name__ == "__main__":
    main()
