"""Text cleaning that keeps page anchors.

`clean_pages(pages)` returns a `CleanText` whose offsets map back to (page, offset in the page);
`split_pages(text)` cuts a plain-text document into pages first.
"""

from nlp.text._clean import clean_pages, split_page_spans, split_pages
from nlp.text._cleantext import CleanText

__all__ = ["CleanText", "clean_pages", "split_page_spans", "split_pages"]
