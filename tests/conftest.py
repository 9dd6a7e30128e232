import pytest
from django.contrib.auth.models import Group

from antd_site import settings as settings_module
from articles.caching import version as content_cache
from articles.models import Article

from .factories import UserFactory


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Real hashers cost ~0.3 s a login; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def with_fragments(caches, name):
    """The settings' fragment cache in front of these caches' default, private to name."""
    return {**caches, "fragments": {**settings_module.CACHES["fragments"], "LOCATION": f"fragments-{name}"}}


@pytest.fixture(autouse=True)
def private_cache(settings, request):
    """Each test its own empty cache, and no whole-page cache unless a test asks
    (tests/test_cache.py): pages are measured and checked as rendered."""
    settings.CACHES = with_fragments({
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }, request.node.nodeid)
    settings.ANTD = {**settings.ANTD, "PAGE_CACHE_SECONDS": 0}
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()
    content_cache.forget_local_version()


@pytest.fixture(autouse=True)
def no_video_hosts(settings):
    """No test asks YouTube or Facebook: a save placing a video asks a port where
    nothing listens (tests/test_videos.py serves real answers)."""
    closed = "http://127.0.0.1:9/oembed"
    settings.ANTD = {**settings.ANTD, "OEMBED_ENDPOINTS": {"youtube": closed, "facebook": closed},
                     "VIDEO_THUMBNAIL_HOSTS": ("127.0.0.1",)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes its photos into a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def media_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def editor(db):
    user = UserFactory(username="bientap", is_staff=True)
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    return user


@pytest.fixture
def reporter(db):
    user = UserFactory(username="phongvien", is_staff=True)
    user.groups.add(Group.objects.get(name="Phóng viên"))
    return user


@pytest.fixture
def founding_article(db):
    from devtools.samples import CONTENT_DIR, FOUNDING_ARTICLE
    from articles.imports.plaintext import import_file

    article, _ = import_file(CONTENT_DIR / f"{FOUNDING_ARTICLE}.txt")
    return Article.objects.get(pk=article.pk)
