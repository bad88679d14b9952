import os

from django.core.wsgi import get_wsgi_application

from config.heap import freeze_after_warm_up

# What gunicorn loads: production unless told otherwise (manage.py, and so `make run`, stays local).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
# Full garbage collections skip the process's long-lived objects (see config/heap.py).
freeze_after_warm_up()
