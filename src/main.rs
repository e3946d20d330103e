use clap::Parser;
use modelcard_review::cli::{self, Cli, Command};

fn main() {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => cli::run_check(args),
        Command::Fix(args) => cli::run_fix(args),
        Command::New(args) => cli::run_new(args),
        Command::Rules(args) => cli::run_rules(args, &mut std::io::stdout().lock()),
        Command::Template(args) => cli::run_template(args, &mut std::io::stdout().lock()),
        Command::Outline(args) => cli::run_outline(args, &mut std::io::stdout().lock()),
        Command::Completions(args) => cli::run_completions(args, &mut std::io::stdout().lock()),
        Command::Man => cli::run_man(&mut std::io::stdout().lock()),
        Command::Audit(args) => cli::run_audit(args),
        Command::Server(args) => cli::run_server(args),
        Command::Review(args) => cli::run_review(args),
        Command::Publish(args) => cli::run_publish(args),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) if is_broken_pipe(&e) => std::process::exit(0),
        Err(e) => {
            // A path or a template's words may carry escapes: shown, not obeyed.
            let e = format!("{e:#}");
            eprintln!(
                "modelcard-review: error: {}",
                modelcard_review::text::inert(&e)
            );
            std::process::exit(2);
        }
    }
}

/// Logs go to stderr, filtered by MODELCARD_REVIEW_LOG (default: warnings), with
/// colours only on a terminal (and never with NO_COLOR).
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("MODELCARD_REVIEW_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(modelcard_review::report::text::color_wanted(
            None,
            std::io::stderr().is_terminal(),
        ))
        .with_target(false)
        .try_init();
}

/// A reader that stopped reading (`| head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
