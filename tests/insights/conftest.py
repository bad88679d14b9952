from tests.videos.publishing import (  # noqa: F401 (the fake platforms the statistics fetch reads)
    fake_platforms_running,
    platforms,
)
