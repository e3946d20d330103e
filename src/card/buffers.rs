//! The card model's vectors, reused from one card to the next on each thread.

use super::{Block, Card, Heading, Link, OtherContent, Table};
use crate::text::SlugCounter;

/// The vectors of a card model, kept per thread between cards: checking a thousand
/// cards then allocates them once, not once per card (allocation was a tenth of the
/// time of a check).
#[derive(Default)]
pub(super) struct Buffers {
    pub(super) line_starts: Vec<usize>,
    pub(super) headings: Vec<Heading>,
    pub(super) heading_strings: String,
    pub(super) slugs: SlugCounter,
    pub(super) blocks: Vec<Block>,
    pub(super) plain: String,
    pub(super) segs: Vec<(usize, usize)>,
    pub(super) tables: Vec<Table>,
    pub(super) links: Vec<Link>,
    pub(super) link_dests: String,
    pub(super) other_content: Vec<OtherContent>,
    pub(super) html_anchors: Vec<String>,
    pub(super) thematic_breaks: Vec<usize>,
    pub(super) frames: Vec<(String, Vec<(usize, usize)>)>,
}

/// Buffers larger than this (a huge card) are freed, not kept for the next card.
const KEEP_BUFFER_BYTES: usize = 1 << 20;

thread_local! {
    static SPARE_BUFFERS: std::cell::Cell<Option<Box<Buffers>>> =
        const { std::cell::Cell::new(None) };
}

impl Drop for Card<'_> {
    fn drop(&mut self) {
        if self.plain.capacity() > KEEP_BUFFER_BYTES
            || self.blocks.capacity() * std::mem::size_of::<Block>() > KEEP_BUFFER_BYTES
        {
            return;
        }
        use std::mem::take;
        let mut b = Box::new(Buffers {
            line_starts: take(&mut self.lines).into_starts(),
            headings: take(&mut self.headings),
            heading_strings: take(&mut self.heading_strings),
            slugs: take(&mut self.slugs),
            blocks: take(&mut self.blocks),
            plain: take(&mut self.plain),
            segs: take(&mut self.segs),
            tables: take(&mut self.tables),
            links: take(&mut self.links),
            link_dests: take(&mut self.link_dests),
            other_content: take(&mut self.other_content),
            html_anchors: take(&mut self.html_anchors),
            thematic_breaks: take(&mut self.thematic_breaks),
            frames: take(&mut self.spare),
        });
        b.headings.clear();
        b.heading_strings.clear();
        b.slugs.clear();
        b.blocks.clear();
        b.plain.clear();
        b.segs.clear();
        b.tables.clear();
        b.links.clear();
        b.link_dests.clear();
        b.other_content.clear();
        b.html_anchors.clear();
        b.thematic_breaks.clear();
        b.frames.truncate(64);
        SPARE_BUFFERS.set(Some(b));
    }
}

/// The buffers left by the last card checked on this thread, or new ones.
pub(super) fn take() -> Box<Buffers> {
    SPARE_BUFFERS.take().unwrap_or_default()
}
