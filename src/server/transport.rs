//! JSON-RPC framing over stdio (`Content-Length` headers), read here rather than by
//! `lsp_server::Connection`: its reader thread ends the connection at the first
//! malformed message, and a language server must answer a bad message with an error
//! and keep serving.

use lsp_server::Message;
use std::io::{BufRead, Read};

/// The largest message read: a 5 MB card sent whole, with room to spare.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// What came in.
pub enum Incoming {
    Message(Message),
    /// A frame that is not a JSON-RPC message: the error to answer with, and the
    /// request's id if it had one.
    Malformed {
        code: i32,
        message: String,
        id: Option<serde_json::Value>,
    },
}

/// The next frame, or None at the end of input.
pub fn read(r: &mut impl BufRead) -> std::io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length {:?}", value.trim())),
                }
            }
        } else {
            bad_header = Some(format!("bad header line {line:?}"));
        }
    }
    let Some(n) = length else {
        return Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::ParseError as i32,
            message: bad_header.unwrap_or_else(|| "a message without Content-Length".into()),
            id: None,
        }));
    };
    if n > MAX_BODY {
        std::io::copy(&mut r.take(n as u64), &mut std::io::sink())?;
        return Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: format!("a message of {n} bytes, over the limit of {MAX_BODY}"),
            id: None,
        }));
    }
    let mut body = vec![0; n];
    r.read_exact(&mut body)?;
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Ok(Some(Incoming::Malformed {
                code: lsp_server::ErrorCode::ParseError as i32,
                message: format!("not JSON: {e}"),
                id: None,
            }))
        }
    };
    let id = value.get("id").cloned();
    // A message without a method is a response and carries a result or an error
    // (lsp_server's untagged reading takes any object with an id for one).
    let answer = value.get("result").is_some() || value.get("error").is_some();
    if value.get("method").is_none() && !answer {
        return Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: "a message with neither a method nor a result or error".into(),
            id: id.filter(|i| i.is_number() || i.is_string()),
        }));
    }
    // An id that is neither a string nor an integer LSP can carry (`1.5`, `{}`,
    // `true`, 2^31): lsp_server would read the request as a notification and
    // nothing would answer it. JSON-RPC answers it with an error whose id is null.
    if let Some(bad) = id.as_ref().filter(|i| {
        !i.is_null() && !i.is_string() && i.as_i64().is_none_or(|n| i32::try_from(n).is_err())
    }) {
        return Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: format!("the id {bad} is neither a string nor a 32-bit integer"),
            id: None,
        }));
    }
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Ok(Some(Incoming::Message(m))),
        Err(e) => Ok(Some(Incoming::Malformed {
            code: lsp_server::ErrorCode::InvalidRequest as i32,
            message: format!("not a JSON-RPC request, response or notification: {e}"),
            id: id.filter(|i| i.is_number() || i.is_string()),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_reported_and_the_next_one_read() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"params":3}"#),
            "X-Nothing: 1\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":2147483648,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":{},"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":[],"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":true,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","id":-5,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let mut r = std::io::Cursor::new(input.into_bytes());
        let mut got = Vec::new();
        while let Some(m) = read(&mut r).unwrap() {
            got.push(match m {
                Incoming::Message(Message::Notification(n)) => n.method,
                Incoming::Message(_) => "other".into(),
                Incoming::Malformed { code, id, .. } => format!("{code} {id:?}"),
            });
        }
        assert_eq!(
            got,
            [
                "-32700 None",
                "-32600 Some(Number(7))",
                "-32700 None",
                "-32600 None",
                "-32600 None",
                "-32600 None",
                "-32600 None",
                "-32600 None",
                "other",
                "exit"
            ]
        );
    }
}
