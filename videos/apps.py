from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "videos"

    def ready(self) -> None:
        # Publishing accounts' tokens are encrypted before allauth writes them (videos/platforms/accounts.py).
        from allauth.socialaccount.models import SocialToken
        from django.db.models.signals import pre_save

        from teams.comment_targets import comment_target_register

        # Connect the clean-up after deleted people and teams; exports' first, as they find their
        # videos through links that deleting the videos removes.
        from videos import bulk_receivers, export_receivers, receivers  # noqa: F401
        from videos.permissions import video_get_as_comment_target
        from videos.platforms.accounts import seal_token

        pre_save.connect(seal_token, sender=SocialToken, dispatch_uid="videos.seal_social_token")

        # Review comments (a teams feature) pin to videos; teams asks through this, never directly.
        comment_target_register(video_get_as_comment_target)
