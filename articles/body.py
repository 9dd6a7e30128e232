"""An article body as readers see it: paragraphs with photos standing between them."""
from .text import split_paragraphs
from .values import Block, Picture


def compose(body, photos):
    """Blocks in reading order. A photo's position counts the paragraphs before it;
    one past the end stands after the last paragraph rather than being lost."""
    paragraphs = split_paragraphs(body)
    photos = sorted(photos, key=lambda p: (min(p.position, len(paragraphs)), p.pk or 0))
    # The first picture a reader sees loads at once; the others lazily.
    first = next((photo for photo in photos if photo.image), None)
    blocks, queue = [], list(photos)
    for index in range(len(paragraphs) + 1):
        while queue and min(queue[0].position, len(paragraphs)) == index:
            photo = queue.pop(0)
            blocks.append(Block("figure", picture=Picture.of(photo), first_figure=photo is first))
        if index < len(paragraphs):
            blocks.append(Block("paragraph", text=paragraphs[index]))
    return tuple(blocks)
