"""Development and benchmark code lives in devtools/, which production never installs:
a `make serve` install (requirements.txt only, no Faker) runs every command of
production, and nothing of articles/ needs devtools or Faker."""
import json
import secrets
import subprocess
import sys

import pytest

from tests.subprocesses import REPO, clean_env, run_python

PRODUCTION_COMMANDS = {"import_articles", "backup", "restore", "rebuild_renditions", "refresh_search_terms"}
DEVELOPMENT_COMMANDS = {"make_archive", "load_sample_content"}
# Faker comes with requirements-test.txt only; a production process must not import it.
IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import django
django.setup()
from django.apps import apps
import articles
for module in pkgutil.walk_packages(articles.__path__, "articles."):
    importlib.import_module(module.name)
print(json.dumps({
    "devtools": apps.is_installed("devtools"),
    "faker": sorted(name for name in sys.modules if name == "faker" or name.startswith("faker.")),
    "devtools_modules": sorted(name for name in sys.modules if name.startswith("devtools")),
}))
"""


def production_env(**extra):
    return clean_env(
        DJANGO_SETTINGS_MODULE="antd_site.settings", DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="antd.vn",
        DATABASE_URL="postgres://postgres@db.invalid:5432/antd", **extra,
    )


def commands(env):
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_production_has_its_commands_and_no_development_ones():
    found = commands(production_env())
    assert PRODUCTION_COMMANDS <= found
    assert not DEVELOPMENT_COMMANDS & found


def test_development_has_both():
    env = clean_env(DJANGO_SETTINGS_MODULE="antd_site.settings", DATABASE_URL="postgres://postgres@db.invalid:5432/antd")
    assert PRODUCTION_COMMANDS | DEVELOPMENT_COMMANDS <= commands(env)


def test_every_module_of_articles_imports_without_devtools_or_faker():
    result = run_python(IMPORT_EVERYTHING, production_env())
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {"devtools": False, "faker": [], "devtools_modules": []}


@pytest.mark.django_db
def test_the_bare_endpoint_exists_only_when_asked_for(client):
    assert client.get("/_bench/bare/").status_code == 404
    code = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client(HTTP_HOST='antd.vn').get('/_bench/bare/', headers={'x-forwarded-proto': 'https'}).status_code)"
    )
    result = run_python(code, production_env(ANTD_BENCH_ENDPOINT="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "200"


def test_make_archive_without_faker_says_what_to_install():
    code = (
        "import sys; sys.modules['faker'] = None\n"  # as on a `make run` install
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.core.management.base import CommandError\n"
        "try:\n    call_command('make_archive', '--articles', '1')\n"
        "except CommandError as error:\n    print(error)\n"
    )
    env = clean_env(DJANGO_SETTINGS_MODULE="antd_site.settings", DATABASE_URL="postgres://postgres@db.invalid:5432/antd")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert "make install-test" in result.stdout and "Faker" in result.stdout
