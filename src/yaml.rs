//! YAML from strangers, read with limits: the one loader for `rdf.yaml`,
//! `bioimageio.yaml` and a card's front matter, in every face (check, review, audit,
//! server, `new`, the WebAssembly package).
//!
//! yaml-rust2's own loader expands every alias by copying the node it names, so nine
//! levels of nine aliases (458 bytes) become 387 million nodes; and a document nested
//! tens of thousands deep overflows the stack when the tree is dropped. Here the same
//! parser's events build the tree, counting every node an alias brings in and the
//! depth, and stop at the first limit passed, with a reason a message can quote.

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;
use yaml_rust2::yaml::Hash;
pub use yaml_rust2::Yaml;

/// Metadata is small: bioimage.io's largest real descriptions are tens of kilobytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Deeper than any real description (bioimage.io's spec nests about eight levels).
pub const MAX_DEPTH: usize = 64;
/// Values in one document, counting each copy an alias (`*name`) brings in: aliases
/// are allowed, as the YAML spec allows them, but cannot multiply the document.
/// Real descriptions hold a few thousand values; a quarter million keep the tree
/// under about 60 MB even when every value is a mapping (measured: 223 MB for a
/// million).
pub const MAX_NODES: usize = 250_000;

/// Why a text was not read as YAML, in words for a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// Not valid YAML: the parser's words and the 1-based line.
    Invalid {
        info: String,
        line: usize,
    },
    TooLarge {
        bytes: usize,
    },
    TooDeep {
        line: usize,
    },
    TooManyNodes {
        line: usize,
    },
}

impl Refused {
    pub fn explain(&self) -> String {
        match self {
            Refused::Invalid { info, line } => {
                format!("it is not valid YAML: {info} (line {line})")
            }
            Refused::TooLarge { .. } => format!(
                "it is larger than 1 MiB ({MAX_BYTES} bytes), the limit for metadata"
            ),
            Refused::TooDeep { line } => format!(
                "it nests lists or mappings more than {MAX_DEPTH} levels deep (line {line}), over the limit for metadata"
            ),
            Refused::TooManyNodes { line } => format!(
                "it holds more than {MAX_NODES} values, counting each copy its aliases (`*name`) bring in (line {line}), over the limit for metadata"
            ),
        }
    }

    /// The same refusal with its line moved by `by` (front matter starts on a card's
    /// second line).
    pub fn shifted(mut self, by: usize) -> Refused {
        match &mut self {
            Refused::Invalid { line, .. }
            | Refused::TooDeep { line }
            | Refused::TooManyNodes { line } => *line += by,
            Refused::TooLarge { .. } => {}
        }
        self
    }
}

/// The first YAML document of `text` (None when it holds none), within the limits.
pub fn load_first(text: &str) -> Result<Option<Yaml>, Refused> {
    if text.len() > MAX_BYTES {
        return Err(Refused::TooLarge { bytes: text.len() });
    }
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder::default();
    loop {
        let (event, mark) = parser.next_token().map_err(|e| Refused::Invalid {
            info: e.info().to_string(),
            line: e.marker().line().max(1),
        })?;
        let line = mark.line().max(1);
        match event {
            Event::StreamEnd => return Ok(None),
            Event::DocumentEnd => {
                if let Some((doc, _)) = b.done.take() {
                    return Ok(Some(doc));
                }
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            Event::SequenceStart(anchor, _) => {
                b.open(Yaml::Array(Vec::new()), anchor, line)?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(Yaml::Hash(Hash::new()), anchor, line)?;
            }
            Event::SequenceEnd | Event::MappingEnd => b.close(line)?,
            Event::Scalar(value, style, anchor, tag) => {
                b.count(1, line)?;
                b.insert(scalar(value, style, tag.as_ref()), 1, anchor, line)?;
            }
            Event::Alias(id) => {
                let (node, size) = b.anchors.get(&id).cloned().unwrap_or((Yaml::BadValue, 1));
                b.count(size, line)?;
                b.insert(node, size, 0, line)?;
            }
        }
    }
}

/// An open collection: its node, anchor, the nodes counted inside it so far, and for
/// a mapping the key waiting for its value.
struct Open {
    node: Yaml,
    anchor: usize,
    size: usize,
    key: Option<Yaml>,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    /// Anchor id → the node and how many nodes a copy of it brings in.
    anchors: std::collections::HashMap<usize, (Yaml, usize)>,
    nodes: usize,
    done: Option<(Yaml, usize)>,
}

impl Builder {
    fn count(&mut self, n: usize, line: usize) -> Result<(), Refused> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(Refused::TooManyNodes { line });
        }
        Ok(())
    }

    fn open(&mut self, node: Yaml, anchor: usize, line: usize) -> Result<(), Refused> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Refused::TooDeep { line });
        }
        self.count(1, line)?;
        self.stack.push(Open {
            node,
            anchor,
            size: 1,
            key: None,
        });
        Ok(())
    }

    fn close(&mut self, line: usize) -> Result<(), Refused> {
        let Some(open) = self.stack.pop() else {
            return Ok(());
        };
        self.insert(open.node, open.size, open.anchor, line)
    }

    fn insert(
        &mut self,
        node: Yaml,
        size: usize,
        anchor: usize,
        line: usize,
    ) -> Result<(), Refused> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.done = Some((node, size));
            return Ok(());
        };
        parent.size = parent.size.saturating_add(size);
        match &mut parent.node {
            Yaml::Array(items) => items.push(node),
            Yaml::Hash(map) => match parent.key.take() {
                None => parent.key = Some(node),
                Some(key) => {
                    if map.contains_key(&key) {
                        let shown = match &key {
                            Yaml::String(s) => s.clone(),
                            other => format!("{other:?}"),
                        };
                        return Err(Refused::Invalid {
                            info: format!("the key `{shown}` appears twice in one mapping"),
                            line,
                        });
                    }
                    map.insert(key, node);
                }
            },
            _ => {}
        }
        Ok(())
    }
}

/// A scalar as yaml-rust2's loader reads it: quoted text is text; a plain scalar is
/// typed (number, boolean, null) unless a core-schema tag says otherwise.
fn scalar(value: String, style: TScalarStyle, tag: Option<&Tag>) -> Yaml {
    if style != TScalarStyle::Plain {
        return Yaml::String(value);
    }
    match tag {
        Some(Tag { handle, suffix }) if handle == "tag:yaml.org,2002:" => match suffix.as_str() {
            "str" => Yaml::String(value),
            "int" => value.parse().map_or(Yaml::BadValue, Yaml::Integer),
            "bool" => match value.as_str() {
                "true" | "True" | "TRUE" => Yaml::Boolean(true),
                "false" | "False" | "FALSE" => Yaml::Boolean(false),
                _ => Yaml::BadValue,
            },
            "null" => Yaml::Null,
            _ => Yaml::from_str(&value),
        },
        Some(_) => Yaml::String(value),
        None => Yaml::from_str(&value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias_bomb(levels: usize, width: usize) -> String {
        let mut s = String::from("a0: &a0 [x]\n");
        for i in 1..=levels {
            let refs = vec![format!("*a{}", i - 1); width].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    }

    #[test]
    fn reads_what_yaml_rust2_reads() {
        let text = "name: U-Net\nlicense: MIT\nauthors:\n  - name: Jane\n  - John\nversion: 1.5\nn: 3\nok: true\nnone: ~\nq: '3'\ncite: &c [{doi: 10.1/x}]\nagain: *c\n";
        let ours = load_first(text).unwrap().unwrap();
        let theirs = yaml_rust2::YamlLoader::load_from_str(text).unwrap();
        assert_eq!(ours, theirs[0]);
        assert_eq!(load_first("").unwrap(), None);
        assert_eq!(load_first("# only a comment\n").unwrap(), None);
        assert_eq!(load_first("---\n...\n").unwrap(), Some(Yaml::Null));
    }

    #[test]
    fn an_alias_bomb_is_refused_after_the_limit_not_expanded() {
        let bomb = alias_bomb(9, 9);
        assert!(bomb.len() < 600, "{}", bomb.len());
        assert!(matches!(
            load_first(&bomb),
            Err(Refused::TooManyNodes { .. })
        ));
        // A few aliases, as real files use them, are fine.
        assert!(load_first(&alias_bomb(2, 3)).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let block = format!("{}x\n", "- ".repeat(50_000));
        assert!(matches!(
            load_first(&block),
            Err(Refused::TooDeep { line: 1 })
        ));
        let mut indented = String::new();
        for i in 0..200 {
            indented.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
        }
        assert!(matches!(
            load_first(&indented),
            Err(Refused::TooDeep { .. })
        ));
        let ok = format!("{}x{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(load_first(&ok).is_ok());
    }

    #[test]
    fn size_and_bad_yaml_say_why() {
        let big = format!("k: {}\n", "x".repeat(MAX_BYTES));
        assert!(load_first(&big).unwrap_err().explain().contains("1 MiB"));
        let e = load_first("a: 1\na: 2\n").unwrap_err();
        assert!(e.explain().contains("`a` appears twice"), "{e:?}");
        let e = load_first("name: x\n  bad: [\n").unwrap_err();
        assert!(matches!(e, Refused::Invalid { .. }));
        let Refused::Invalid { line, .. } = e.clone() else {
            unreachable!()
        };
        assert!(e
            .shifted(1)
            .explain()
            .contains(&format!("(line {})", line + 1)));
    }
}
