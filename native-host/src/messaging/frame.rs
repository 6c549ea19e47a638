//! Native-messaging frames: a 32-bit native-endian length, then that many bytes of UTF-8 JSON.
//!
//! Reading uses `native_messaging`'s decoder, which compares the length prefix with the cap
//! before it allocates anything, so an oversize frame costs four bytes of reading.

use std::io::{self, Read, Write};

use courier_core::host_protocol::{Answer, ErrorKind, Failure, MAX_REQUEST_BYTES};
use native_messaging::host::{NmError, decode_message_opt, encode_message, send_frame};
use zeroize::Zeroizing;

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The length prefix is over the cap; nothing after it was read.
    #[error(
        "the message is {len} bytes, over the {MAX_REQUEST_BYTES}-byte limit; send smaller messages"
    )]
    TooLarge {
        /// The length the prefix claims.
        len: usize,
    },
    /// The frame was read whole, but its bytes are not UTF-8.
    #[error("the message is not UTF-8 text; send JSON encoded as UTF-8")]
    NotUtf8,
    /// The input ended inside a length prefix or a message.
    #[error("the input ended in the middle of a message")]
    Truncated,
    /// Reading failed.
    #[error("could not read the next message: {0}")]
    Io(io::Error),
}

impl FrameError {
    /// Whether the next frame can still be read: only when this one was consumed whole.
    pub fn is_recoverable(&self) -> bool {
        matches!(self, Self::NotUtf8)
    }

    /// The error frame that tells the caller.
    pub fn failure(&self) -> Failure {
        let kind = match self {
            Self::TooLarge { .. } => ErrorKind::TooLarge,
            Self::NotUtf8 | Self::Truncated | Self::Io(_) => ErrorKind::BadRequest,
        };
        Failure::new(kind, self.to_string())
    }
}

/// Reads the next frame's text; `None` at a clean end of input (between frames). The text is
/// zeroed when dropped, since it may hold a password.
pub fn read_frame(reader: &mut impl Read) -> Result<Option<Zeroizing<String>>, FrameError> {
    match decode_message_opt(reader, MAX_REQUEST_BYTES) {
        Ok(text) => Ok(text.map(Zeroizing::new)),
        Err(NmError::IncomingTooLarge { len, .. }) => Err(FrameError::TooLarge { len }),
        Err(NmError::IncomingNotUtf8(error)) => {
            // The bytes may hold a password too: zero them on the way out.
            drop(Zeroizing::new(error.into_bytes()));
            Err(FrameError::NotUtf8)
        }
        Err(NmError::Io(error)) if error.kind() == io::ErrorKind::UnexpectedEof => {
            Err(FrameError::Truncated)
        }
        Err(NmError::Io(error)) => Err(FrameError::Io(error)),
        Err(other) => Err(FrameError::Io(io::Error::other(other.to_string()))),
    }
}

/// Writes one answer as a frame and flushes it. An answer over the browser's 1 MiB limit is
/// replaced by a `too_large` error for the same request.
pub fn write_answer(writer: &mut impl Write, answer: &Answer) -> io::Result<()> {
    let frame = match encode_message(answer) {
        Err(NmError::OutgoingTooLarge { len, max }) => {
            tracing::warn!(len, max, "an answer was over the browser's limit");
            let failure = Failure::new(
                ErrorKind::TooLarge,
                format!(
                    "the answer was {len} bytes, over the {max} bytes a browser accepts from a host"
                ),
            );
            encode_message(&Answer::failed(answer.id(), failure))
        }
        encoded => encoded,
    }
    .map_err(|error| io::Error::other(error.to_string()))?;
    send_frame(writer, &frame).map_err(|error| match error {
        NmError::Io(error) => error,
        other => io::Error::other(other.to_string()),
    })
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Cursor;

    use courier_core::host_protocol::MAX_ANSWER_BYTES;

    use super::*;

    /// `payload` as a frame.
    pub(in crate::messaging) fn frame(payload: &[u8]) -> Vec<u8> {
        let mut bytes = u32::try_from(payload.len())
            .expect("test payloads fit a u32")
            .to_ne_bytes()
            .to_vec();
        bytes.extend_from_slice(payload);
        bytes
    }

    /// A reader that counts what it hands out: its prefix, then endless bytes (reading a
    /// 4 GiB message from it would exhaust memory and time).
    struct Endless {
        prefix: Cursor<Vec<u8>>,
        served: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let mut n = self.prefix.read(buf)?;
            if n == 0 {
                buf.fill(b'x');
                n = buf.len();
            }
            self.served += n;
            Ok(n)
        }
    }

    #[test]
    fn reads_frames_in_order_then_the_end() {
        let mut input = frame(br#"{"id":1,"type":"hello"}"#);
        input.extend(frame(b"second"));
        let mut reader = Cursor::new(input);
        let first = read_frame(&mut reader)
            .expect("a frame")
            .expect("not the end");
        assert_eq!(first.as_str(), r#"{"id":1,"type":"hello"}"#);
        let second = read_frame(&mut reader)
            .expect("a frame")
            .expect("not the end");
        assert_eq!(second.as_str(), "second");
        assert!(read_frame(&mut reader).expect("a clean end").is_none());
    }

    #[test]
    fn an_oversize_prefix_is_refused_without_reading_or_allocating() {
        let mut reader = Endless {
            prefix: Cursor::new(0xFFFF_FFF0_u32.to_ne_bytes().to_vec()),
            served: 0,
        };
        let error = read_frame(&mut reader).expect_err("refused");
        assert!(
            matches!(error, FrameError::TooLarge { len: 0xFFFF_FFF0 }),
            "{error:?}"
        );
        assert_eq!(reader.served, 4, "only the length prefix was read");
        assert!(!error.is_recoverable());
        assert_eq!(error.failure().kind, ErrorKind::TooLarge);
    }

    #[test]
    fn the_cap_is_one_mebibyte() {
        let at_cap = vec![b' '; MAX_REQUEST_BYTES];
        let text = read_frame(&mut Cursor::new(frame(&at_cap)))
            .expect("1 MiB is allowed")
            .expect("a frame");
        assert_eq!(text.len(), MAX_REQUEST_BYTES);
        let over = u32::try_from(MAX_REQUEST_BYTES + 1)
            .expect("fits")
            .to_ne_bytes();
        let error = read_frame(&mut Cursor::new(over.to_vec())).expect_err("refused");
        assert!(matches!(error, FrameError::TooLarge { len } if len == MAX_REQUEST_BYTES + 1));
    }

    #[test]
    fn a_zero_length_frame_is_an_empty_message() {
        let mut reader = Cursor::new(frame(b""));
        let text = read_frame(&mut reader)
            .expect("a frame")
            .expect("not the end");
        assert_eq!(text.as_str(), "");
        assert!(read_frame(&mut reader).expect("a clean end").is_none());
    }

    #[test]
    fn non_utf8_is_refused_and_the_next_frame_still_reads() {
        let mut input = frame(b"{\"id\":1,\xff}");
        input.extend(frame(b"ok"));
        let mut reader = Cursor::new(input);
        let error = read_frame(&mut reader).expect_err("refused");
        assert!(matches!(error, FrameError::NotUtf8), "{error:?}");
        assert!(error.is_recoverable());
        assert_eq!(error.failure().kind, ErrorKind::BadRequest);
        let next = read_frame(&mut reader)
            .expect("a frame")
            .expect("not the end");
        assert_eq!(next.as_str(), "ok");
    }

    #[test]
    fn truncated_frames_are_reported() {
        let mut short_payload = frame(b"{\"id\":1,\"type\":\"hello\"}");
        short_payload.truncate(10);
        for input in [short_payload, vec![0x10, 0x00], frame(b"")[..3].to_vec()] {
            let error = read_frame(&mut Cursor::new(input.clone())).expect_err("truncated");
            assert!(
                matches!(error, FrameError::Truncated),
                "{input:?}: {error:?}"
            );
            assert!(!error.is_recoverable());
        }
    }

    #[test]
    fn garbage_reads_as_a_frame_of_whatever_length_it_claims() {
        // "garb" as a length is far over the cap on either byte order.
        let error =
            read_frame(&mut Cursor::new(b"garbage, not a frame".to_vec())).expect_err("refused");
        assert!(matches!(error, FrameError::TooLarge { .. }), "{error:?}");
    }

    #[test]
    fn answers_are_framed_with_their_length() {
        let mut out = Vec::new();
        write_answer(&mut out, &Answer::hello(1, "0.1.0")).expect("written");
        let (prefix, json) = out.split_at(4);
        let len = u32::from_ne_bytes(prefix.try_into().expect("4 bytes"));
        assert_eq!(usize::try_from(len).expect("fits"), json.len());
        let back: Answer = serde_json::from_slice(json).expect("an answer");
        assert_eq!(back, Answer::hello(1, "0.1.0"));
    }

    #[test]
    fn an_answer_over_the_browser_limit_becomes_too_large() {
        let huge = Answer::failed(
            Some(8),
            Failure::new(ErrorKind::Network, "x".repeat(MAX_ANSWER_BYTES)),
        );
        let mut out = Vec::new();
        write_answer(&mut out, &huge).expect("written");
        assert!(out.len() - 4 <= MAX_ANSWER_BYTES);
        let back: Answer = serde_json::from_slice(&out[4..]).expect("an answer");
        let Answer::Failed { id, error } = back else {
            panic!("expected a failure, got {back:?}");
        };
        assert_eq!(id, Some(8));
        assert_eq!(error.kind, ErrorKind::TooLarge);
    }
}
