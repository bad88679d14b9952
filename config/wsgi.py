import os

from django.core.wsgi import get_wsgi_application

# What gunicorn loads: production unless told otherwise (manage.py, and so `make run`, stays local).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
