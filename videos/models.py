"""The product: templates, videos and their versions (DESIGN.md §2 "videos")."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    class Category(models.TextChoices):
        SOCIAL = "social", _("Social media")
        EDUCATION = "education", _("Education")
        MARKETING = "marketing", _("Marketing")
        BUSINESS = "business", _("Business and data")
        STORYTELLING = "storytelling", _("Storytelling")

    class AspectRatio(models.TextChoices):
        PORTRAIT = "9:16", _("Portrait 9:16")
        LANDSCAPE = "16:9", _("Landscape 16:9")
        SQUARE = "1:1", _("Square 1:1")

    class Tier(models.TextChoices):
        FREE = "free", _("Free")
        PRO = "pro", _("Pro")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Stored as ",tag1,tag2," so that one `icontains(",tag,")` finds a whole tag on every database.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    min_duration_seconds = models.PositiveIntegerField(_("shortest allowed duration (seconds)"))
    max_duration_seconds = models.PositiveIntegerField(_("longest allowed duration (seconds)"))
    aspect_ratio = models.CharField(_("aspect ratio"), max_length=5, choices=AspectRatio.choices)
    style = models.CharField(_("style"), max_length=100, blank=True)
    tier = models.CharField(_("tier"), max_length=5, choices=Tier.choices, default=Tier.FREE)
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    scene_spec = models.JSONField(_("scene spec"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["-usage_count", "pk"]
        indexes = [
            models.Index(fields=["category", "-usage_count"], name="videos_tpl_category_popular"),
            models.Index(fields=["-usage_count"], name="videos_tpl_popular"),
            models.Index(fields=["-created_at"], name="videos_tpl_recent"),
            models.Index(fields=["duration_seconds"], name="videos_tpl_duration"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        from videos.render.spec import SpecError, validate_scene_spec

        # A template the renderer cannot render must never be stored, whichever way it is saved.
        try:
            validate_scene_spec(self.scene_spec)
        except SpecError as exc:
            raise ValidationError({"scene_spec": exc.messages}) from None
        # Tags are normalised on every save so the tag search never misses one.
        self.tags = normalise_tags(self.tags)
        super().save(*args, **kwargs)

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def is_pro(self) -> bool:
        return self.tier == self.Tier.PRO

    def clean(self) -> None:
        from videos.render.spec import SpecError, validate_scene_spec

        errors: dict[str, list[str]] = {}
        try:
            validate_scene_spec(self.scene_spec)
        except SpecError as exc:
            errors["scene_spec"] = exc.messages
        bounds = (self.min_duration_seconds, self.duration_seconds, self.max_duration_seconds)
        if all(bounds) and not bounds[0] <= bounds[1] <= bounds[2]:
            errors["duration_seconds"] = [_("The duration must lie between the shortest and longest allowed.")]
        if errors:
            raise ValidationError(errors)


def normalise_tags(raw: str | list[str]) -> str:
    """`"Product, reel"` or `["product", "reel"]` -> `",product,reel,"` (lower-case, no duplicates)."""
    items = raw if isinstance(raw, list) else str(raw).split(",")
    seen: list[str] = []
    for item in items:
        tag = str(item).strip().lower()
        if tag and tag not in seen:
            seen.append(tag)
    return f",{','.join(seen)}," if seen else ""


class Video(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    class Source(models.TextChoices):
        TEMPLATE = "template", _("Template")
        UPLOAD = "upload", _("Upload")

    # Indexed by videos_video_owner_recent, which starts with the owner.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="videos",
        db_index=False,
    )
    # Indexed by videos_video_team_recent, which starts with the team.
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="videos",
        db_index=False,
    )
    template = models.ForeignKey(
        Template, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True, related_name="videos"
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.TEMPLATE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_message = models.TextField(_("status message"), blank=True)
    customization = models.JSONField(_("customisation"), default=dict, blank=True)
    # The current version's file and figures, copied here so lists need no join.
    current_version = models.ForeignKey(
        "VideoVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), max_length=500, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=500, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Each list reads one of these in its own order, (created_at, id) from the newest, starting at
            # a keyset cursor's position (config.pagination): a workspace's videos, with a status filter
            # or without, and everybody's for the ops console.
            models.Index(
                fields=["owner", "-created_at", "-id"], name="videos_video_personal_recent", condition=Q(team=None)
            ),
            # The status indexes carry the title: a title search within a status filters the newest rows
            # by it (videos.selectors) from the index alone. Without the title, the planner reads every
            # row of the status and sorts them rather than visit each row's page in index order.
            models.Index(
                fields=["owner", "status", "-created_at", "-id"],
                name="videos_video_personal_status",
                condition=Q(team=None),
                include=["title"],
            ),
            models.Index(fields=["owner", "-created_at", "-id"], name="videos_video_owner_recent"),
            # So does the team's (the planner would otherwise filter all of a team's titles in its
            # status index and sort them); a person's own search reads their index's rows in order.
            models.Index(fields=["team", "-created_at", "-id"], name="videos_video_team_recent", include=["title"]),
            models.Index(
                fields=["team", "status", "-created_at", "-id"], name="videos_video_team_status", include=["title"]
            ),
            models.Index(fields=["-created_at", "-id"], name="videos_video_recent"),
            models.Index(fields=["status", "-created_at", "-id"], name="videos_video_status"),
            models.Index(fields=["-published_at"], name="videos_video_published", condition=Q(status="published")),
            # The trigram index for title search, on UPPER(title) as `title__icontains` asks, lives in
            # migration 0012 (PostgreSQL only).
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RENDERING}


class VideoVersionQuerySet(models.QuerySet):
    # A queued render whose task has not claimed it after this long counts as lost on the way to the broker.
    QUEUED_LOST_AFTER = timezone.timedelta(minutes=10)

    def _stale_claim(self, now: datetime) -> Q:
        stale = timezone.timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS)
        return Q(status=VideoVersion.Status.RENDERING, started_at__lt=now - stale)

    def claimable(self, *, now: datetime | None = None) -> "VideoVersionQuerySet":
        """Versions a render task may claim: queued ones, and renders whose claim has gone stale."""
        return self.filter(Q(status=VideoVersion.Status.QUEUED) | self._stale_claim(now or timezone.now()))

    def stalled(self, *, now: datetime | None = None) -> "VideoVersionQuerySet":
        """Renders that need sending to a worker again: queued too long, or claimed by a worker gone silent.

        The one rule for both the admin's re-send action and the stalled-render sweeper.
        """
        now = now or timezone.now()
        lost = Q(status=VideoVersion.Status.QUEUED, created_at__lt=now - self.QUEUED_LOST_AFTER)
        return self.filter(lost | self._stale_claim(now))


class VideoVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    video = models.ForeignKey(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    render_spec = models.JSONField(_("render spec"), null=True, blank=True)
    restored_from = models.ForeignKey(
        "self", verbose_name=_("restored from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("file"), max_length=500, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    change_description = models.CharField(_("change description"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("render started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("render finished"), null=True, blank=True)
    # Set anew by every claim of the render; only the attempt holding the current token may finish or
    # fail it, and each attempt stores its files under its token (see version_render).
    claim_token = models.CharField(_("render claim"), max_length=32, blank=True, editable=False)
    # Retention deletes old files but keeps the row, so the history stays complete.
    purged_at = models.DateTimeField(_("files deleted"), null=True, blank=True)

    objects = VideoVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("video version")
        verbose_name_plural = _("video versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["video", "number"], name="videos_version_unique_number")]
        indexes = [
            models.Index(fields=["status", "started_at"], name="videos_version_status"),
            # The ops console lists every version, newest first.
            models.Index(fields=["-created_at", "-id"], name="videos_version_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.video} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def is_restorable(self) -> bool:
        return self.status == self.Status.READY and self.purged_at is None and bool(self.file)

    def storage_path(self, filename: str) -> str:
        return f"videos/{self.video_id}/v{self.number}/{filename}"


class MediaAsset(models.Model):
    """An image or clip a user uploaded to fill a template's media slot."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        CLIP = "clip", _("Video clip")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="media_assets"
    )
    video = models.ForeignKey(
        Video, verbose_name=_("video"), on_delete=models.CASCADE, null=True, blank=True, related_name="media_assets"
    )
    slot = models.CharField(_("slot"), max_length=50)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    file = models.FileField(_("file"), max_length=500)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.slot}: {self.file.name}"


class TemplateImport(models.Model):
    """A staff bulk import of templates from CSV or JSON, with its progress and per-row errors."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("templates created"), default=0)
    errors = models.JSONField(_("errors per row"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("template import")
        verbose_name_plural = _("template imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file.name} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        return 100 if not self.total_rows else int(100 * self.processed_rows / self.total_rows)

    @property
    def error_count(self) -> int:
        return len(self.errors)


class BrandingProfile(models.Model):
    """A logo and where to put it on a video: a person's or a team's, several per account, one default."""

    class Position(models.TextChoices):
        TOP_LEFT = "top-left", _("Top left")
        TOP_RIGHT = "top-right", _("Top right")
        BOTTOM_LEFT = "bottom-left", _("Bottom left")
        BOTTOM_RIGHT = "bottom-right", _("Bottom right")
        CENTER = "center", _("Centre")

    OPACITY_RANGE = (0, 100)
    SCALE_RANGE = (5, 30)
    MARGIN_RANGE = (0, 500)

    # A personal profile has an owner and no team; a team's profile has a team and no owner, so it
    # outlives the member who made it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="branding_profiles",
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="branding_profiles",
    )
    name = models.CharField(_("name"), max_length=100)
    logo = models.FileField(_("logo"), max_length=500)
    logo_width = models.PositiveIntegerField(_("logo width"))
    logo_height = models.PositiveIntegerField(_("logo height"))
    position = models.CharField(_("position"), max_length=12, choices=Position.choices, default=Position.BOTTOM_RIGHT)
    opacity = models.PositiveSmallIntegerField(_("opacity (%)"), default=100)
    # xgettext:no-python-format (a literal percent sign, never filled in)
    scale = models.PositiveSmallIntegerField(_("size (% of the video width)"), default=15)
    margin = models.PositiveSmallIntegerField(_("margin (pixels)"), default=24)
    is_default = models.BooleanField(_("default"), default=False)
    # Only the default profile's flag counts: the renderer brands every new render with it.
    apply_to_new_renders = models.BooleanField(_("apply to every new render"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("branding profile")
        verbose_name_plural = _("branding profiles")
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, team__isnull=True) | Q(owner__isnull=True, team__isnull=False),
                name="videos_branding_one_account",
            ),
            models.CheckConstraint(condition=Q(opacity__lte=100), name="videos_branding_opacity"),
            models.CheckConstraint(condition=Q(scale__gte=5, scale__lte=30), name="videos_branding_scale"),
            models.CheckConstraint(condition=Q(margin__lte=500), name="videos_branding_margin"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True, team__isnull=True), name="videos_branding_one_default"
            ),
            models.UniqueConstraint(
                fields=["team"], condition=Q(is_default=True), name="videos_branding_one_team_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def overlay_settings(self) -> dict[str, object]:
        """What a render needs to draw this profile, frozen into the version's render spec."""
        return {
            "profile_id": self.pk,
            "logo": self.logo.name,
            "position": self.position,
            "opacity": self.opacity,
            "scale": self.scale,
            "margin": self.margin,
        }


from videos.bulk_models import BulkJob, BulkRow  # noqa: E402, F401 (registers the models with the app; see that module)
from videos.export_models import ExportJob  # noqa: E402, F401 (registers the model with the app; see that module)
from videos.publishing_models import Publication, PublicationTarget  # noqa: E402, F401 (registers the models)
