import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antd_site.settings")
os.environ.setdefault("ANTD_PROCESS", "web")  # settings: statement timeout for web workers
application = get_wsgi_application()

# Each worker imports this module itself (no preload): it gets ready here, on its
# own connection, before its first reader (articles/warmup.py).
from articles.warmup import warm  # noqa: E402

warm()
