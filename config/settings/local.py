"""The embedded default used by `make run`: debug on, everything local."""

from config.settings.base import *  # noqa: F403 (settings modules layer on each other)
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
