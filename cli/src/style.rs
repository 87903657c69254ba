//! Colours and the two output streams.
//!
//! Everything is written through `anstream`, which drops the colour codes when the stream is not
//! a terminal, when `NO_COLOR` is set, or on a terminal that cannot show them (and keeps them
//! with `CLICOLOR_FORCE`), the same rules clap follows for `--help`.

use std::io::{ErrorKind, Write as _};

use anstyle::{AnsiColor, Style};

use crate::Failure;

pub const OK: Style = AnsiColor::Green.on_default();
pub const BAD: Style = AnsiColor::Red.on_default();
pub const WARN: Style = AnsiColor::Yellow.on_default();
pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();

/// `text` in `style`; plain when the stream does not take colours.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// A line of progress on standard error.
pub fn progress(message: &str) {
    anstream::eprintln!("{}", paint(DIM, message));
}

/// A note on standard error: something the user may not expect, which is not an error.
pub fn note(message: &str) {
    anstream::eprintln!("{}: {message}", paint(WARN.bold(), "note"));
}

/// An error on standard error.
pub fn error(message: &str) {
    anstream::eprintln!("{}: {message}", paint(BAD.bold(), "error"));
}

/// A command's result, on standard output. A reader that went away (`| head`) is not an error.
pub fn result(text: &str) -> Result<(), Failure> {
    match writeln!(anstream::stdout(), "{text}") {
        Err(err) if err.kind() != ErrorKind::BrokenPipe => Err(Failure(format!(
            "could not write to standard output: {err}"
        ))),
        _ => Ok(()),
    }
}
