"""Small EPUBs built by the tests themselves (with ebooklib), so no book is shipped."""

from __future__ import annotations

from pathlib import Path

from ebooklib import epub

STORY = [
    (
        "Chapter 1: The Lamp",
        "chapter1.xhtml",
        """<h1>Chapter 1: The Lamp</h1>
<p>The storm came in from the west, and Mara climbed the steps.</p>
<p>"You're late," Elias said. <i>He always says that,</i> Mara thought.</p>
<figure><img src="gull.png" alt="A gull over the lighthouse"/></figure>
<hr/>
<p>The flame caught and the lens began to <em>turn</em>.</p>""",
    ),
    (
        "Chapter 2: The Morning After",
        "chapter2.xhtml",
        """<section epub:type="chapter"><h2>Chapter 2</h2><h3>The Morning After</h3>
<p>By morning the sea was flat.</p>
<p>"I owe you my life," Tom said.</p>
<p>* * *</p>
<p>Nell came in with the wind behind her.</p></section>""",
    ),
]


def page(title: str, name: str, body: str) -> epub.EpubHtml:
    item = epub.EpubHtml(title=title, file_name=name, lang="en")
    item.content = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return item


def build_epub(
    path: Path,
    *,
    title: str = "The Keeper of Gull Point",
    author: str = "Ann Author",
    chapters: list[tuple[str, str, str]] | None = None,
    front_matter: bool = True,
    back_matter: bool = True,
    toc: bool = True,
) -> Path:
    """An EPUB 3 with a title page, copyright page, chapters and an about-the-author page."""
    book = epub.EpubBook()
    book.set_identifier("test-gull-point")
    book.set_title(title)
    book.set_language("en")
    book.add_author(author)
    book.add_metadata("DC", "date", "2024-05-01")
    spine: list[object] = []
    listed: list[epub.EpubHtml] = []
    if front_matter:
        cover = page("Title Page", "title.xhtml", f"<h1>{title}</h1><p>by {author}</p>")
        rights = page(
            "Copyright",
            "copyright.xhtml",
            '<section epub:type="copyright-page"><p>Copyright 2024 Ann Author. All rights'
            " reserved. Mara Quill is a character in this book, and so is Elias.</p></section>",
        )
        book.add_item(cover)
        book.add_item(rights)
        spine += [cover, rights]
        listed.append(rights)
    for name, file_name, body in chapters or STORY:
        item = page(name, file_name, body)
        book.add_item(item)
        spine.append(item)
        listed.append(item)
    if back_matter:
        about = page(
            "About the Author",
            "about.xhtml",
            "<h1>About the Author</h1><p>Ann Author lives by the sea with Bob Smith.</p>",
        )
        book.add_item(about)
        spine.append(about)
        listed.append(about)
    if toc:
        book.toc = [epub.Link(i.file_name, i.title, i.file_name) for i in listed]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *spine]
    epub.write_epub(str(path), book)
    return path
