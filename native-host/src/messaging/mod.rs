//! Native-messaging mode: framing, the caller's origin, and the request loop.

use std::ffi::OsString;
use std::process::ExitCode;

/// How the browser started the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {}

/// The launch, when the arguments are a browser's native-messaging start.
pub fn launch_from_args(args: impl IntoIterator<Item = OsString>) -> Option<Launch> {
    let _ = args.into_iter();
    None
}

/// Serves native messaging on stdin/stdout until the browser closes the port.
pub fn serve(launch: Launch) -> ExitCode {
    let _ = launch;
    ExitCode::FAILURE
}
