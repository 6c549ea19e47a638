//! One native-messaging session: read a frame, answer it, until the browser closes the port.

use std::io::{self, Read, Write};

use courier_core::host_protocol::{Action, Answer, Request};

use super::frame::{self, FrameError};

/// Why a session ended other than by the browser closing the port between messages.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The input cannot be read on from here (an oversize frame, a truncated frame, a read
    /// failure); the caller was sent an error frame.
    #[error("stopped reading: {0}")]
    Input(FrameError),
    /// An answer could not be written: the browser is gone.
    #[error("could not write an answer: {0}")]
    Output(io::Error),
}

/// Answers every frame from `reader` on `writer` with `respond`, until the input ends cleanly
/// (`Ok`) or cannot go on (`Err`). A frame that is not a valid request gets a `bad_request`
/// answer and the session goes on.
pub fn run(
    reader: &mut impl Read,
    writer: &mut impl Write,
    mut respond: impl FnMut(Request) -> Answer,
) -> Result<(), SessionError> {
    loop {
        let answer = match frame::read_frame(reader) {
            Ok(None) => return Ok(()),
            Ok(Some(text)) => match Request::parse(&text) {
                Ok(request) => {
                    tracing::info!(
                        id = request.id,
                        action = action_name(&request.action),
                        "request"
                    );
                    respond(request)
                }
                Err(bad) => {
                    tracing::warn!(id = bad.id, "refused a message: {}", bad.message);
                    Answer::from(bad)
                }
            },
            Err(error) => {
                tracing::warn!("refused a frame: {error}");
                let answer = Answer::failed(None, error.failure());
                if !error.is_recoverable() {
                    // Best effort: the browser may already be gone.
                    let written = frame::write_answer(writer, &answer);
                    if let Err(write_error) = written {
                        tracing::debug!("could not send the error frame: {write_error}");
                    }
                    return Err(SessionError::Input(error));
                }
                answer
            }
        };
        frame::write_answer(writer, &answer).map_err(SessionError::Output)?;
    }
}

/// The request's `type`, for the log.
fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Hello => "hello",
        Action::PsnLogin(_) => "psn_login",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use courier_core::host_protocol::{ErrorKind, Failure, RequestId};

    use super::*;
    use crate::messaging::frame::tests::frame;

    fn answers(mut output: &[u8]) -> Vec<Answer> {
        let mut answers = Vec::new();
        while !output.is_empty() {
            let (prefix, rest) = output.split_at(4);
            let len = u32::from_ne_bytes(prefix.try_into().expect("4 bytes"));
            let (json, rest) = rest.split_at(usize::try_from(len).expect("fits"));
            answers.push(serde_json::from_slice(json).expect("every frame is an answer"));
            output = rest;
        }
        answers
    }

    /// Runs a session on `input` with a responder that answers `hello` and counts the calls.
    fn session(input: Vec<u8>) -> (Result<(), SessionError>, Vec<Answer>, Vec<RequestId>) {
        let mut output = Vec::new();
        let mut seen = Vec::new();
        let result = run(&mut Cursor::new(input), &mut output, |request| {
            seen.push(request.id);
            Answer::hello(request.id, "test")
        });
        (result, answers(&output), seen)
    }

    fn failure(answer: &Answer) -> (Option<RequestId>, &Failure) {
        match answer {
            Answer::Failed { id, error } => (*id, error),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn answers_each_request_in_order_until_the_end() {
        let mut input = frame(br#"{"id":1,"type":"hello"}"#);
        input.extend(frame(br#"{"id":2,"type":"hello"}"#));
        let (result, answers, seen) = session(input);
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(seen, [1, 2]);
        assert_eq!(
            answers,
            [Answer::hello(1, "test"), Answer::hello(2, "test")]
        );
    }

    #[test]
    fn an_empty_input_ends_cleanly_with_no_answer() {
        let (result, answers, _) = session(Vec::new());
        assert!(result.is_ok(), "{result:?}");
        assert!(answers.is_empty());
    }

    #[test]
    fn bad_messages_get_an_error_and_the_session_goes_on() {
        let mut input = frame(b"garbage");
        input.extend(frame(br#"{"id":5,"type":"teleport"}"#));
        input.extend(frame(b""));
        input.extend(frame(b"\xff\xfe"));
        input.extend(frame(br#"{"id":6,"type":"hello"}"#));
        let (result, answers, seen) = session(input);
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(seen, [6], "only the valid request reaches the responder");
        assert_eq!(answers.len(), 5);
        let expected_ids = [None, Some(5), None, None];
        for (answer, expected_id) in answers.iter().zip(expected_ids) {
            let (id, error) = failure(answer);
            assert_eq!(id, expected_id);
            assert_eq!(error.kind, ErrorKind::BadRequest);
        }
        assert_eq!(answers[4], Answer::hello(6, "test"));
    }

    #[test]
    fn an_oversize_frame_ends_the_session_after_one_too_large_answer() {
        let mut input = frame(br#"{"id":1,"type":"hello"}"#);
        input.extend(0xFFFF_FFF0_u32.to_ne_bytes());
        input.extend(frame(br#"{"id":2,"type":"hello"}"#));
        let (result, answers, seen) = session(input);
        assert!(matches!(
            result,
            Err(SessionError::Input(FrameError::TooLarge { .. }))
        ));
        assert_eq!(seen, [1]);
        assert_eq!(answers.len(), 2);
        let (id, error) = failure(&answers[1]);
        assert_eq!(id, None);
        assert_eq!(error.kind, ErrorKind::TooLarge);
    }

    #[test]
    fn a_truncated_frame_ends_the_session() {
        let mut input = frame(br#"{"id":1,"type":"hello"}"#);
        input.truncate(input.len() - 3);
        let (result, answers, seen) = session(input);
        assert!(matches!(
            result,
            Err(SessionError::Input(FrameError::Truncated))
        ));
        assert!(seen.is_empty());
        assert_eq!(failure(&answers[0]).1.kind, ErrorKind::BadRequest);
    }

    /// A writer the browser has closed.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_ends_the_session() {
        let input = frame(br#"{"id":1,"type":"hello"}"#);
        let result = run(&mut Cursor::new(input), &mut Closed, |request| {
            Answer::hello(request.id, "test")
        });
        assert!(matches!(result, Err(SessionError::Output(_))), "{result:?}");
    }
}
