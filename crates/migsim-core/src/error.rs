//! Typed errors. Every variant prints as one line; `main.rs` alone maps a kind to
//! an exit code (2 for bad input, 1 for a failure at run time).

use std::fmt;

/// One problem with the user's input: which file, where in it, which key, and
/// what was expected instead.
#[derive(Debug, Clone, PartialEq)]
pub struct InputProblem {
    pub file: String,
    /// `line:column` (or `row N`) when the input format can tell.
    pub location: Option<String>,
    /// Dotted key (`destinations[1].wage_usd`) or CSV column; empty when the
    /// problem concerns the whole file.
    pub key: String,
    pub message: String,
}

impl InputProblem {
    pub fn new(file: impl Into<String>, key: impl Into<String>, message: impl Into<String>) -> Self {
        InputProblem {
            file: file.into(),
            location: None,
            key: key.into(),
            message: message.into(),
        }
    }

    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(loc) = &self.location {
            write!(f, ":{loc}")?;
        }
        if !self.key.is_empty() {
            // A key may hold a target's name, so it gets twice a cell's room.
            write!(f, ": `{}`", shorten(&one_line(&self.key), 2 * QUOTE_CHARS))?;
        }
        // The message is flattened so that an error stays on one line whatever
        // a parser underneath put into it, and what it quotes from the input
        // is cut short, so that a huge cell does not become a huge error.
        let message = shorten_quotes(&one_line(&self.message));
        if message.chars().count() > MESSAGE_CHARS {
            let head: String = message.chars().take(MESSAGE_CHARS).collect();
            return write!(f, ": {head}…");
        }
        write!(f, ": {message}")
    }
}

/// A net for messages that quote input without backticks (a parser's
/// excerpt of the offending line).
const MESSAGE_CHARS: usize = 1000;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most characters of the input an error quotes.
const QUOTE_CHARS: usize = 80;

fn shorten(s: &str, most: usize) -> String {
    let n = s.chars().count();
    if n <= most {
        return s.to_string();
    }
    let head: String = s.chars().take(most - 20).collect();
    format!("{head}… ({n} characters)")
}

/// Shortens every `quoted` span longer than `QUOTE_CHARS`.
fn shorten_quotes(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    parts
        .iter()
        .enumerate()
        // Odd parts lie between a pair of backticks; a last unpaired one is not a quote.
        .map(|(i, p)| {
            if i % 2 == 1 && i + 1 < parts.len() {
                shorten(p, QUOTE_CHARS)
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario or one of its tables is wrong; nothing was run or written.
    #[error("{}", join_lines(.0))]
    Input(Vec<InputProblem>),
    /// Writing an output failed (permissions, disk full, ...).
    #[error("writing {path}: {message}")]
    Output { path: String, message: String },
    /// The model reached a state it cannot continue from.
    #[error("{0}")]
    Runtime(String),
}

fn join_lines(problems: &[InputProblem]) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
}

impl Error {
    pub fn input(problem: InputProblem) -> Self {
        Error::Input(vec![problem])
    }

    /// Exit code for the command line: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Output { .. } | Error::Runtime(_) => 1,
        }
    }
}

impl From<crate::model::Halt> for Error {
    fn from(h: crate::model::Halt) -> Self {
        Error::Runtime(h.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_prints_on_one_line_with_file_location_and_key() {
        let p = InputProblem::new("a.toml", "time.end", "expected a year\n  after start").at("3:1");
        assert_eq!(p.to_string(), "a.toml:3:1: `time.end`: expected a year after start");
    }

    #[test]
    fn a_long_quoted_cell_is_cut_to_a_readable_length() {
        let cell = "9".repeat(300_000);
        let p = InputProblem::new("t.csv", "persons", format!("`{cell}` is not a count")).at("row 2");
        let text = p.to_string();
        assert!(text.len() < 200, "{} characters", text.len());
        assert!(text.ends_with("… (300000 characters)` is not a count"), "{text}");
        let short = InputProblem::new("t.csv", "persons", "`-100` is not a count");
        assert_eq!(short.to_string(), "t.csv: `persons`: `-100` is not a count");
    }

    #[test]
    fn input_errors_exit_2_and_others_exit_1() {
        assert_eq!(Error::input(InputProblem::new("f", "k", "m")).exit_code(), 2);
        assert_eq!(Error::Runtime("x".into()).exit_code(), 1);
    }
}
