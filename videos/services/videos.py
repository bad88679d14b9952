"""Videos: create from a template, upload, edit, delete."""

import math
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import limits
from billing.services.usage import usage_record
from config.errors import DomainError, NotFound, PermissionDenied
from insights.event_names import EventName
from insights.events import record_event
from teams.models import Team, User
from teams.permissions import Action, can_act_on_team
from videos.media import (
    CheckedMedia,
    accept_image_or_clip,
    accept_video,
    copy_in_storage,
    delete_from_storage,
    save_to_storage,
    thumbnail,
)
from videos.models import MediaAsset, Template, Video, VideoVersion
from videos.render.spec import SpecError, resolve_render_spec
from videos.selectors import account_for, template_is_locked
from videos.services.branding_render import branding_chosen
from videos.services.versions import next_version_number, video_adopt_version

MB = 1024 * 1024


def _check_can_create(*, user: User, team: Team | None) -> User | Team:
    if team is not None and not can_act_on_team(user=user, team=team, action=Action.CREATE):
        raise PermissionDenied(_("Your role in this team does not allow creating videos."))
    account = account_for(user=user, team=team)
    # Two creates in one workspace at once would both see the same count: the account's row is the lock.
    rows = Team.objects.filter(pk=team.pk) if team is not None else User.objects.filter(pk=user.pk)
    locked = list(rows.select_for_update().values_list("pk", flat=True))
    if not locked:
        raise NotFound()  # the account was deleted since the request began
    # Billing counts creations, not the videos that still exist: deleting one gives no place back.
    limits.check_usage(account, limits.Metered.VIDEOS_CREATED)
    return account


def _check_upload_size(*, account: User | Team, size: int) -> None:
    limits.check(account, limits.Limit.UPLOAD_SIZE_MB, used=0, adding=math.ceil(size / MB))


def _enqueue_render(version: VideoVersion) -> None:
    from videos.tasks import video_render

    transaction.on_commit(lambda: video_render.delay(version.pk))


def _spool(upload: UploadedFile, directory: Path) -> Path:
    # Never the uploader's name or extension: what the file is comes from its bytes alone.
    local = directory / "upload"
    with local.open("wb") as sink:
        for chunk in upload.chunks():
            sink.write(chunk)
    return local


def _validated_duration(*, template: Template, duration: Any) -> float:
    if duration in (None, ""):
        return float(template.duration_seconds)
    try:
        seconds = float(duration)
    except (TypeError, ValueError):
        raise DomainError(_("The duration must be a number of seconds."), field="duration") from None
    if not template.min_duration_seconds <= seconds <= template.max_duration_seconds:
        raise DomainError(
            _("The duration must be between %(min)d and %(max)d seconds.")
            % {"min": template.min_duration_seconds, "max": template.max_duration_seconds},
            field="duration",
        )
    return seconds


def resolve_customization(
    *, template: Template, customization: dict[str, Any], slot_files: dict | None = None
) -> dict[str, Any]:
    """The render spec of `template` with `customization` merged in; DomainError naming every problem."""
    duration = _validated_duration(template=template, duration=customization.get("duration"))
    try:
        return resolve_render_spec(
            spec=template.scene_spec, duration=duration, customization=customization, slot_files=slot_files
        )
    except SpecError as exc:
        raise DomainError(" ".join(exc.messages), field="customization") from None


def _render_spec_for(
    *,
    user: User,
    owner: User,
    team: Team | None,
    template: Template,
    customization: dict[str, Any],
    slot_files: dict | None = None,
) -> dict[str, Any]:
    """The customization resolved, with the logo the creator picked (`branding_profile`) frozen in."""
    spec = resolve_customization(template=template, customization=customization, slot_files=slot_files)
    if "branding_profile" in customization:
        spec["branding"] = branding_chosen(
            user=user, owner=owner, team=team, profile_id=customization["branding_profile"]
        )
    return spec


def video_create_from_template(
    *,
    user: User,
    team: Team | None,
    template: Template,
    title: str,
    customization: dict[str, Any] | None = None,
    slot_uploads: dict[str, UploadedFile] | None = None,
    slot_stored: dict[str, dict[str, Any]] | None = None,
    quality: str = "final",
    enqueue_render: bool = True,
) -> Video:
    """Create a video from a template and queue its first render (v1).

    `slot_stored` fills slots with files already checked and stored ({key: {"name", "kind", "size"}},
    e.g. a bulk job's media or the creator's earlier media): each is copied for this video.
    `quality` "draft" renders smaller and faster. With `enqueue_render=False` the caller queues the
    render itself (bulk jobs, on their own queue).
    """
    # As in `video_upload`: the slot files are read, probed and stored outside any transaction (which
    # would hold the account's row lock, and on SQLite every other writer, all that time); the checks
    # run once up front and again, under the lock, when the rows are written.
    with transaction.atomic():
        account = _check_can_create_from(user=user, team=team, template=template)
    customization = dict(customization or {})
    # Fail before anything is stored.
    _render_spec_for(user=user, owner=user, team=team, template=template, customization=customization)
    slots = {slot["key"]: slot for slot in template.scene_spec.get("slots", [])}
    uploads = {key: upload for key, upload in (slot_uploads or {}).items() if key in slots and upload is not None}
    reused = {key: media for key, media in (slot_stored or {}).items() if key in slots and key not in uploads}
    # The slot files go under the video's id: take one now if there are any.
    video = Video(
        pk=_reserve_video_id() if uploads or reused else None,
        owner=user,
        team=team,
        template=template,
        title=title.strip() or template.title,
        source=Video.Source.TEMPLATE,
        customization=customization,
    )
    stored: list[str] = []
    try:
        assets = _store_slot_media(
            user=user, video_id=video.pk, account=account, slots=slots, uploads=uploads, stored=stored
        )
        assets += _copy_slot_media(user=user, video_id=video.pk, slots=slots, reused=reused, stored=stored)
        slot_files = {asset.slot: {"name": asset.file.name, "kind": asset.kind} for asset in assets}
        render_spec = _render_spec_for(
            user=user, owner=user, team=team, template=template, customization=customization, slot_files=slot_files
        )
        if quality != "final":
            render_spec["quality"] = quality
        with transaction.atomic():
            # Under the account's row lock: another video may have taken the month's last place (or
            # the plan changed) while the slot files were being stored.
            account = _check_can_create_from(user=user, team=team, template=template)
            for asset in assets:
                _check_upload_size(account=account, size=asset.size_bytes)
            video.save(force_insert=True)
            for asset in assets:
                asset.video = video
            MediaAsset.objects.bulk_create(assets)
            version = VideoVersion.objects.create(
                video=video,
                number=1,
                render_spec=render_spec,
                created_by=user,
                change_description=_("Created from the template “%(title)s”") % {"title": template.title},
            )
            Template.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
            usage_record(account=account, kind=limits.Metered.VIDEOS_CREATED)
            record_event(name=EventName.VIDEO_CREATED, actor=user, subject=video, payload=_event_payload(video))
            record_event(
                name=EventName.TEMPLATE_USED, actor=user, subject=template, payload={"template": template.slug}
            )
            if enqueue_render:
                _enqueue_render(version)
    except BaseException:
        # Storage is not transactional: without the rows, nothing may point at these files.
        delete_from_storage(stored)
        raise
    return video


def _check_can_create_from(*, user: User, team: Team | None, template: Template) -> User | Team:
    account = _check_can_create(user=user, team=team)
    if template_is_locked(account=account, template=template):
        limits.check(account, limits.Limit.PRO_TEMPLATES)
    return account


def _store_slot_media(
    *,
    user: User,
    video_id: int | None,
    account: User | Team,
    slots: dict,
    uploads: dict[str, UploadedFile],
    stored: list[str],
) -> list[MediaAsset]:
    """Probe and store each slot's file (the name of each stored file is added to `stored`); unsaved rows."""
    assets: list[MediaAsset] = []
    for key, upload in uploads.items():
        _check_upload_size(account=account, size=upload.size or 0)
        with tempfile.TemporaryDirectory(prefix="slot-") as tmp:
            local = _spool(upload, Path(tmp))
            try:
                checked = accept_image_or_clip(local, work=Path(tmp))
            except DomainError as exc:
                raise DomainError(exc.message, code=exc.code, field=f"slot_{key}") from None
            wanted = slots[key].get("kind", "any")
            if wanted != "any" and wanted != checked.kind:
                message = _("This slot needs an image.") if wanted == "image" else _("This slot needs a video clip.")
                raise DomainError(message, field=f"slot_{key}")
            name = save_to_storage(
                checked.path, f"videos/{video_id}/media/{key}{checked.extension}", content_type=checked.content_type
            )
            stored.append(name)
        assets.append(
            MediaAsset(owner=user, slot=key, kind=checked.kind, file=name, size_bytes=checked.probe.size_bytes)
        )
    return assets


def _copy_slot_media(
    *, user: User, video_id: int | None, slots: dict, reused: dict[str, dict[str, Any]], stored: list[str]
) -> list[MediaAsset]:
    """Copy already-checked stored files into the video's media folder (the video owns its copies, so
    deleting it never removes a file another video or job still uses); unsaved rows."""
    assets: list[MediaAsset] = []
    for key, media in reused.items():
        wanted = slots[key].get("kind", "any")
        if wanted != "any" and wanted != media["kind"]:
            message = _("This slot needs an image.") if wanted == "image" else _("This slot needs a video clip.")
            raise DomainError(message, field=f"slot_{key}")
        name = copy_in_storage(media["name"], f"videos/{video_id}/media/{key}{Path(media['name']).suffix}")
        stored.append(name)
        assets.append(MediaAsset(owner=user, slot=key, kind=media["kind"], file=name, size_bytes=media["size"]))
    return assets


def video_upload(*, user: User, team: Team | None, title: str, upload: UploadedFile) -> Video:
    """Store an existing video after ffprobe says it is a complete video within the plan's limits."""
    # Reading, probing and storing a big file takes long: none of it happens in a transaction, which
    # would hold the account's row lock (and, on SQLite, every other writer) all that time. The checks
    # run once up front so a refusal comes before the slow work, and again when the rows are written.
    with transaction.atomic():
        account = _check_can_create(user=user, team=team)
    upload_size_check(account=account, size=upload.size or 0)
    title = title.strip() or Path(upload.name or "").stem[:200] or _("Uploaded video")
    change_description = _("Uploaded “%(name)s”") % {"name": Path(upload.name or "").name[:100]}
    # The files go to the version's usual paths, which name the video's id: take one now.
    video_id = _reserve_video_id()
    stored: list[str] = []
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        local = _spool(upload, Path(tmp))
        try:
            checked: CheckedMedia = accept_video(local, work=Path(tmp))
        except DomainError as exc:
            raise DomainError(exc.message, code="invalid_media", field="file") from None
        found = checked.probe
        still: Path | None = Path(tmp) / "thumbnail.jpg"
        if not thumbnail(checked.path, still, at=min(1.0, (found.duration or 0) / 2)):
            still = None
        video = Video(pk=video_id, owner=user, team=team, title=title, source=Video.Source.UPLOAD)
        version = VideoVersion(
            video=video,
            number=1,
            status=VideoVersion.Status.READY,
            progress=100,
            size_bytes=found.size_bytes,
            duration_seconds=found.duration,
            width=found.width,
            height=found.height,
            created_by=user,
            change_description=change_description,
        )
        try:
            version.file.name = save_to_storage(
                checked.path, version.storage_path(f"video{checked.extension}"), content_type=checked.content_type
            )
            stored.append(version.file.name)
            if still is not None:
                version.thumbnail.name = save_to_storage(
                    still, version.storage_path("thumbnail.jpg"), content_type="image/jpeg"
                )
                stored.append(version.thumbnail.name)
            with transaction.atomic():
                # Under the account's row lock: another video may have taken the month's last place
                # (or the plan changed) while the file was being stored.
                account = _check_can_create(user=user, team=team)
                upload_size_check(account=account, size=upload.size or 0)
                video.save(force_insert=True)
                version.finished_at = timezone.now()
                version.save(force_insert=True)
                video_adopt_version(video_id=video.pk, version=version)
                usage_record(account=account, kind=limits.Metered.VIDEOS_CREATED)
                record_event(name=EventName.VIDEO_CREATED, actor=user, subject=video, payload=_event_payload(video))
        except BaseException:
            # Storage is not transactional: without the rows, nothing may point at these files.
            delete_from_storage(stored)
            raise
    video.refresh_from_db()
    return video


def upload_size_check(*, account: User | Team, size: int, field: str = "file") -> None:
    """Refuse (on `field`) an upload of `size` bytes larger than the account's plan allows."""
    try:
        _check_upload_size(account=account, size=size)
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field=field) from None


def _reserve_video_id() -> int:
    """A new video's id, taken before its row is written (so its files can be stored first).

    The id comes from the table's own sequence, so no other video can be given it; if the upload
    fails, the id is simply never used.
    """
    table, column = Video._meta.db_table, Video._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
            return int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            table_sql, column_sql = connection.ops.quote_name(table), connection.ops.quote_name(column)
            # AUTOINCREMENT keeps the highest id ever given in sqlite_sequence and never gives a
            # lower one: raising it there takes the id, in a write as short as an INSERT.
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) "  # noqa: S608 (only our own quoted names)
                    f"SELECT %s, (SELECT COALESCE(MAX({column_sql}), 0) FROM {table_sql}) "
                    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                    [table, table],
                )
                cursor.execute("UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq", [table])
                ((reserved,),) = cursor.fetchall()  # read to the end: SQLite commits no unfinished statement
            return int(reserved)
    raise NotImplementedError(f"Reserving a video id is not supported on {connection.vendor}.")


@transaction.atomic
def video_edit(
    *,
    video: Video,
    actor: User,
    title: str | None = None,
    customization: dict[str, Any] | None = None,
    change_description: str = "",
) -> Video:
    """Rename a video and/or re-render it with new texts, colours or duration as a new version.

    `video` comes from `videos.permissions.video_get_for_user(action=Action.EDIT)`.
    """
    video = Video.objects.select_for_update(of=("self",)).select_related("template").get(pk=video.pk)
    if title is not None and title.strip() and title.strip() != video.title:
        video.title = title.strip()
        video.save(update_fields=["title", "updated_at"])
    if customization is None or customization == video.customization:
        return video
    if video.template is None:
        raise DomainError(_("Only videos made from a template can be re-rendered."), field="customization")
    slot_files = {asset.slot: {"name": asset.file.name, "kind": asset.kind} for asset in video.media_assets.all()}
    spec = _render_spec_for(
        user=actor,
        owner=video.owner,
        team=video.team,
        template=video.template,
        customization=customization,
        slot_files=slot_files,
    )
    version = VideoVersion.objects.create(
        video=video,
        number=next_version_number(video=video),
        render_spec=spec,
        created_by=actor,
        change_description=change_description.strip() or _("Edited texts, colours or duration"),
    )
    video.customization = customization
    video.status = Video.Status.RENDERING
    video.save(update_fields=["customization", "status", "updated_at"])
    _enqueue_render(version)
    return video


@transaction.atomic
def video_rerender(*, video: Video, actor: User | None, enqueue_render: bool = True) -> VideoVersion:
    """Render a video's failed latest version again, as a new version with the same spec.

    `video` comes from `videos.permissions.video_get_for_user(action=Action.EDIT)`, or from the ops console
    (or a bulk job's retry, which queues the render itself: `enqueue_render=False`).
    """
    video = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
    latest = video.versions.order_by("-number").first()
    if latest is None or latest.status != VideoVersion.Status.FAILED or not latest.render_spec:
        raise DomainError(_("Only a failed render can be tried again."))
    version = VideoVersion.objects.create(
        video=video,
        number=latest.number + 1,
        render_spec=latest.render_spec,
        created_by=actor,
        change_description=_("Render tried again"),
    )
    video.status = Video.Status.RENDERING
    video.save(update_fields=["status", "updated_at"])
    if enqueue_render:
        _enqueue_render(version)
    return version


@transaction.atomic
def video_delete(*, video: Video, actor: User | None) -> None:
    """Delete a video, its versions and every stored file.

    `video` comes from `videos.permissions.video_get_for_user(action=Action.DELETE)`, or from the
    ops console or a deletion of its owner or team.
    """
    names = [video.file.name, video.thumbnail.name]
    for file_name, thumbnail_name in video.versions.values_list("file", "thumbnail"):
        names += [file_name, thumbnail_name]
    names += list(video.media_assets.values_list("file", flat=True))
    record_event(name=EventName.VIDEO_DELETED, actor=actor, subject=video, payload=_event_payload(video))
    video.delete()
    # Files go only once the rows are really gone.
    transaction.on_commit(lambda: delete_from_storage(sorted({name for name in names if name})))


def _event_payload(video: Video) -> dict[str, Any]:
    return {
        "video_id": video.pk,
        "title": video.title,
        "source": video.source,
        "team_id": video.team_id,
        "owner_id": video.owner_id,
        "template": video.template.slug if video.template else None,
    }
