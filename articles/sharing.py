"""Share links under an article: plain addresses of each network's own share page.

Plain links, so that nothing is asked of another host until the reader clicks
one and sharing works without JavaScript; static/js/share.js only adds copying
to the clipboard and the system share sheet, which need a script."""
from typing import NamedTuple
from urllib.parse import quote, urlencode


class ShareLink(NamedTuple):
    network: str  # a class name: share-<network>
    label: str  # what the reader reads; the accessible name
    href: str


def _query(**params):
    # %20 rather than "+": mail programs take "+" literally in a mailto: body.
    return urlencode(params, quote_via=quote, safe="")


def share_links(url, title):
    """The share links of the article at url (absolute, canonical) titled title."""
    return [
        ShareLink("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + _query(u=url)),
        # Zalo documents only its SDK button (a script from sp.zalo.me), which would load
        # from another host with every page; this plain address opens its share page.
        ShareLink("zalo", "Zalo", "https://zalo.me/share?" + _query(url=url)),
        ShareLink("x", "X", "https://x.com/intent/post?" + _query(url=url, text=title)),
        ShareLink("email", "E-mail", "mailto:?" + _query(subject=title, body=f"{title}\n{url}")),
    ]
