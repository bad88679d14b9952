"""Hashed, expiring API tokens (django-rest-knox) with our names for them replace DRF's authtoken.

The old tokens are not carried over (knox stores a hash of a key of its own format, and the
old keys must not stay readable): the plain-text table is dropped, and with it every old token.
People create new tokens on the settings page or through POST /api/v1/auth/token/.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0006_outbox_encrypted_bodies'),
        # The token's final primary key (digest), not knox's first one.
        ('knox', '0009_extend_authtoken_field'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiTokenLabel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='label', to=settings.KNOX_TOKEN_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
            },
        ),
        # rest_framework.authtoken is no longer installed; its table held every key in plain text.
        # Its migration records go too, so re-installing the app would create the table afresh.
        migrations.RunSQL(
            sql=[
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
