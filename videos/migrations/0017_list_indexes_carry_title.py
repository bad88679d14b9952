"""The status indexes and the team's carry the title: a title search filters them without reading rows."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('videos', '0016_schedule_bulk_sweeper'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='video',
            name='videos_video_personal_status',
        ),
        migrations.RemoveIndex(
            model_name='video',
            name='videos_video_team_recent',
        ),
        migrations.RemoveIndex(
            model_name='video',
            name='videos_video_team_status',
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(condition=models.Q(('team', None)), fields=['owner', 'status', '-created_at', '-id'], include=('title',), name='videos_video_personal_status'),
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(fields=['team', '-created_at', '-id'], include=('title',), name='videos_video_team_recent'),
        ),
        migrations.AddIndex(
            model_name='video',
            index=models.Index(fields=['team', 'status', '-created_at', '-id'], include=('title',), name='videos_video_team_status'),
        ),
    ]
