from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "videos"

    def ready(self) -> None:
        from teams.comment_targets import comment_target_register
        from videos import receivers  # noqa: F401 (connects the clean-up after deleted people and teams)
        from videos.permissions import video_get_as_comment_target

        # Review comments (a teams feature) pin to videos; teams asks through this, never directly.
        comment_target_register(video_get_as_comment_target)
