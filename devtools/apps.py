from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development and benchmarks: sample content, synthetic archives, the bare
    endpoint. Never installed in production (antd_site/settings.py)."""

    name = "devtools"
    verbose_name = "Công cụ phát triển"
