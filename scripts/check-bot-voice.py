#!/usr/bin/env python3
"""Renders every body the bot would post (written by tests/bot_voice.rs to the file named
by MODELCARD_REVIEW_BOT_BODIES) with cmark-gfm, GitHub's own Markdown renderer, with its
extensions (autolinks, tables, strikethrough, task lists) and raw HTML let through, and
fails if text from the hostile card appears anywhere but inside <code>/<pre>: no link,
image, HTML or bare URL of the card's may render in the bot's voice."""
import sys
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

EVIL = "evil.example"
SEPARATOR = "\n\x1e\n"


class Outside(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self.depth += 1
        elif any(EVIL in (v or "") for _, v in attrs):
            self.bad.append(f"<{tag} {attrs}>")
        elif self.depth == 0 and tag not in KNOWN:
            self.bad.append(f"raw HTML <{tag}>")

    def handle_endtag(self, tag):
        if tag in ("code", "pre"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0 and EVIL in data:
            self.bad.append(data)


# What the bot itself writes: paragraphs, lists, tables, emphasis, details, sub.
KNOWN = {"p", "ul", "ol", "li", "strong", "em", "a", "table", "thead", "tbody", "tr",
         "th", "td", "h1", "h2", "h3", "h4", "blockquote", "sub", "details", "summary",
         "br", "hr", "del", "input"}


def main(path):
    bodies = open(path, encoding="utf-8").read().split(SEPARATOR)
    failures = 0
    for body in bodies:
        html = cmarkgfm.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_UNSAFE)
        p = Outside()
        p.feed(html)
        if p.bad:
            failures += 1
            print("card text outside code:", p.bad[:3], "\n--- in ---\n", body[:2000], file=sys.stderr)
    print(f"bot voice (cmark-gfm): {len(bodies)} bodies, {failures} with card text outside code")
    return 1 if failures or len(bodies) < 10 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
