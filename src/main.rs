//! The `embx` binary: parse arguments, run, turn errors into messages and exit statuses.
//!
//! Exit statuses: 0 success; 1 an unknown word; 2 bad input (unreadable or malformed file,
//! bad arguments, syntax errors); 130 interrupted (Ctrl-C, and SIGINT, SIGTERM or SIGHUP,
//! which are caught alike); 101 a panic (a bug), in any thread, the explorer's included.
//! With `--json`, an error is also printed on stdout as `{"error": …, "kind": …}`.
use embx::cli;
use embx::Error;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::parse_args();
    // The explorer restores the terminal on signals itself.
    if !cli::opens_explorer(&args) {
        cli::install_interrupt_handler();
    }
    // With --json, an error is a JSON object on stdout too, for the script reading it.
    let json = cli::wants_json(&args);
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                cli::print_error_json(&e);
            }
            let report = anyhow::Error::new(e);
            eprintln!("embx: {report}");
            ExitCode::from(exit_status(report.downcast_ref::<Error>()))
        }
    }
}

fn exit_status(e: Option<&Error>) -> u8 {
    match e {
        Some(Error::UnknownWord { .. }) => 1,
        Some(Error::Interrupted) => 130,
        _ => 2,
    }
}
