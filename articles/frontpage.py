"""Where each story stands on the front page. Rules over cards already read
(queries.front_page reads them), so that the layout changes here and nowhere else.

From the top: the lead story (the newest with a photo), three or four secondary
stories with photos, "Tin mới nhất" (the rest of the newest, in order), the
featured event threads, then one block per category. A story at the top is not
shown again in its category's block, so that a phone reader scrolls past each
story once.
"""
from .values import FrontPage

SECONDARY = 4
BLOCK_SIZE = 4
# A category block reads this many of its newest, so that it stays full when the
# lead and all the secondary stories come from that one category.
BLOCK_CANDIDATES = BLOCK_SIZE + 1 + SECONDARY
FEATURED_THREADS = 3
THREAD_ARTICLES = 3


def arrange(page, blocks, threads):
    """page: the newest articles as a Page of Cards; blocks: ((category Link,
    (Cards, newest first)), …); threads: ThreadCards. Returns a FrontPage."""
    newest = page.items
    with_photo = [card for card in newest if card.picture]
    lead = with_photo[0] if with_photo else (newest[0] if newest else None)
    secondary = tuple(card for card in with_photo if card is not lead)[:SECONDARY]
    top = {card.id for card in (lead, *secondary) if card}
    latest = tuple(card for card in newest if card.id not in top)
    shown_blocks = ((category, _block(cards, top)) for category, cards in blocks)
    return FrontPage(lead, secondary, latest, tuple(threads), tuple(b for b in shown_blocks if b[1]), page)


def _block(cards, top):
    """A category's newest stories not at the top; the first with a photo heads
    the block, since a block is recognised by its picture."""
    fresh = [card for card in cards if card.id not in top][:BLOCK_SIZE]
    pictured = next((card for card in fresh if card.picture), None)
    if pictured is not None:
        fresh.remove(pictured)
        fresh.insert(0, pictured)
    return tuple(fresh)
