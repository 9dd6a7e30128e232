import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = "Quản trị An Ninh Thủ Đô"
admin.site.site_title = "ANTD"
admin.site.index_title = "Tòa soạn"



def media(request, path):
    # Read MEDIA_ROOT per request: it is configuration, and tests change it.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = []
if settings.ANTD["BENCH_ENDPOINT"]:
    urlpatterns.append(path("", include("devtools.urls")))

urlpatterns += [
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploaded photos are served by Django on a single machine; several
    # machines put them on S3-compatible storage instead (see README).
    re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media),
    path("", include("articles.urls")),
]
