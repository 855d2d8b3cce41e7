"""Write the portal's nginx site (irts-portal.conf.template beside this file) for one deployment.

    python3 deploy/nginx/render.py --server-name mobilite.example.org --app-root /srv/irts-portal \
        > /etc/nginx/sites-available/irts-portal

--plain-listen renders the same server over plain HTTP instead (no certificate, no redirect), as
the tests run it on loopback. Several instances (deploy/systemd): --upstream once for each, and
--media-from-app when they keep their files in a bucket (PORTAL_STORAGE=s3):

    python3 deploy/nginx/render.py --server-name mobilite.example.org \
        --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 --media-from-app Python's standard library only: it runs without the virtualenv.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("irts-portal.conf.template")
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
TLS_SECTION = re.compile(r"^[ \t]*#<tls>\n.*?^[ \t]*#</tls>\n", re.MULTILINE | re.DOTALL)
TLS_MARKER = re.compile(r"^[ \t]*#</?tls>\n", re.MULTILINE)
PLAIN_LINE = re.compile(r"^([ \t]*)#<plain>(.*\n)", re.MULTILINE)


def _section(name: str, *, keep: bool, text: str) -> str:
    """The lines between #<name> and #</name>: kept without their markers, or removed."""
    if keep:
        return re.sub(rf"^[ \t]*#</?{name}>\n", "", text, flags=re.MULTILINE)
    return re.sub(rf"^[ \t]*#<{name}>\n.*?^[ \t]*#</{name}>\n", "", text, flags=re.MULTILINE | re.DOTALL)


def render(
    *,
    server_name: str,
    upstream: str | list[str],
    static_root: str,
    media_root: str,
    certificate: str = "",
    certificate_key: str = "",
    plain_listen: str | None = None,
    media_from_app: bool = False,
    template: str | None = None,
) -> str:
    text = TEMPLATE.read_text() if template is None else template
    text = _section("media-folder", keep=not media_from_app, text=text)
    text = _section("media-bucket", keep=media_from_app, text=text)
    upstreams = [upstream] if isinstance(upstream, str) else upstream
    if plain_listen is None:
        text = PLAIN_LINE.sub("", TLS_MARKER.sub("", text))
    else:
        text = PLAIN_LINE.sub(r"\1\2", TLS_SECTION.sub("", text))
    values = {
        "server_name": server_name,
        "upstream_servers": "\n".join(f"    server {address};" for address in upstreams),
        "static_root": static_root.rstrip("/"),
        "media_root": media_root.rstrip("/"),
        # Let's Encrypt's paths (certbot) unless told otherwise.
        "certificate": certificate or f"/etc/letsencrypt/live/{server_name}/fullchain.pem",
        "certificate_key": certificate_key or f"/etc/letsencrypt/live/{server_name}/privkey.pem",
        "plain_listen": plain_listen or "",
    }

    def value_of(match: re.Match[str]) -> str:
        try:
            return values[match.group(1)]
        except KeyError:
            raise ValueError(f"The template names an unknown value: {match.group(0)}") from None

    return PLACEHOLDER.sub(value_of, text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--server-name", required=True, help="the site's host name, e.g. mobilite.example.org"
    )
    parser.add_argument(
        "--app-root",
        default="/srv/irts-portal",
        help="the portal's folder; static and media files default to its var/static and var/media",
    )
    parser.add_argument("--static-root", help="DJANGO_STATIC_ROOT, if not APP_ROOT/var/static")
    parser.add_argument("--media-root", help="DJANGO_MEDIA_ROOT, if not APP_ROOT/var/media")
    parser.add_argument(
        "--certificate", help="the certificate chain (default: Let's Encrypt's fullchain.pem)"
    )
    parser.add_argument("--certificate-key", help="its private key (default: Let's Encrypt's privkey.pem)")
    parser.add_argument(
        "--upstream",
        action="append",
        help="gunicorn's loopback address or unix:/path/to.sock (never a public address); once for "
        "each instance (default: 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--media-from-app",
        action="store_true",
        help="the logos come from the portal, which reads them from the bucket (PORTAL_STORAGE=s3)",
    )
    parser.add_argument("--plain-listen", help="serve over plain HTTP on this address instead (tests)")
    args = parser.parse_args(argv)
    app_root = args.app_root.rstrip("/")
    sys.stdout.write(
        render(
            server_name=args.server_name,
            upstream=args.upstream or ["127.0.0.1:8000"],
            static_root=args.static_root or f"{app_root}/var/static",
            media_root=args.media_root or f"{app_root}/var/media",
            certificate=args.certificate or "",
            certificate_key=args.certificate_key or "",
            plain_listen=args.plain_listen,
            media_from_app=args.media_from_app,
        )
    )


if __name__ == "__main__":
    main()
