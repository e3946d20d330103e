//! A model card as a small document model: one pulldown-cmark pass with source
//! offsets, keeping what the rules need (headings, text blocks, tables, links), each
//! with 1-based line numbers as git counts them.

mod buffers;

use crate::text::{LineIndex, SlugCounter};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Markdown as GitHub renders it: tables, strikethrough, task lists, footnotes, and
/// YAML front matter (which is skipped, never read as headings or rules).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Why bytes could not be read as a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge { size: usize, limit: usize },
    Binary,
    Utf16,
    NotUtf8 { line: usize },
}

impl Unreadable {
    /// The line a finding about it belongs on: the first bad byte's, else the first.
    pub fn line(&self) -> usize {
        match self {
            Unreadable::NotUtf8 { line } => *line,
            _ => 1,
        }
    }

    pub fn explain(&self) -> String {
        match self {
            Unreadable::TooLarge { size, limit } => format!(
                "This file is {size} bytes, over the limit of {limit} bytes, so it was not checked. \
                 A model card should be a short Markdown text; move large content (data, logs) to separate files, \
                 or raise the limit with `max-file-size` in .modelcard-review.toml."
            ),
            Unreadable::Binary => "This file contains NUL bytes, so it looks binary, not Markdown text. \
                 Save the model card as plain UTF-8 text."
                .to_string(),
            Unreadable::Utf16 => "This file is encoded as UTF-16. Save it as UTF-8 \
                 (in most editors: \"Save with encoding\" → UTF-8)."
                .to_string(),
            Unreadable::NotUtf8 { line } => format!(
                "This file is not valid UTF-8 text (first bad byte on line {line}). \
                 Save it as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)."
            ),
        }
    }
}

/// Decodes card bytes: strips a UTF-8 BOM, refuses binary, UTF-16 and invalid UTF-8.
pub fn decode(bytes: &[u8], limit: usize) -> Result<&str, Unreadable> {
    if bytes.len() > limit {
        return Err(Unreadable::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Unreadable::Utf16);
    }
    if bytes.contains(&0) {
        return Err(Unreadable::Binary);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        Unreadable::NotUtf8 {
            line: upto.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    /// Rendered text (markup removed), whitespace collapsed, in the card's
    /// `heading_strings` (see `Card::heading_text`).
    pub text: Range<usize>,
    /// GitHub's anchor, in `heading_strings` too (see `Card::heading_slug`).
    pub slug: Range<usize>,
    pub line: usize,
    pub end_line: usize,
    /// The heading's source, for suggestions that keep what the author wrote.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    Item,
    Cell,
}

/// A leaf of text: a paragraph, a list item's own text (nested lists are their own
/// blocks), a table cell, or a heading.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Range into `Card::plain`.
    pub text: Range<usize>,
    /// Range into `Card::segs`: where pieces of the text came from in the source.
    pub segs: Range<usize>,
    pub line: usize,
    pub end_line: usize,
    /// Index of the heading this block sits under (None: before the first heading).
    pub section: Option<usize>,
    /// Every visible character outside the leading bold label is emphasised.
    pub emphasized: bool,
    /// The leading bold text, when the block starts with one (`**Developed by:**`):
    /// its range in `Card::plain`, trimmed (see `Card::strong_label`).
    pub strong_label: Option<Range<usize>>,
    /// A list item with a nested list or other block content under it.
    pub has_children: bool,
}

#[derive(Debug, Clone)]
pub struct TableRow {
    pub line: usize,
    /// The row's source text from its first character to the end of its line.
    pub raw: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub header: TableRow,
    pub rows: Vec<TableRow>,
    pub section: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Link {
    /// Range into `Card::link_dests` (see `Card::link_dest`).
    pub dest: Range<usize>,
    pub line: usize,
    pub is_image: bool,
    /// An image whose alt text (between `![` and `]`) is empty.
    pub empty_alt: bool,
    pub section: Option<usize>,
}

/// Content that is not text blocks but still fills a section (code, HTML, images).
#[derive(Debug, Clone)]
pub struct OtherContent {
    pub section: Option<usize>,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Card<'t> {
    /// The decoded card text, borrowed: the card model is built and read in one go.
    pub text: &'t str,
    pub lines: LineIndex,
    pub headings: Vec<Heading>,
    /// The headings' texts and anchors, one after the other.
    pub heading_strings: String,
    pub blocks: Vec<Block>,
    pub plain: String,
    /// (offset in `plain`, offset in `text`) at the start of each text piece.
    pub segs: Vec<(usize, usize)>,
    pub tables: Vec<Table>,
    pub links: Vec<Link>,
    /// Every link's destination, one after the other.
    pub link_dests: String,
    pub other_content: Vec<OtherContent>,
    /// Explicit HTML anchors (`id="…"`, `name="…"`), valid link targets too.
    pub html_anchors: Vec<String>,
    /// Lines of thematic breaks (`---`), which the template uses to fence its
    /// preamble and footer.
    pub thematic_breaks: Vec<usize>,
    /// Angle-bracket placeholders (`<model specific results here>`), which Markdown
    /// reads as HTML: (line, section, text).
    pub html_placeholders: Vec<(usize, Option<usize>, String)>,
    /// `<!-- modelcard-review-… -->` comments: (line, the comment's text).
    pub directives: Vec<(usize, String)>,
    /// Buffers of frames whose text was moved aside (see `Frame`), reused by the next.
    spare: Vec<(String, Vec<(usize, usize)>)>,
    slugs: SlugCounter,
}

/// A block being read. The innermost open frame writes its text straight into the
/// card's arena (`plain`, from `start`) and its pieces into `segs` (from `seg_start`):
/// most blocks (paragraphs, cells, headings) never hold another, and their text is
/// then never copied. When a nested block opens inside a frame, the frame's text so
/// far is moved aside (`aside`) and gathered there until it closes, so every block's
/// text stays in one piece in the arena.
struct Frame {
    kind: BlockKind,
    start: usize,
    seg_start: usize,
    /// The text and pieces (offsets in the text) of a frame a nested block interrupted.
    aside: Option<(String, Vec<(usize, usize)>)>,
    src_start: usize,
    has_emph: bool,
    has_plain: bool,
    /// Range of the leading bold text in the frame's text, trimmed.
    strong_label: Option<Range<usize>>,
    strong_open: Option<usize>,
    has_children: bool,
}

/// The text a frame has gathered so far.
fn frame_text<'a>(plain: &'a str, f: &'a Frame) -> &'a str {
    match &f.aside {
        Some((buf, _)) => buf,
        None => &plain[f.start..],
    }
}

impl<'t> Card<'t> {
    /// Parses decoded card text. Never fails: Markdown has no syntax errors.
    pub fn parse(text: &'t str) -> Card<'t> {
        let b = buffers::take();
        let mut card = Card {
            text,
            lines: LineIndex::new_in(text, b.line_starts),
            headings: b.headings,
            heading_strings: b.heading_strings,
            blocks: b.blocks,
            plain: b.plain,
            segs: b.segs,
            tables: b.tables,
            links: b.links,
            link_dests: b.link_dests,
            other_content: b.other_content,
            html_anchors: b.html_anchors,
            thematic_breaks: b.thematic_breaks,
            html_placeholders: Vec::new(),
            directives: Vec::new(),
            spare: b.frames,
            slugs: b.slugs,
        };
        card.plain.reserve(text.len());
        card.read_events(text);
        card
    }

    pub fn line_count(&self) -> usize {
        self.lines.line_count(self.text.len()).max(1)
    }

    pub fn line_text(&self, line: usize) -> &str {
        self.lines.line_text(self.text, line).unwrap_or("")
    }

    /// A heading's rendered text (`Model Description`).
    pub fn heading_text(&self, h: &Heading) -> &str {
        &self.heading_strings[h.text.clone()]
    }

    /// A heading's GitHub anchor (`model-description`).
    pub fn heading_slug(&self, h: &Heading) -> &str {
        &self.heading_strings[h.slug.clone()]
    }

    pub fn block_text(&self, b: &Block) -> &str {
        &self.plain[b.text.clone()]
    }

    /// The block's leading bold text, trimmed (`Developed by:`).
    pub fn strong_label(&self, b: &Block) -> Option<&str> {
        b.strong_label.as_ref().map(|r| &self.plain[r.clone()])
    }

    /// Where a link points, as written after unescaping (`#model-details`).
    pub fn link_dest(&self, l: &Link) -> &str {
        &self.link_dests[l.dest.clone()]
    }

    /// Source line of a byte offset inside a block's plain text (`block_text(b)`).
    pub fn line_of_plain(&self, b: &Block, block_off: usize) -> usize {
        let plain_off = b.text.start + block_off;
        let segs = &self.segs[b.segs.clone()];
        let i = segs.partition_point(|(p, _)| *p <= plain_off);
        match i.checked_sub(1).and_then(|i| segs.get(i)) {
            Some((p, s)) => {
                // Text within one piece may itself span lines (code spans, soft breaks
                // are separate pieces, but be safe).
                let src = s + (plain_off - p);
                self.lines.line(src.min(self.text.len()))
            }
            None => b.line,
        }
    }

    /// Column (1-based, in characters) of the block's text at `block_off` in its line.
    pub fn column_of_plain(&self, b: &Block, block_off: usize) -> usize {
        let plain_off = b.text.start + block_off;
        let segs = &self.segs[b.segs.clone()];
        let i = segs.partition_point(|(p, _)| *p <= plain_off);
        let Some((p, s)) = i.checked_sub(1).and_then(|i| segs.get(i)) else {
            return 1;
        };
        let src = (s + (plain_off - p)).min(self.text.len());
        let line = self.lines.line(src);
        let start = self
            .lines
            .line_range(self.text, line)
            .map_or(src, |r| r.start.min(src));
        self.text
            .get(start..src)
            .map_or(1, |t| t.chars().count() + 1)
    }

    /// Whether the block's text at `block_off` comes from a code span (`` `x` ``): a
    /// code span's piece starts at its backtick in the source.
    pub fn in_code_span(&self, b: &Block, block_off: usize) -> bool {
        let plain_off = b.text.start + block_off;
        let segs = &self.segs[b.segs.clone()];
        let i = segs.partition_point(|(p, _)| *p <= plain_off);
        i.checked_sub(1)
            .and_then(|i| segs.get(i))
            .is_some_and(|(_, s)| self.text.as_bytes().get(*s) == Some(&b'`'))
    }

    /// The heading a section index points at, and the end (exclusive) of that
    /// section's own body: the next heading of any level.
    pub fn section_heading(&self, section: usize) -> &Heading {
        &self.headings[section]
    }

    fn read_events(&mut self, text: &str) {
        let parser = Parser::new_ext(text, markdown_options()).into_offset_iter();
        let mut frames: Vec<Frame> = Vec::new();
        let mut heading: Option<(HeadingLevel, usize)> = None;
        let mut heading_frame_start = 0usize;
        let mut emph_depth = 0usize;
        let mut in_metadata = false;
        let mut in_code = false;
        let mut current_table: Option<Table> = None;
        let mut item_depth_frames: Vec<usize> = Vec::new();

        for (event, range) in parser {
            // Read in place: moving the event (and its tag) out cost a wide copy of
            // what the parser had just written narrowly, a stall per event.
            match &event {
                Event::Start(tag) => match tag {
                    Tag::Heading { level, .. } => {
                        heading = Some((*level, range.start));
                        heading_frame_start = frames.len();
                        self.open_frame(&mut frames, BlockKind::Heading, range.start);
                    }
                    Tag::Paragraph => {
                        // A paragraph inside a list item continues the item's own text
                        // (loose lists) unless the item already has text.
                        let reuse = matches!(frames.last(), Some(f) if f.kind == BlockKind::Item
                            && frame_text(&self.plain, f).is_empty());
                        if !reuse {
                            if let Some(f) = frames.last_mut() {
                                f.has_children = true;
                            }
                            self.open_frame(&mut frames, BlockKind::Paragraph, range.start);
                        }
                    }
                    Tag::Item => {
                        if let Some(f) = frames.last_mut() {
                            f.has_children = true;
                        }
                        item_depth_frames.push(frames.len());
                        self.open_frame(&mut frames, BlockKind::Item, range.start);
                    }
                    Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
                        if let Some(f) = frames.last_mut() {
                            f.has_children = true;
                        }
                    }
                    Tag::TableCell => {
                        self.open_frame(&mut frames, BlockKind::Cell, range.start);
                    }
                    Tag::Table(_) => {
                        current_table = Some(Table {
                            header: self.row(text, range.start),
                            rows: Vec::new(),
                            section: self.current_section(),
                        });
                    }
                    Tag::TableHead => {
                        if let Some(t) = current_table.as_mut() {
                            t.header = self.row(text, range.start);
                        }
                    }
                    Tag::TableRow => {
                        let row = self.row(text, range.start);
                        if let Some(t) = current_table.as_mut() {
                            t.rows.push(row);
                        }
                    }
                    Tag::Emphasis => emph_depth += 1,
                    Tag::Strong => {
                        if let Some(f) = frames.last_mut() {
                            let text = frame_text(&self.plain, f);
                            if f.strong_label.is_none()
                                && f.strong_open.is_none()
                                && text.trim().is_empty()
                            {
                                f.strong_open = Some(text.len());
                            }
                        }
                    }
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        let is_image = matches!(tag, Tag::Image { .. });
                        let dest = self.push_dest(dest_url);
                        let line = self.lines.line(range.start);
                        let section = self.current_section();
                        let empty_alt = is_image
                            && text[range.clone()]
                                .strip_prefix("![")
                                .and_then(|t| t.split(']').next())
                                .is_some_and(|alt| alt.trim().is_empty());
                        self.links.push(Link {
                            dest,
                            line,
                            is_image,
                            empty_alt,
                            section,
                        });
                        if is_image {
                            self.other_content.push(OtherContent { section, line });
                        }
                    }
                    Tag::CodeBlock(_) => {
                        in_code = true;
                        self.other_content.push(OtherContent {
                            section: self.current_section(),
                            line: self.lines.line(range.start),
                        });
                    }
                    Tag::MetadataBlock(_) => in_metadata = true,
                    Tag::HtmlBlock => {}
                    _ => {}
                },
                Event::End(end) => match end {
                    TagEnd::Heading(_) if frames.len() > heading_frame_start => {
                        while frames.len() > heading_frame_start + 1 {
                            let f = frames.pop().expect("frame");
                            self.close_frame(f, range.end, text);
                        }
                        let f = frames.pop().expect("heading frame");
                        let (level, start) = heading.take().unwrap_or((HeadingLevel::H1, 0));
                        let text_start = self.heading_strings.len();
                        crate::text::push_collapsed(
                            frame_text(&self.plain, &f),
                            &mut self.heading_strings,
                        );
                        let text_end = self.heading_strings.len();
                        let slug = self
                            .slugs
                            .next_slug(&self.heading_strings[text_start..text_end]);
                        self.heading_strings.push_str(slug);
                        let line = self.lines.line(start);
                        let end_line = self.lines.line(range.end.saturating_sub(1).max(start));
                        self.headings.push(Heading {
                            level: level as u8,
                            text: text_start..text_end,
                            slug: text_end..self.heading_strings.len(),
                            line,
                            end_line,
                            range: range.clone(),
                        });
                        self.close_frame(f, range.end, text);
                    }
                    TagEnd::Paragraph | TagEnd::TableCell => {
                        if let Some(f) = frames.last() {
                            let is_item_reuse =
                                f.kind == BlockKind::Item && *end == TagEnd::Paragraph;
                            if !is_item_reuse {
                                let f = frames.pop().expect("frame");
                                self.close_frame(f, range.end, text);
                            }
                        }
                    }
                    TagEnd::Item => {
                        if let Some(depth) = item_depth_frames.pop() {
                            while frames.len() > depth {
                                let f = frames.pop().expect("frame");
                                self.close_frame(f, range.end, text);
                            }
                        }
                    }
                    TagEnd::Table => {
                        if let Some(t) = current_table.take() {
                            self.tables.push(t);
                        }
                    }
                    TagEnd::Emphasis => emph_depth = emph_depth.saturating_sub(1),
                    TagEnd::Strong => {
                        if let Some(f) = frames.last_mut() {
                            if let Some(open) = f.strong_open.take() {
                                let label = &frame_text(&self.plain, f)[open..];
                                let lead = label.len() - label.trim_start().len();
                                let start = open + lead;
                                f.strong_label = Some(start..start + label.trim().len());
                            }
                        }
                    }
                    TagEnd::CodeBlock => in_code = false,
                    TagEnd::MetadataBlock(_) => in_metadata = false,
                    _ => {}
                },
                Event::Text(t) | Event::Code(t) => {
                    if in_metadata {
                        continue;
                    }
                    if in_code {
                        continue;
                    }
                    self.push_text(&mut frames, t, range.start, emph_depth > 0);
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(f) = frames.last_mut() {
                        match &mut f.aside {
                            Some((buf, _)) if !buf.is_empty() => buf.push(' '),
                            None if self.plain.len() > f.start => self.plain.push(' '),
                            _ => {}
                        }
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    self.read_html(h, range.start);
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => {
                    self.push_text(&mut frames, t, range.start, emph_depth > 0);
                }
                Event::Rule => self.thematic_breaks.push(self.lines.line(range.start)),
                Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            }
        }
        while let Some(f) = frames.pop() {
            self.close_frame(f, text.len(), text);
        }
        if let Some(t) = current_table.take() {
            self.tables.push(t);
        }
    }

    fn push_dest(&mut self, dest: &str) -> Range<usize> {
        let start = self.link_dests.len();
        self.link_dests.push_str(dest);
        start..self.link_dests.len()
    }

    fn current_section(&self) -> Option<usize> {
        self.headings.len().checked_sub(1)
    }

    /// Opens a frame inside the innermost one, whose text moves aside (see `Frame`).
    fn open_frame(&mut self, frames: &mut Vec<Frame>, kind: BlockKind, src_start: usize) {
        if let Some(outer) = frames.last_mut() {
            if outer.aside.is_none() {
                let (mut buf, mut segs) = self.spare.pop().unwrap_or_default();
                buf.push_str(&self.plain[outer.start..]);
                segs.extend(
                    self.segs[outer.seg_start..]
                        .iter()
                        .map(|(p, s)| (p - outer.start, *s)),
                );
                self.plain.truncate(outer.start);
                self.segs.truncate(outer.seg_start);
                outer.aside = Some((buf, segs));
            }
        }
        frames.push(Frame {
            kind,
            start: self.plain.len(),
            seg_start: self.segs.len(),
            aside: None,
            src_start,
            has_emph: false,
            has_plain: false,
            strong_label: None,
            strong_open: None,
            has_children: false,
        });
    }

    fn push_text(&mut self, frames: &mut [Frame], t: &str, src: usize, emphasized: bool) {
        let Some(f) = frames.last_mut() else { return };
        match &mut f.aside {
            Some((buf, segs)) => {
                segs.push((buf.len(), src));
                buf.push_str(t);
            }
            None => {
                self.segs.push((self.plain.len(), src));
                self.plain.push_str(t);
            }
        }
        if f.strong_open.is_none()
            && (if emphasized {
                !f.has_emph
            } else {
                !f.has_plain
            })
        {
            // An ASCII byte that is not a space settles it; else the characters do.
            let visible =
                t.bytes().any(|b| b.is_ascii_graphic()) || t.chars().any(|c| !c.is_whitespace());
            if emphasized {
                f.has_emph |= visible;
            } else {
                f.has_plain |= visible;
            }
        }
    }

    fn close_frame(&mut self, f: Frame, src_end: usize, src: &str) {
        let (base, segs_start) = match &f.aside {
            None => (f.start, f.seg_start),
            Some((buf, segs)) => {
                let (base, segs_start) = (self.plain.len(), self.segs.len());
                self.plain.push_str(buf);
                self.segs.extend(segs.iter().map(|(p, s)| (p + base, *s)));
                (base, segs_start)
            }
        };
        let text = base..self.plain.len();
        // Blocks are separated in the arena, so one search over it cannot match
        // across two blocks or see a word boundary that is not there.
        self.plain.push('\n');
        let line = self.lines.line(f.src_start);
        // The block's range may run over trailing blank lines; end on its last text.
        let mut last = src_end.min(src.len());
        while last > f.src_start && src.as_bytes()[last - 1].is_ascii_whitespace() {
            last -= 1;
        }
        let end_line = self
            .lines
            .line(last.saturating_sub(1).max(f.src_start))
            .max(line);
        // Tight nested lists end an item's own text at the nested list's first line.
        let end_line = if f.has_children && f.kind == BlockKind::Item {
            self.segs[segs_start..]
                .last()
                .map(|(_, s)| self.lines.line(*s))
                .unwrap_or(line)
                .max(line)
        } else {
            end_line
        };
        // A frame may have received no text (empty item): keep it, it is an empty field.
        let strong_label = f
            .strong_label
            .filter(|l| !l.is_empty())
            .map(|l| base + l.start..base + l.end);
        let emphasized = f.has_emph && !f.has_plain;
        self.blocks.push(Block {
            kind: f.kind,
            text,
            segs: segs_start..self.segs.len(),
            line,
            end_line,
            section: if f.kind == BlockKind::Heading {
                self.headings.len().checked_sub(1)
            } else {
                self.current_section()
            },
            emphasized,
            strong_label,
            has_children: f.has_children,
        });
        if let Some((mut buf, mut segs)) = f.aside {
            buf.clear();
            segs.clear();
            self.spare.push((buf, segs));
        }
    }

    fn row(&self, text: &str, start: usize) -> TableRow {
        let end = text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(text.len());
        TableRow {
            line: self.lines.line(start),
            raw: start..end,
        }
    }

    fn read_html(&mut self, html: &str, start: usize) {
        let trimmed = html.trim();
        if trimmed.starts_with("<!--") && trimmed.contains("modelcard-review-") {
            self.directives
                .push((self.lines.line(start), trimmed.to_string()));
        }
        if trimmed.is_empty() || trimmed.starts_with("<!--") {
            return;
        }
        if is_angle_placeholder(trimmed) {
            self.html_placeholders.push((
                self.lines.line(start),
                self.current_section(),
                trimmed.to_string(),
            ));
            return;
        }
        // Non-comment HTML (an HTML table, an image) is content a reader sees.
        if !trimmed.starts_with("</") && !trimmed.starts_with("<br") {
            self.other_content.push(OtherContent {
                section: self.current_section(),
                line: self.lines.line(start),
            });
        }
        for key in ["id=\"", "name=\"", "id='", "name='"] {
            let mut rest = html;
            while let Some(i) = rest.find(key) {
                let after = &rest[i + key.len()..];
                let quote = key.as_bytes()[key.len() - 1] as char;
                if let Some(j) = after.find(quote) {
                    self.html_anchors.push(after[..j].to_string());
                    rest = &after[j..];
                } else {
                    break;
                }
            }
        }
    }
}

/// `<model specific results here>`, `<insert table>`, `<your name>`: what Markdown reads
/// as an HTML tag but no HTML has — words in angle brackets, without attributes.
fn is_angle_placeholder(html: &str) -> bool {
    const HTML: &[&str] = &[
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "details",
        "div",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "picture",
        "pre",
        "s",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "video",
        "center",
        "figure",
        "figcaption",
        "mark",
        "q",
    ];
    const OPENERS: &[&str] = &[
        "insert",
        "your",
        "add",
        "enter",
        "fill",
        "placeholder",
        "todo",
    ];
    let Some(inner) = html.strip_prefix('<').and_then(|h| h.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim().trim_end_matches('/').trim();
    if inner.is_empty() || inner.contains(['=', '<', '>', '"', '\'', '/', ':']) {
        return false;
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    let first = words[0].to_ascii_lowercase();
    if HTML.contains(&first.as_str()) {
        return false;
    }
    words.len() >= 2 || OPENERS.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angle_placeholders_are_not_html() {
        for p in [
            "<model specific results here>",
            "<insert table>",
            "<your name>",
            "<insert>",
        ] {
            assert!(is_angle_placeholder(p), "{p}");
        }
        for h in [
            "<br>",
            "<img src=\"x.png\">",
            "<div align=center>",
            "<T>",
            "</div>",
            "<details open>",
            "<sup>",
        ] {
            assert!(!is_angle_placeholder(h), "{h}");
        }
    }

    /// Everything a rule reads, for comparing two card models.
    fn model(c: &Card) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            c.headings,
            c.heading_strings,
            c.blocks,
            c.plain,
            c.segs,
            c.tables,
            c.links,
            c.link_dests,
            c.other_content,
            c.html_anchors,
            c.thematic_breaks,
            c.line_count(),
        )
    }

    #[test]
    fn reused_buffers_carry_nothing_over() {
        let big = include_str!("../templates/ri-scale-model-card.md");
        // Its heading is one of the template's: an anchor remembered from the big
        // card would come out as `model-details-1`.
        let small = "# Model Details\n\n- **A:** b [x](#y)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        // A fresh thread has no spare buffers.
        let fresh = std::thread::spawn(move || model(&Card::parse(small)))
            .join()
            .unwrap();
        drop(Card::parse(big));
        assert_eq!(model(&Card::parse(small)), fresh);
        assert_eq!(model(&Card::parse(small)), fresh);
    }

    #[test]
    fn a_block_interrupted_by_a_nested_one_stays_whole() {
        // The outer item's text comes after its nested list (it had none before), and
        // a bold label opens an item whose nested list interrupts it.
        let card = Card::parse(
            "- \n  - child *one*\n\n  after the list\n\n- **Label:** value\n  - inner\n",
        );
        let texts: Vec<(&str, usize, BlockKind)> = card
            .blocks
            .iter()
            .map(|b| (card.block_text(b), b.line, b.kind))
            .collect();
        assert_eq!(
            texts,
            [
                ("child one", 2, BlockKind::Item),
                ("after the list", 1, BlockKind::Item),
                ("inner", 7, BlockKind::Item),
                ("Label: value", 6, BlockKind::Item),
            ]
        );
        let after = &card.blocks[1];
        assert_eq!(card.line_of_plain(after, 6), 4);
        let label = &card.blocks[3];
        assert_eq!(card.strong_label(label), Some("Label:"));
        // Every block's text is followed by a newline in the arena.
        for b in &card.blocks {
            assert_eq!(card.plain.as_bytes()[b.text.end], b'\n');
        }
    }

    #[test]
    fn headings_and_lines() {
        let c =
            Card::parse("---\ntitle: x\n---\n# Title\n\ntext\n\n## Sub *part*\n```\n# not\n```\n");
        let hs: Vec<_> = c
            .headings
            .iter()
            .map(|h| (h.level, c.heading_text(h), h.line))
            .collect();
        assert_eq!(hs, vec![(1, "Title", 4), (2, "Sub part", 8)]);
    }

    #[test]
    fn items_fields_and_emphasis() {
        let c =
            Card::parse("# A\n\n- **Developed by:** *[Name]*\n- plain *and emph*\n- *all emph*\n");
        let items: Vec<_> = c
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Item)
            .collect();
        assert_eq!(items.len(), 3);
        assert_eq!(c.strong_label(items[0]), Some("Developed by:"));
        assert!(items[0].emphasized);
        assert!(!items[1].emphasized);
        assert!(items[2].emphasized);
        assert_eq!(c.block_text(items[0]), "Developed by: [Name]");
        assert_eq!(items[2].line, 5);
    }

    #[test]
    fn nested_items_are_separate_blocks() {
        let c = Card::parse("- outer\n  - inner one\n  - inner two\n");
        let texts: Vec<_> = c.blocks.iter().map(|b| (c.block_text(b), b.line)).collect();
        assert!(texts.contains(&("outer", 1)));
        assert!(texts.contains(&("inner two", 3)));
        assert!(c.blocks.iter().any(|b| b.has_children));
    }

    #[test]
    fn multi_line_paragraph_maps_lines() {
        let c = Card::parse("para one\nTODO here\n");
        let b = &c.blocks[0];
        let off = c.block_text(b).find("TODO").unwrap();
        assert_eq!(c.line_of_plain(b, off), 2);
        // Not the first block: offsets are the block's own.
        let c = Card::parse("# Title\n\nFirst paragraph.\n\nA paragraph\nover three\nlines, TODO here,\nand `TBD` in code.\n");
        let b = &c.blocks[2];
        let text = c.block_text(b);
        assert_eq!(c.line_of_plain(b, text.find("TODO").unwrap()), 7);
        assert!(!c.in_code_span(b, text.find("TODO").unwrap()));
        assert!(c.in_code_span(b, text.find("TBD").unwrap()));
        assert_eq!(c.line_of_plain(b, text.find("TBD").unwrap()), 8);
    }

    #[test]
    fn tables_keep_raw_rows() {
        let c = Card::parse("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 |\n");
        assert_eq!(c.tables.len(), 1);
        let t = &c.tables[0];
        assert_eq!(t.header.line, 1);
        assert_eq!(
            t.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![3, 4]
        );
        assert_eq!(&c.text[t.rows[0].raw.clone()], "| 1 | 2 | 3 |");
    }

    #[test]
    fn decode_rejects_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBF# A", 100), Ok("# A"));
        assert_eq!(decode(b"a\0b", 100), Err(Unreadable::Binary));
        assert_eq!(decode(b"\xFF\xFEa\0", 100), Err(Unreadable::Utf16));
        assert_eq!(
            decode(b"ok\n\xC3(", 100),
            Err(Unreadable::NotUtf8 { line: 2 })
        );
        assert!(matches!(
            decode(b"12345", 4),
            Err(Unreadable::TooLarge { .. })
        ));
    }

    #[test]
    fn html_anchors_and_comments() {
        let c = Card::parse("<a name=\"top\"></a>\n\n<!-- hidden -->\n");
        assert_eq!(c.html_anchors, vec!["top".to_string()]);
    }
}
