//! Everything the CLI prints on standard output goes through here, so that a reader who stops
//! early (`tongxin-cli experts --json | head -1`) ends the program quietly instead of making
//! it panic: on a closed pipe (EPIPE) the process exits at once with status 0, the reader
//! having taken all it wanted — what `head` expects, and what a script checking `$?` after a
//! pipeline needs. Any other failure to write is an error on stderr and status 1.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

use anyhow::Result;
use serde::Serialize;

/// `println!` for the CLI's output: a line on stdout, quiet exit on a closed pipe.
macro_rules! outln {
    () => {
        $crate::print::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::print::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// Writes one line to stdout and flushes it: once this returns the reader can see it (what
/// `checkin-burst` relies on to say only what was committed).
pub fn line(args: Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}").and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("错误：无法输出结果：{e}");
        std::process::exit(1);
    }
}

/// `value` as pretty JSON with `--json`, else as the table `table` prints.
pub fn print<T: Serialize>(json: bool, value: &T, table: impl FnOnce(&T)) -> Result<()> {
    if json {
        outln!("{}", serde_json::to_string_pretty(value)?);
    } else {
        table(value);
    }
    Ok(())
}
