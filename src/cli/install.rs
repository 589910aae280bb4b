//! `embx completions SHELL` and `embx man`: what a tool installed on PATH needs.
use super::output;
use super::Cli;
use crate::error::{Error, Result};
use clap::CommandFactory;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "embx", &mut buf);
    output::print(&String::from_utf8_lossy(&buf))
}

/// Prints the man page (roff) of embx, with its subcommands listed.
pub fn man() -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Error::io("<man page>", e))?;
    output::print(&String::from_utf8_lossy(&buf))
}
