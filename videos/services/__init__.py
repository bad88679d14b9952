"""Writes for the videos domain; one function per flow, used by pages, API, admin and tasks alike."""

from videos.services.branding import (
    branding_apply,
    branding_profile_create,
    branding_profile_delete,
    branding_profile_set_default,
    branding_profile_update,
    branding_profiles_delete_for,
)
from videos.services.templates import (
    template_import_run,
    template_import_start,
    template_imports_sweep_stalled,
    template_set_active,
)
from videos.services.versions import (
    version_claim,
    version_mark_failed,
    version_render,
    version_restore,
    versions_apply_retention,
    versions_sweep_stalled,
    video_adopt_version,
)
from videos.services.videos import (
    upload_size_check,
    video_create_from_template,
    video_delete,
    video_edit,
    video_rerender,
    video_upload,
)

__all__ = [
    "branding_apply",
    "branding_profile_create",
    "branding_profile_delete",
    "branding_profile_set_default",
    "branding_profile_update",
    "branding_profiles_delete_for",
    "template_import_run",
    "template_import_start",
    "template_imports_sweep_stalled",
    "template_set_active",
    "upload_size_check",
    "version_claim",
    "version_mark_failed",
    "version_render",
    "version_restore",
    "versions_apply_retention",
    "versions_sweep_stalled",
    "video_adopt_version",
    "video_create_from_template",
    "video_delete",
    "video_edit",
    "video_rerender",
    "video_upload",
]
