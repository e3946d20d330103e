//! `modelcard-review server`: the Language Server Protocol over stdio, for the card
//! being edited. One more face over the same engine: diagnostics are `check`'s
//! findings on the unsaved text, code actions are `fix`'s edits, completions and the
//! outline come from the card's map against the template. Synchronous, one message
//! at a time: a card is checked in well under a millisecond, so nothing is debounced
//! or run in the background. Nothing is written to disk; nothing is read from the
//! network.

mod complete;
mod document;
mod features;
mod transport;

pub use document::{Document, Encoding};

use crate::check::{disk_oracle, display_path, links_base, Setups};
use crate::config::DEFAULT_CONFIG_NAME;
use crate::finding::Finding;
use crate::rules::check_card_bytes;
use anyhow::Result;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    Diagnostic, MessageType, PublishDiagnosticsParams, ShowMessageParams, TextDocumentSyncKind, Uri,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// What an open document is judged as.
pub(crate) struct Judged {
    /// The setup that judges it (None: not a card, or its settings are broken).
    pub setup: Option<usize>,
    /// The card's path as its links and messages name it.
    pub path: String,
    /// The repository root its links are resolved from.
    pub root: Option<PathBuf>,
    pub findings: Vec<Finding>,
}

pub(crate) struct Open {
    pub doc: Document,
    pub judged: Judged,
}

/// Builds the settings finder afresh (at start, and when a config or template changes):
/// each document's settings as `check` finds them.
pub type MakeSetups<'a> = dyn Fn() -> Setups<'static> + 'a;

pub(crate) struct Server<'w> {
    out: &'w mut dyn Write,
    make_setups: &'w MakeSetups<'w>,
    pub(crate) enc: Encoding,
    pub(crate) setups: Setups<'static>,
    cwd: PathBuf,
    pub(crate) docs: HashMap<String, Open>,
    /// Settings errors already shown, so each is shown once until the files change.
    shown: HashSet<String>,
    initialized: bool,
    shutdown: bool,
    /// The client registers file watchers we ask for.
    watch_dynamic: bool,
    next_id: i32,
}

/// Runs the server until `exit` (0 after `shutdown`, 1 without) or the end of input (1).
pub fn run<'w>(
    input: &mut dyn BufRead,
    out: &'w mut dyn Write,
    make_setups: &'w MakeSetups<'w>,
) -> Result<i32> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut s = Server {
        out,
        make_setups,
        enc: Encoding::Utf16,
        setups: make_setups(),
        cwd,
        docs: HashMap::new(),
        shown: HashSet::new(),
        initialized: false,
        shutdown: false,
        watch_dynamic: false,
        next_id: 0,
    };
    let mut input = input;
    loop {
        let incoming = match transport::read(&mut input) {
            Ok(Some(m)) => m,
            Ok(None) => {
                tracing::info!("the client closed the connection without `exit`");
                return Ok(1);
            }
            Err(e) => {
                tracing::error!("cannot read from the client: {e}");
                return Ok(1);
            }
        };
        let msg = match incoming {
            transport::Incoming::Message(m) => m,
            transport::Incoming::Malformed { code, message, id } => {
                tracing::warn!("malformed message: {message}");
                let id = id.unwrap_or(Value::Null);
                let body = serde_json::json!({
                    "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message }
                });
                s.write_raw(&body)?;
                continue;
            }
        };
        if let Message::Notification(n) = &msg {
            if n.method == note::Exit::METHOD {
                return Ok(if s.shutdown { 0 } else { 1 });
            }
        }
        // A fault in one handler answers that message with an error; the server
        // keeps serving the others.
        let id = match &msg {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.handle(msg)));
        match outcome {
            Ok(r) => r?,
            Err(_) => {
                tracing::error!("internal error while handling a message");
                if let Some(id) = id {
                    s.respond_err(id, ErrorCode::InternalError, "internal error".into())?;
                }
            }
        }
    }
}

impl Server<'_> {
    fn handle(&mut self, msg: Message) -> Result<()> {
        match msg {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            // Answers to our own requests (registering file watchers): nothing to do.
            Message::Response(_) => Ok(()),
        }
    }

    fn request(&mut self, r: Request) -> Result<()> {
        if r.method == req::Initialize::METHOD {
            if self.initialized {
                return self.respond_err(
                    r.id,
                    ErrorCode::InvalidRequest,
                    "the server is already initialized".into(),
                );
            }
            let result = self.initialize(&r.params);
            return self.respond(r.id, result);
        }
        if !self.initialized {
            return self.respond_err(
                r.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet: send `initialize` first".into(),
            );
        }
        if self.shutdown {
            return self.respond_err(
                r.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down: only `exit` is accepted now".into(),
            );
        }
        let id = r.id.clone();
        let result = match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            req::CodeActionRequest::METHOD => features::code_actions(self, r.params),
            req::HoverRequest::METHOD => features::hover(self, r.params),
            req::Completion::METHOD => complete::completion(self, r.params),
            req::DocumentSymbolRequest::METHOD => complete::symbols(self, r.params),
            other => {
                return self.respond_err(
                    id,
                    ErrorCode::MethodNotFound,
                    format!("modelcard-review does not answer {other}"),
                )
            }
        };
        match result {
            Ok(v) => self.respond(id, Ok(v)),
            Err(e) => self.respond_err(id, ErrorCode::InvalidParams, format!("{e:#}")),
        }
    }

    fn notification(&mut self, n: Notification) -> Result<()> {
        if !self.initialized {
            return Ok(());
        }
        let outcome: Result<()> = match n.method.as_str() {
            note::Initialized::METHOD => self.watch_settings(),
            note::DidOpenTextDocument::METHOD => {
                serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                    .map_err(Into::into)
                    .and_then(|p| {
                        let key = p.text_document.uri.as_str().to_string();
                        let doc = Document::new(p.text_document.text, p.text_document.version);
                        self.open(key, doc)
                    })
            }
            note::DidChangeTextDocument::METHOD => {
                serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                    .map_err(Into::into)
                    .and_then(|p| self.change(p))
            }
            note::DidCloseTextDocument::METHOD => {
                serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                    .map_err(Into::into)
                    .and_then(|p| {
                        let key = p.text_document.uri.as_str().to_string();
                        self.docs.remove(&key);
                        self.publish(&key, Vec::new(), None)
                    })
            }
            note::DidSaveTextDocument::METHOD => {
                serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                    .map_err(Into::into)
                    .and_then(|p| self.file_changed(&[p.text_document.uri]))
            }
            note::DidChangeWatchedFiles::METHOD => {
                serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                    .map_err(Into::into)
                    .and_then(|p| {
                        let uris: Vec<Uri> = p.changes.into_iter().map(|c| c.uri).collect();
                        self.file_changed(&uris)
                    })
            }
            _ => Ok(()),
        };
        if let Err(e) = outcome {
            tracing::warn!("{}: {e:#}", n.method);
            self.log(MessageType::WARNING, format!("{}: {e:#}", n.method))?;
        }
        Ok(())
    }

    fn initialize(&mut self, params: &Value) -> Result<Value, (ErrorCode, String)> {
        let p: lsp_types::InitializeParams = serde_json::from_value(params.clone())
            .map_err(|e| (ErrorCode::InvalidParams, format!("initialize: {e}")))?;
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        if offered.contains(&lsp_types::PositionEncodingKind::UTF8) {
            self.enc = Encoding::Utf8;
        }
        self.watch_dynamic = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.initialized = true;
        let caps = lsp_types::ServerCapabilities {
            position_encoding: Some(match self.enc {
                Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
                Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(lsp_types::TextDocumentSyncCapability::Options(
                lsp_types::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp_types::CodeActionKind::QUICKFIX,
                        lsp_types::CodeActionKind::SOURCE_FIX_ALL,
                    ]),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            completion_provider: Some(lsp_types::CompletionOptions {
                trigger_characters: Some(vec!["#".into(), "*".into()]),
                ..Default::default()
            }),
            document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
            ..Default::default()
        };
        Ok(serde_json::json!({
            "capabilities": caps,
            "serverInfo": { "name": "modelcard-review", "version": env!("CARGO_PKG_VERSION") },
        }))
    }

    /// Asks the client to tell us when a config or a Markdown file (a template)
    /// changes on disk, where it can.
    fn watch_settings(&mut self) -> Result<()> {
        if !self.watch_dynamic {
            return Ok(());
        }
        let watchers = [format!("**/{DEFAULT_CONFIG_NAME}"), "**/*.md".to_string()]
            .into_iter()
            .map(|g| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(g),
                kind: None,
            })
            .collect();
        let reg = lsp_types::Registration {
            id: "modelcard-review-settings".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: Some(serde_json::to_value(
                lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers },
            )?),
        };
        self.next_id += 1;
        let r = Request::new(
            RequestId::from(format!("modelcard-review-{}", self.next_id)),
            req::RegisterCapability::METHOD.into(),
            lsp_types::RegistrationParams {
                registrations: vec![reg],
            },
        );
        self.send(Message::Request(r))
    }

    fn open(&mut self, key: String, doc: Document) -> Result<()> {
        let judged = self.judge(&key, &doc);
        let diags = features::diagnostics(self, &key, &doc, &judged.findings);
        let version = Some(doc.version);
        self.docs.insert(key.clone(), Open { doc, judged });
        self.publish(&key, diags, version)
    }

    fn change(&mut self, p: lsp_types::DidChangeTextDocumentParams) -> Result<()> {
        let key = p.text_document.uri.as_str().to_string();
        let Some(mut open) = self.docs.remove(&key) else {
            anyhow::bail!("{key} was changed but never opened (textDocument/didOpen)");
        };
        for c in p.content_changes {
            open.doc.change(c.range, &c.text, self.enc);
        }
        open.doc.version = p.text_document.version;
        self.open(key, open.doc)
    }

    /// A saved or changed file: a config or a template re-judges every open card.
    fn file_changed(&mut self, uris: &[Uri]) -> Result<()> {
        let templates: Vec<PathBuf> = self
            .setups
            .list
            .iter()
            .filter_map(|s| s.cfg.template.clone())
            .collect();
        let settings = uris.iter().filter_map(file_path).any(|p| {
            p.file_name().is_some_and(|n| n == DEFAULT_CONFIG_NAME)
                || templates.iter().any(|t| same_file(t, &p, &self.cwd))
        });
        if !settings {
            return Ok(());
        }
        tracing::info!("settings changed: re-checking the open cards");
        // A config or template broken mid-edit: the open cards keep the last good
        // settings, beside one message saying what to fix, rather than losing every
        // diagnostic until the file is valid again.
        let mut fresh = (self.make_setups)();
        let broken = self.docs.keys().find_map(|key| {
            let dir = uri_path(key)
                .as_deref()
                .and_then(Path::parent)
                .map_or(self.cwd.clone(), Path::to_path_buf);
            fresh.for_dir(&dir).err()
        });
        self.shown.clear();
        match broken {
            Some(e) => {
                let message = format!(
                    "modelcard-review: {e:#}. The open cards are judged with the last good settings until this is fixed."
                );
                self.shown.insert(message.clone());
                self.show(MessageType::ERROR, message)?;
            }
            None => self.setups = fresh,
        }
        let keys: Vec<String> = self.docs.keys().cloned().collect();
        for key in keys {
            if let Some(open) = self.docs.remove(&key) {
                self.open(key, open.doc)?;
            }
        }
        Ok(())
    }

    /// Which settings judge the document, and its findings.
    fn judge(&mut self, key: &str, doc: &Document) -> Judged {
        let path = uri_path(key);
        let dir = path
            .as_deref()
            .and_then(Path::parent)
            .map_or(self.cwd.clone(), Path::to_path_buf);
        let setup = match self.setups.for_dir(&dir) {
            Ok(i) => i,
            Err(e) => {
                let message = format!("modelcard-review: {e:#}");
                if self.shown.insert(message.clone()) {
                    let _ = self.show(MessageType::ERROR, message);
                }
                return Judged {
                    setup: None,
                    path: String::new(),
                    root: None,
                    findings: Vec::new(),
                };
            }
        };
        let s = &self.setups.list[setup];
        let (rule_path, root, is_card) = match &path {
            Some(p) => {
                // As `check` names a card outside the root: by its file name.
                let (links_root, rule_path, _) = links_base(p, &display_path(p, &s.root), &s.root);
                let card = s.globs.matches(&rule_path);
                (rule_path, Some(links_root), card)
            }
            // An unsaved buffer (`untitled:`): checked as `check -` checks stdin.
            None => ("-".to_string(), None, true),
        };
        if !is_card {
            return Judged {
                setup: None,
                path: rule_path,
                root,
                findings: Vec::new(),
            };
        }
        let oracle = disk_oracle(root.as_deref());
        let findings = check_card_bytes(
            &s.spec,
            &s.cfg,
            &rule_path,
            doc.text.as_bytes(),
            oracle.as_ref(),
        )
        .findings;
        Judged {
            setup: Some(setup),
            path: rule_path,
            root,
            findings,
        }
    }

    fn publish(
        &mut self,
        key: &str,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<()> {
        let uri: Uri = key.parse().map_err(|_| anyhow::anyhow!("bad URI {key}"))?;
        self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        })
    }

    fn show(&mut self, typ: MessageType, message: String) -> Result<()> {
        self.notify::<note::ShowMessage>(ShowMessageParams { typ, message })
    }

    fn log(&mut self, typ: MessageType, message: String) -> Result<()> {
        self.notify::<note::LogMessage>(lsp_types::LogMessageParams { typ, message })
    }

    fn notify<N: lsp_types::notification::Notification>(
        &mut self,
        params: N::Params,
    ) -> Result<()> {
        self.send(Message::Notification(Notification::new(
            N::METHOD.into(),
            params,
        )))
    }

    fn respond(&mut self, id: RequestId, result: Result<Value, (ErrorCode, String)>) -> Result<()> {
        match result {
            Ok(v) => self.send(Message::Response(Response::new_ok(id, v))),
            Err((code, m)) => self.respond_err(id, code, m),
        }
    }

    fn respond_err(&mut self, id: RequestId, code: ErrorCode, message: String) -> Result<()> {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )))
    }

    fn send(&mut self, m: Message) -> Result<()> {
        m.write(&mut self.out)?;
        Ok(())
    }

    fn write_raw(&mut self, v: &Value) -> Result<()> {
        let body = serde_json::to_string(v)?;
        write!(self.out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.out.flush()?;
        Ok(())
    }
}

/// A `file:` URI's path, percent-decoded; None for any other scheme.
pub(crate) fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` (empty host) or `file://localhost/path`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let s = crate::text::percent_decode(rest);
    // `file:///C:/…` on Windows: the drive letter starts the path.
    let b = s.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' && cfg!(windows) {
        return Some(PathBuf::from(&s[1..]));
    }
    Some(PathBuf::from(s))
}

fn file_path(uri: &Uri) -> Option<PathBuf> {
    uri_path(uri.as_str())
}

fn same_file(a: &Path, b: &Path, cwd: &Path) -> bool {
    let abs = |p: &Path| {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        std::fs::canonicalize(&p).unwrap_or(p)
    };
    abs(a) == abs(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_decoded() {
        assert_eq!(
            uri_path("file:///tmp/a%20b/Mod%C3%A8le/README.md"),
            Some(PathBuf::from("/tmp/a b/Modèle/README.md"))
        );
        assert_eq!(uri_path("untitled:Untitled-1"), None);
        assert_eq!(uri_path("file:///x%2"), Some(PathBuf::from("/x%2")));
    }
}
