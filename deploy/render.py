"""deploy/nginx.conf made runnable on this machine without installing it: the
file with given ports and folders in place of its ADAPT values, read inside a
small main configuration of its own (pid file, temporary folders, errors on
stderr), for Debian's /usr/sbin/nginx run in the foreground with a private
prefix. Used by tests/test_nginx.py and by `make bench` (bench/nginx.py).
"""
import os
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "nginx.conf"
NGINX = "/usr/sbin/nginx"
MODULES = "/usr/lib/nginx/modules"
BROTLI_MODULES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")

MAIN_CONFIG = """\
daemon off;
{user}
worker_processes {workers};
pid {root}/nginx.pid;
error_log stderr warn;
{modules}
events {{
    worker_connections {connections};
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {root}/temp/body;
    proxy_temp_path {root}/temp/proxy;
    fastcgi_temp_path {root}/temp/fastcgi;
    uwsgi_temp_path {root}/temp/uwsgi;
    scgi_temp_path {root}/temp/scgi;
    access_log off;
    include {root}/antd.conf;
}}
"""


def missing():
    """What of Debian's nginx and its brotli modules this machine lacks (`make nginx`)."""
    return [path for path in (NGINX, *(f"{MODULES}/{name}" for name in BROTLI_MODULES)) if not os.path.exists(path)]


def render_site(*, port, app_port, cache, access_log, static, media, forwarded_proto=None):
    """deploy/nginx.conf with these ports and folders in place of the ADAPT values.

    forwarded_proto: what nginx tells the app the scheme was, in place of $scheme
    (`"https"` for an app in production behind a TLS terminator not run here)."""
    text = CONFIG.read_text()
    values = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen [::]:80;": "",
        "/var/cache/nginx/antd": str(cache),
        "/var/log/nginx/antd.access.log": str(access_log),
        "/srv/antd/var/static/": f"{static}/",
        "/srv/antd/var/media/": f"{media}/",
    }
    if forwarded_proto:
        values["proxy_set_header X-Forwarded-Proto $scheme;"] = f"proxy_set_header X-Forwarded-Proto {forwarded_proto};"
    for default, value in values.items():
        if default not in text:
            raise ValueError(f"deploy/nginx.conf no longer says {default!r}: render it in deploy/render.py as it is now")
        text = text.replace(default, value)
    return text


def main_config(root, *, workers=1, connections=64):
    """The main configuration that reads root/antd.conf (a rendered site file),
    with the brotli modules loaded, everything nginx writes under root."""
    modules = "\n".join(f"load_module {MODULES}/{name};" for name in BROTLI_MODULES)
    # Run as root, the workers would be nobody, who may not enter a private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return MAIN_CONFIG.format(root=root, user=user, modules=modules, workers=workers, connections=connections)
