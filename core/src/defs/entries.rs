//! Where the entries of a table's top-level object end, found as the bytes arrive: a scanner
//! that follows strings, escapes and nesting across chunk boundaries, so each finished entry
//! can be handed to serde whole. It checks only the object's outline (its braces, its commas,
//! what surrounds it); serde checks everything inside the entries.

/// Where the scan is in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Place {
    /// Before the object's `{` (only whitespace so far).
    #[default]
    Before,
    /// Inside the object.
    Inside,
    /// After the object's `}` (only whitespace may follow).
    After,
}

/// What is wrong with a table's outline. Byte positions count from the start of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum OutlineError {
    /// Something other than `{` opens the file.
    #[error("it is not a JSON object: it starts with {} at byte {at}", shown(*.found))]
    NotAnObject {
        /// Where.
        at: u64,
        /// The byte found.
        found: u8,
    },
    /// A comma with no entry before it.
    #[error("the comma at byte {at} follows no entry")]
    EmptyEntry {
        /// Where the comma is.
        at: u64,
    },
    /// The object closes right after a comma.
    #[error("the object closes at byte {at} right after a comma")]
    TrailingComma {
        /// Where the `}` is.
        at: u64,
    },
    /// A `]` closes the object.
    #[error("the `]` at byte {at} closes the object, which opened with `{{`")]
    WrongClose {
        /// Where the `]` is.
        at: u64,
    },
    /// Something other than whitespace follows the object.
    #[error("{} follows the end of the object at byte {at}", shown(*.found))]
    TrailingText {
        /// Where.
        at: u64,
        /// The byte found.
        found: u8,
    },
    /// The file has no object at all.
    #[error("the file is empty or blank")]
    Empty,
    /// The file ends inside the object.
    #[error("the file ends after {length} bytes, before its object closes: it was cut short")]
    CutShort {
        /// How many bytes the file has.
        length: u64,
    },
}

/// A byte as an error message shows it.
fn shown(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("`{}`", char::from(byte))
    } else {
        format!("the byte 0x{byte:02x}")
    }
}

/// How many bytes at the start of `bytes` are neither `"` nor `\\`: the rest of a string's
/// plain text, looked at 8 bytes at a time (a word with no such byte has no zero byte when
/// xored with them).
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte that equals `byte`, and perhaps of bytes after the first one.
    let equal = |word: u64, byte: u8| {
        let zero_where_equal = word ^ (ONES * u64::from(byte));
        zero_where_equal.wrapping_sub(ONES) & !zero_where_equal & HIGHS
    };
    let mut words = bytes.chunks_exact(8);
    let mut run = 0;
    for word in words.by_ref() {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let word = u64::from_le_bytes(eight);
        let special = equal(word, b'"') | equal(word, b'\\');
        if special != 0 {
            return run + (special.trailing_zeros() / 8) as usize;
        }
        run += 8;
    }
    run + words
        .remainder()
        .iter()
        .take_while(|&&byte| byte != b'"' && byte != b'\\')
        .count()
}

/// JSON's whitespace.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// What one chunk holds, as indexes into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Scanned {
    /// Where the object's `{` is, when it opens in this chunk.
    pub opened_at: Option<usize>,
    /// Where the object's text (after its `{`) starts in this chunk; `None` when the chunk is
    /// all before or all after the object.
    pub text_from: Option<usize>,
    /// Where the `,` or `}` that ends the chunk's last finished entry is.
    pub last_end: Option<usize>,
    /// Whether the object closed in this chunk (its `}` is at `last_end`).
    pub closed: bool,
}

/// The scanner: feed it every chunk in order with [`EntryScanner::scan`], then call
/// [`EntryScanner::finish`].
#[derive(Debug, Clone, Default)]
pub(super) struct EntryScanner {
    place: Place,
    /// Nesting inside the object: 1 between its entries.
    depth: usize,
    in_string: bool,
    /// The last chunk ended on a backslash inside a string: the next one's first byte is
    /// escaped.
    escaped: bool,
    /// The entry being scanned has something besides whitespace.
    entry_has_text: bool,
    /// At least one entry ended with a comma.
    entry_before: bool,
    /// Bytes scanned so far.
    length: u64,
}

impl EntryScanner {
    /// Bytes scanned so far: the position in the file of the next chunk's first byte.
    pub fn length(&self) -> u64 {
        self.length
    }

    /// Scans the next chunk of the file.
    pub fn scan(&mut self, chunk: &[u8]) -> Result<Scanned, OutlineError> {
        let base = self.length;
        self.length += chunk.len() as u64;
        let at = |index: usize| base + index as u64;
        let mut scanned = Scanned::default();
        let mut index = 0;
        if self.place == Place::Before {
            match chunk.iter().position(|&byte| !is_space(byte)) {
                None => return Ok(scanned),
                Some(open) if chunk[open] == b'{' => {
                    self.place = Place::Inside;
                    self.depth = 1;
                    scanned.opened_at = Some(open);
                    index = open + 1;
                }
                Some(other) => {
                    return Err(OutlineError::NotAnObject {
                        at: at(other),
                        found: chunk[other],
                    });
                }
            }
        }
        if self.place == Place::Inside {
            scanned.text_from = Some(index);
            index = self.scan_inside(chunk, index, &mut scanned, at)?;
        }
        match chunk[index..].iter().position(|&byte| !is_space(byte)) {
            Some(other) => Err(OutlineError::TrailingText {
                at: at(index + other),
                found: chunk[index + other],
            }),
            None => Ok(scanned),
        }
    }

    /// Scans the object's text from `index` to the chunk's end or just past the object's `}`,
    /// returning where it stopped. It runs over every byte of tens of megabytes, so the state
    /// lives in locals and each place (in a string, in a value, between entries) has its own
    /// loop.
    fn scan_inside(
        &mut self,
        chunk: &[u8],
        mut index: usize,
        scanned: &mut Scanned,
        at: impl Fn(usize) -> u64,
    ) -> Result<usize, OutlineError> {
        let mut depth = self.depth;
        let mut in_string = self.in_string;
        if self.escaped && index < chunk.len() {
            self.escaped = false;
            index += 1;
        }
        let stopped = 'scan: loop {
            if in_string {
                // The rest of a string: plain runs are skipped 8 bytes at a time.
                loop {
                    index += plain_run(&chunk[index..]);
                    match chunk.get(index) {
                        None => break 'scan Ok(index),
                        Some(b'"') => {
                            index += 1;
                            in_string = false;
                            break;
                        }
                        // A backslash: skip the byte it escapes, or the next chunk's first.
                        Some(_) if index + 1 < chunk.len() => index += 2,
                        Some(_) => {
                            self.escaped = true;
                            break 'scan Ok(chunk.len());
                        }
                    }
                }
            }
            // Inside an entry's value, only strings and nesting matter.
            while depth > 1 {
                let Some(&byte) = chunk.get(index) else {
                    break 'scan Ok(index);
                };
                index += 1;
                match byte {
                    b'"' => {
                        in_string = true;
                        continue 'scan;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth -= 1,
                    _ => {}
                }
            }
            // Between entries.
            let Some(&byte) = chunk.get(index) else {
                break 'scan Ok(index);
            };
            index += 1;
            match byte {
                b'}' | b']' | b',' => {
                    if let Err(error) = self.end_entry(byte, at(index - 1)) {
                        break Err(error);
                    }
                    scanned.last_end = Some(index - 1);
                    if byte != b',' {
                        scanned.closed = true;
                        break Ok(index);
                    }
                    continue;
                }
                _ if is_space(byte) => continue,
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                _ => {}
            }
            self.entry_has_text = true;
        };
        self.depth = depth;
        self.in_string = in_string;
        stopped
    }

    /// The `,` or closing bracket `byte` at `at` ends an entry (or the object).
    fn end_entry(&mut self, byte: u8, at: u64) -> Result<(), OutlineError> {
        match byte {
            b']' => Err(OutlineError::WrongClose { at }),
            b',' if !self.entry_has_text => Err(OutlineError::EmptyEntry { at }),
            b',' => {
                self.entry_has_text = false;
                self.entry_before = true;
                Ok(())
            }
            _ if self.entry_before && !self.entry_has_text => {
                Err(OutlineError::TrailingComma { at })
            }
            _ => {
                self.place = Place::After;
                Ok(())
            }
        }
    }

    /// The end of the file: an error unless the object closed.
    pub fn finish(&self) -> Result<(), OutlineError> {
        match self.place {
            Place::After => Ok(()),
            Place::Before => Err(OutlineError::Empty),
            Place::Inside => Err(OutlineError::CutShort {
                length: self.length,
            }),
        }
    }
}
