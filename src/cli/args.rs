//! Parsing of argument values shared by the subcommands.
use crate::format::Format;

/// Parses `--format` and `--to` values (with their aliases) and lists the names in `--help`
/// and in shell completions: every format embx reads ([`FormatParser::ANY`]), or for an
/// output's format only those it writes ([`FormatParser::OUTPUT`]; another is refused, with
/// the list, when the file is named).
#[derive(Clone)]
pub(crate) struct FormatParser {
    output: bool,
}

impl FormatParser {
    pub(crate) const ANY: FormatParser = FormatParser { output: false };
    pub(crate) const OUTPUT: FormatParser = FormatParser { output: true };
}

impl clap::builder::TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<Format, clap::Error> {
        let text = value.to_string_lossy();
        text.parse().map_err(|e: String| {
            let name = arg.map_or_else(|| "--format".into(), |a| a.to_string());
            invalid_value(cmd, format!("{text:?}"), &name, &e)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::ALL
                .iter()
                .filter(|f| !self.output || f.writable())
                .map(|f| clap::builder::PossibleValue::new(f.name()).help(f.describe())),
        ))
    }
}

/// Parses `-k`, the number of results (at least 1). clap would name the option by its long
/// form (`--topn`) in the error even when `-k` was typed; this names `-k`, the usual spelling.
#[derive(Clone)]
pub(crate) struct KParser;

impl clap::builder::TypedValueParser for KParser {
    type Value = usize;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<usize, clap::Error> {
        let text = value.to_string_lossy();
        let why = match text.parse::<usize>() {
            Ok(0) => "it must be at least 1".to_string(),
            Ok(k) => return Ok(k),
            Err(e) => format!("not a count ({e})"),
        };
        Err(invalid_value(cmd, format!("'{text}'"), "-k (--topn)", &why))
    }
}

/// clap's error for a value its parser refused: `invalid value QUOTED for NAME: WHY`.
fn invalid_value(cmd: &clap::Command, quoted: String, name: &str, why: &str) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::InvalidValue,
        format!("invalid value {quoted} for {name}: {why}\n"),
    )
    .with_cmd(cmd)
}

#[cfg(test)]
mod tests {
    use super::super::Cli;
    use clap::CommandFactory;

    #[test]
    fn k_is_named_as_typed() {
        use clap::Parser;
        for (k, why) in [("0", "it must be at least 1"), ("x", "not a count")] {
            for line in [
                vec!["embx", "similar", "v.txt", "king", "-k", k],
                vec!["embx", "ngram", "c.txt", "-k", k],
            ] {
                let e = Cli::try_parse_from(line).unwrap_err().to_string();
                assert!(e.contains(&format!("for -k (--topn): {why}")), "{e}");
            }
        }
    }

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn format_values_are_listed_in_help() {
        let help = Cli::command()
            .find_subcommand_mut("info")
            .map(|c| c.render_long_help().to_string())
            .unwrap_or_default();
        for f in crate::format::Format::ALL {
            assert!(
                help.contains(f.name()),
                "{} missing from:\n{help}",
                f.name()
            );
        }
    }
}
