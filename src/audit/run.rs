//! Auditing a hub's cards: each card read and checked as `check` does it, in
//! parallel and in order, with its map, its link on the page, and what another
//! template would add to it. The command (`cli::audit`) finds the cards and the
//! settings, and writes what this returns.

use super::{card_entry, columns, new_findings, section_renames, CardEntry, ImpactCard};
use crate::check::{check_one, disk_oracle, Input, Job, Setup};
use crate::rules::{check_card, map_card};
use crate::template::Spec;
use anyhow::Result;
use std::path::{Component, Path};

/// Where the page links each card: its page on the repository's host at `commit`,
/// else the file, relative to the page's folder.
pub struct Links<'a> {
    pub repo_url: Option<&'a str>,
    pub commit: Option<&'a str>,
    pub page_dir: Option<&'a Path>,
    pub cwd: &'a Path,
}

/// One card's audit, from a worker thread.
struct Audited {
    entry: CardEntry,
    impact: Option<ImpactCard>,
}

/// Every card's entry, in the jobs' order, and with `new_spec` what each would gain.
pub fn audit_cards(
    setups: &[Setup],
    jobs: &[Job],
    hub: usize,
    new_spec: Option<&Spec>,
    links: &Links,
) -> Result<(Vec<CardEntry>, Vec<ImpactCard>)> {
    let columns = columns(&setups[hub].spec);
    let renames = new_spec.map_or_else(Vec::new, |new| {
        section_renames(&setups[hub].spec, new, &setups[hub].cfg)
    });
    let (threads, window) = crate::check::workers();
    let mut cards = Vec::with_capacity(jobs.len());
    let mut impacts = Vec::new();
    crate::in_order::in_order(
        jobs,
        threads,
        window,
        |j| {
            let setup = &setups[j.setup];
            let c = check_one(setup, &j.input, true)?;
            let map = c
                .source
                .as_deref()
                .map(|t| map_card(&setup.spec, &setup.cfg, t));
            let url = match (&j.input, links.repo_url, links.page_dir) {
                (Input::File { repo, .. }, Some(u), _) => Some(format!(
                    "{u}/blob/{}/{}",
                    links.commit.unwrap_or("HEAD"),
                    crate::text::uri_path(repo)
                )),
                (Input::File { disk, .. }, None, Some(dir)) => {
                    let abs = if disk.is_absolute() {
                        disk.clone()
                    } else {
                        links.cwd.join(disk)
                    };
                    Some(relative(dir, &abs))
                }
                _ => None,
            };
            let entry = card_entry(
                c.shown.clone(),
                url,
                &c.findings,
                &setup.spec,
                map.as_ref(),
                &columns,
            );
            let impact = match (new_spec, &c.source) {
                (Some(spec), Some(text)) => {
                    let oracle = disk_oracle(c.links_root.as_deref());
                    let mut under_new =
                        check_card(spec, &setup.cfg, &c.rule_path, text, oracle.as_ref()).findings;
                    let shown: std::sync::Arc<str> = c.shown.as_str().into();
                    for f in &mut under_new {
                        f.path = shown.clone();
                    }
                    Some(ImpactCard {
                        path: c.shown.clone(),
                        new: new_findings(&c.findings, &under_new, &renames),
                    })
                }
                _ => None,
            };
            Ok(Audited { entry, impact })
        },
        |a| {
            cards.push(a.entry);
            impacts.extend(a.impact);
            Ok(())
        },
    )?;
    Ok((cards, impacts))
}

/// `to` relative to folder `from`, `/`-separated, for a link in the page.
pub fn relative(from: &Path, to: &Path) -> String {
    let norm = |p: &Path| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::Normal(s) => v.push(s.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    v.pop();
                }
                _ => {}
            }
        }
        v
    };
    let (a, b) = (norm(from), norm(to));
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(b[common..].iter().cloned());
    crate::text::uri_path(&parts.join("/"))
}
