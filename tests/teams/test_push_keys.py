"""The VAPID key pair: from the settings, generated once into var/ for development, checked for deploys."""

import json
import stat

from django.core.management import call_command

from teams import push_keys
from teams.checks import vapid_keys_check
from teams.push_keys import keys_generate, public_key_of, vapid_keys


def test_without_a_key_in_the_environment_one_pair_is_generated_once_into_the_local_file(settings, tmp_path):
    path = tmp_path / "var" / "vapid-keys.json"
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "", ""
    settings.VAPID_LOCAL_KEYS_FILE = path
    first = vapid_keys()
    saved = json.loads(path.read_text())
    assert (saved["private_key"], saved["public_key"]) == (first.private_key, first.public_key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    push_keys._keys_for.cache_clear()
    assert vapid_keys() == first  # read back, not generated again
    assert public_key_of(first.private_key) == first.public_key


def test_a_mismatched_or_missing_pair_fails_the_deploy_check(settings):
    private, _public = keys_generate()
    _other_private, other_public = keys_generate()
    settings.VAPID_LOCAL_KEYS_FILE = None
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, other_public
    assert [error.id for error in vapid_keys_check()] == ["teams.E001"]
    settings.VAPID_PRIVATE_KEY = ""
    assert [error.id for error in vapid_keys_check()] == ["teams.E001"]
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public_key_of(private)
    assert vapid_keys_check() == []
    settings.WEB_PUSH_ENABLED, settings.VAPID_PRIVATE_KEY = False, ""
    assert vapid_keys_check() == []


def test_the_command_prints_a_usable_pair(capsys):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert public_key_of(lines["VAPID_PRIVATE_KEY"]) == lines["VAPID_PUBLIC_KEY"]
