//! The module graph has no cycle: each top-level module uses only those below it
//! (registry → config → template → rules → reports / review plan → GitHub → CLI), so
//! each can be read and tested alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn sources(p: &Path, out: &mut Vec<std::path::PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            sources(&e.unwrap().path(), out);
        }
    } else if p.extension().is_some_and(|x| x == "rs") {
        out.push(p.to_path_buf());
    }
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let mut files = Vec::new();
        sources(&p, &mut files);
        let deps = graph.entry(name.clone()).or_default();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let m: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !m.is_empty() && m != name {
                    deps.insert(m);
                }
            }
        }
    }
    assert!(graph.len() > 15);
    // Depth-first search for a back edge.
    fn visit(
        u: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) {
        state.insert(u.to_string(), 1);
        path.push(u.to_string());
        for v in graph.get(u).into_iter().flatten() {
            if !graph.contains_key(v) {
                continue;
            }
            match state.get(v.as_str()) {
                Some(1) => panic!("import cycle: {} -> {v}", path.join(" -> ")),
                Some(_) => {}
                None => visit(v, graph, state, path),
            }
        }
        path.pop();
        state.insert(u.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    for u in graph.keys() {
        if !state.contains_key(u.as_str()) {
            visit(u, &graph, &mut state, &mut Vec::new());
        }
    }
    // The layers named in docs/architecture.md.
    let below = |a: &str, b: &str| !graph[a].contains(b);
    assert!(
        below("registry", "config") && below("config", "template") && below("template", "rules")
    );
}

/// Within a folder of modules (the rules, the GitHub side), no circle either: each
/// file names (`super::x`, `crate::folder::x`) only files below it.
#[test]
fn no_import_cycle_inside_rules_or_github() {
    for folder in [
        "rules", "github", "audit", "server", "report", "review", "cli",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src")
            .join(folder);
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            if name == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().to_string();
            let deps = graph.entry(name.clone()).or_default();
            for prefix in ["super::".to_string(), format!("crate::{folder}::")] {
                for (i, _) in code.match_indices(&prefix) {
                    let rest = &code[i + prefix.len()..];
                    let m: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    // `super::{a, b}` names several.
                    if rest.starts_with('{') {
                        let inner = &rest[1..rest.find('}').unwrap_or(1)];
                        for part in inner.split(',') {
                            let w: String = part
                                .trim()
                                .chars()
                                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                                .collect();
                            if !w.is_empty() && w != name {
                                deps.insert(w);
                            }
                        }
                    } else if !m.is_empty() && m != name {
                        deps.insert(m);
                    }
                }
            }
        }
        let names: BTreeSet<String> = graph.keys().cloned().collect();
        for deps in graph.values_mut() {
            deps.retain(|d| names.contains(d));
        }
        // Kahn's algorithm: what is left is on a circle.
        let mut left = graph.clone();
        loop {
            let free: Vec<String> = left
                .iter()
                .filter(|(_, d)| d.iter().all(|x| !left.contains_key(x)))
                .map(|(k, _)| k.clone())
                .collect();
            if free.is_empty() {
                break;
            }
            for f in free {
                left.remove(&f);
            }
        }
        assert!(
            left.is_empty(),
            "src/{folder}: an import circle among {left:?}"
        );
    }
}
