//! `table-shape`: a table row with more or fewer cells than its header. The parser
//! pads short rows and drops extra cells, so the raw row text is what is counted.

use super::Context;
use crate::finding::{message, Draft};
use crate::template::count_cells;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    let card = ctx.card;
    for t in &card.tables {
        let header = count_cells(&card.text[t.header.raw.clone()]);
        let delim_line = t.header.line + 1;
        let mut rows: Vec<(usize, std::ops::Range<usize>)> = Vec::with_capacity(t.rows.len() + 1);
        if let Some(r) = card.lines.line_range(card.text, delim_line) {
            // The delimiter row starts where the header starts within its line.
            let header_line_start = card
                .lines
                .line_range(card.text, t.header.line)
                .map(|r| r.start)
                .unwrap_or(0);
            let indent = t.header.raw.start - header_line_start;
            rows.push((delim_line, (r.start + indent).min(r.end)..r.end));
        }
        rows.extend(t.rows.iter().map(|r| (r.line, r.raw.clone())));
        for (line, raw) in rows {
            let raw_text = card.text[raw.clone()].trim_end_matches('\r');
            let cells = count_cells(raw_text);
            if cells == header {
                continue;
            }
            let mut d = Draft::new(
                "table-shape",
                line,
                if cells < header {
                    message!(
                        "This table row has {cells} cell(s) but the header has {header}: GitHub fills the gap with empty cells, so values may sit in the wrong column. Add the missing cells (an empty cell is `| |`)."
                    )
                } else {
                    message!(
                        "This table row has {cells} cells but the header has {header}: GitHub drops the extra cells, so their values disappear. Add columns to the header, or merge the extra cells."
                    )
                },
            )
            .section_opt(ctx.section_name(t.section))
            .subject(raw_text.trim().to_string());
            if cells < header {
                let line_text = card.line_text(line).trim_end();
                let pad = " |".repeat(header - cells);
                d = d.suggestion(if line_text.ends_with('|') {
                    message!("{line_text}{pad}")
                } else {
                    message!("{line_text} |{pad}")
                });
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    #[test]
    fn rows_with_wrong_cell_counts() {
        let s = spec_from("# [N]\n\n*text of summary here*\n\n# A\n\n*describe it here please*\n");
        let f = run(&s, "# N\n\nx\n\n# A\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 | 4 |\n| 1 | `x\\|y` | 3 |\n");
        let t: Vec<_> = only(&f, "table-shape")
            .iter()
            .map(|x| (x.line, x.suggestion.clone()))
            .collect();
        assert_eq!(
            t,
            vec![(9, Some("| 1 | 2 | |".to_string())), (10, None)],
            "{f:#?}"
        );
    }
}
