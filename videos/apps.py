from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "videos"

    def ready(self) -> None:
        from videos import receivers  # noqa: F401 (connects the clean-up after deleted people and teams)
