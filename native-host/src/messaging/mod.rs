//! Native-messaging mode: the launch ([`launch`]), the allow-list of callers ([`allow_list`]),
//! framing ([`frame`]), the request loop ([`session`]) and the answers ([`respond`]).
//!
//! Only frames go to stdout; logs go to stderr. Exit status: 0 when the browser closes the port,
//! 1 when the input cannot be read on (an oversize or truncated frame) or the output is gone,
//! 2 when the caller is not on the allow-list.

mod allow_list;
mod frame;
mod launch;
mod respond;
mod session;

use std::io;
use std::process::ExitCode;

use courier_core::host_protocol::{Answer, ErrorKind, Failure};

use allow_list::{ALLOWED_ORIGINS_ENV, AllowList};
pub use launch::{Launch, launch_from_args};
use respond::Responder;

/// The exit status for a caller that is not on the allow-list.
const FORBIDDEN_ORIGIN_EXIT: u8 = 2;

/// Serves native messaging on stdin/stdout until the browser closes the port.
pub fn serve(launch: Launch) -> ExitCode {
    crate::logging::init("info");
    let mut stdout = io::stdout().lock();
    let allowed = AllowList::load();
    if !allowed.allows(&launch.origin) {
        tracing::warn!(origin = %launch.origin, "refused a caller that is not on the allow-list");
        let failure = Failure::new(
            ErrorKind::ForbiddenOrigin,
            format!(
                "courier-host answers only {allowed}, not {}; to allow another extension, list it \
                 in {ALLOWED_ORIGINS_ENV}",
                launch.origin
            ),
        );
        if let Err(error) = frame::write_answer(&mut stdout, &Answer::failed(None, failure)) {
            tracing::debug!("could not send the error frame: {error}");
        }
        return ExitCode::from(FORBIDDEN_ORIGIN_EXIT);
    }
    let responder = match Responder::new() {
        Ok(responder) => responder,
        Err(error) => {
            tracing::error!("could not start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(origin = %launch.origin, "serving native messaging");
    match session::run(&mut io::stdin().lock(), &mut stdout, |request| {
        responder.answer(request)
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
