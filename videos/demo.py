"""Demo videos for the demo creator, rendered by the worker like any other video."""

import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from billing import limits
from billing.services.offers import credit_grant
from teams.models import User
from videos.ffmpeg_run import run_tool
from videos.models import BrandingProfile, Template
from videos.services import branding_profile_create, video_create_from_template, video_upload
from videos.services.exports import export_start

DEMO_VIDEOS = [
    ("youtube-short-quote-animation", "Monday motivation", {"texts": ["Small steps, every day."], "duration": 15}),
    (
        "animated-statistics",
        "Our year in numbers",
        {"texts": ["2026 in numbers", "12,400 videos made"], "duration": 20},
    ),
]


def load(*, creator: User, staff: User) -> None:
    """Give the demo creator a couple of videos made from starter templates (once)."""
    if creator.videos.exists():
        return
    for slug, title, customization in DEMO_VIDEOS:
        template = Template.objects.filter(slug=slug).first()
        if template is not None:
            video_create_from_template(
                user=creator, team=None, template=template, title=title, customization=customization
            )


DEMO_PROFILE_NAME = "Demo Creator logo"
DEMO_CREDIT_REASON = "Demo: a free month of Pro to try branding and exports"


def _demo_logo() -> SimpleUploadedFile:
    """A small PNG with transparency: a violet badge with a white play mark."""
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, 152, 152), radius=32, fill=(124, 58, 237, 235))
    draw.polygon([(62, 48), (62, 112), (114, 80)], fill=(255, 255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo-logo.png", buffer.getvalue(), content_type="image/png")


def _demo_clip(folder: Path) -> SimpleUploadedFile:
    """A two-second 320x568 test pattern with a tone, as a phone would record it."""
    path = folder / "clip.mp4"
    result = run_tool(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=2", "-f", "lavfi", "-i", "sine=frequency=440:d=2",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        timeout=120,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg could not make the demo clip: {result.last_error()}")
    return SimpleUploadedFile("behind-the-scenes.mp4", path.read_bytes(), content_type="video/mp4")


def load_branding_and_exports(*, creator: User, staff: User) -> None:
    """A logo profile, a video rendered with it, and a ZIP export, for the demo creator (once).

    Branding is a Pro feature and the demo creator is on Free: a free month of Pro (a billing
    credit, which ends by itself) lets a newcomer try it, and the upgrade flow after.
    """
    if BrandingProfile.objects.filter(owner=creator, name=DEMO_PROFILE_NAME).exists():
        return
    if not limits.allows(creator, limits.Limit.BRANDING):
        credit_grant(user=creator, reason=DEMO_CREDIT_REASON, granted_by=staff)
    profile = branding_profile_create(
        actor=creator, team=None, name=DEMO_PROFILE_NAME, logo=_demo_logo(), position="top-right", opacity=90,
        scale=18, margin=32, is_default=True,
    )  # fmt: skip
    template = Template.objects.filter(slug="tiktok-tutorial-quick-tips").first()
    if template is not None:
        video_create_from_template(
            user=creator,
            team=None,
            template=template,
            title="Three editing tips (with my logo)",
            customization={"duration": template.min_duration_seconds, "branding_profile": profile.pk},
        )
    # An uploaded video is ready at once, so its export can be built as soon as the worker runs.
    with tempfile.TemporaryDirectory(prefix="demo-") as tmp:
        upload = video_upload(user=creator, team=None, title="Behind the scenes", upload=_demo_clip(Path(tmp)))
    export_start(user=creator, video_ids=[upload.pk])


DEMO_BULK_TEMPLATE = "instagram-reel-product-showcase"
DEMO_BULK_ROWS = [
    {"title": "Trail runner — launch", "text_1": "Trail Runner X", "background_1": "#14532d", "duration": "15"},
    {"title": "City sneaker — launch", "text_1": "City Sneaker", "background_1": "#1e3a8a", "duration": "15"},
    {"title": "Kids' boot — launch", "text_1": "Puddle Boot", "background_1": "#9a3412", "duration": "15"},
]


def load_bulk(*, creator: User, staff: User) -> None:
    """Give the demo creator a small bulk job (three product videos from one sheet), once; the worker
    renders its rows as it would any job's."""
    from videos.services.bulk import bulk_job_prepare, bulk_job_start

    template = Template.objects.filter(slug=DEMO_BULK_TEMPLATE).first()
    if template is None or creator.bulk_jobs.exists():
        return
    job = bulk_job_prepare(
        user=creator, team=None, template=template, rows=DEMO_BULK_ROWS, source_name="products.xlsx", quality="draft"
    )
    bulk_job_start(job=job)
