//! Writing the commands' results on stdout. A reader that goes away early (`courier-host
//! profile | head`) is not an error: the rest is dropped quietly instead of a panic.

use std::io::{ErrorKind, Write};

/// Writes `text` to stdout as it is; a closed pipe is ignored, any other failure is an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(error).context("could not write to stdout"))
        }
        _ => Ok(()),
    }
}

/// [`print`] with a line break after `line`.
pub fn print_line(line: &str) -> anyhow::Result<()> {
    print(&format!("{line}\n"))
}
