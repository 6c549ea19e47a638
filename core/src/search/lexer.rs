//! Splits a query into tokens, each with the byte offset where it starts.
//!
//! - `(` and `)` are tokens of their own; whitespace separates tokens.
//! - `-` at the start of a token is the negation prefix (`-is:locked`); inside a word it is text.
//! - `"..."` is quoted text, with `\"` and `\\` as the only escapes.
//! - A bare word is a run of anything else. `and`, `or` and `not` (any case) are operators;
//!   a word with a `:` is a filter `key:value`, whose value may be quoted (`name:"the last word"`).

use std::borrow::Cow;

use super::SearchError;

/// One token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token<'a> {
    /// What the token is.
    pub kind: TokenKind<'a>,
    /// The byte offset of its first character.
    pub start: usize,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenKind<'a> {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `-` before a term.
    Minus,
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `not`.
    Not,
    /// Free text, bare or quoted.
    Text(Cow<'a, str>),
    /// `key:value`.
    Field {
        /// What is left of the first `:`.
        key: &'a str,
        /// What is right of it, unquoted.
        value: Cow<'a, str>,
        /// The byte offset of the value (of its opening quote when quoted).
        value_start: usize,
    },
}

/// Whether a character ends a bare word.
pub(super) fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Splits `text` into tokens; an unterminated quote is the only error.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, SearchError> {
    let mut tokens = Vec::new();
    let mut start = 0;
    while let Some(c) = text[start..].chars().next() {
        let (kind, end) = match c {
            c if c.is_whitespace() => {
                start += c.len_utf8();
                continue;
            }
            '(' => (TokenKind::Open, start + 1),
            ')' => (TokenKind::Close, start + 1),
            '-' => (TokenKind::Minus, start + 1),
            '"' => {
                let (value, end) = quoted(text, start)?;
                (TokenKind::Text(value), end)
            }
            _ => word(text, start)?,
        };
        tokens.push(Token { kind, start });
        start = end;
    }
    Ok(tokens)
}

/// The bare word at `start` (with the quoted value of a `key:"..."` filter) and where it ends.
fn word(text: &str, start: usize) -> Result<(TokenKind<'_>, usize), SearchError> {
    let end = text[start..]
        .find(ends_word)
        .map_or(text.len(), |offset| start + offset);
    let word = &text[start..end];
    let operator = [
        ("and", TokenKind::And),
        ("or", TokenKind::Or),
        ("not", TokenKind::Not),
    ]
    .into_iter()
    .find(|(name, _)| word.eq_ignore_ascii_case(name));
    if let Some((_, kind)) = operator {
        return Ok((kind, end));
    }
    let Some((key, value)) = word.split_once(':') else {
        return Ok((TokenKind::Text(Cow::Borrowed(word)), end));
    };
    if value.is_empty() && text[end..].starts_with('"') {
        let (value, after) = quoted(text, end)?;
        let kind = TokenKind::Field {
            key,
            value,
            value_start: end,
        };
        return Ok((kind, after));
    }
    let kind = TokenKind::Field {
        key,
        value: Cow::Borrowed(value),
        value_start: start + key.len() + 1,
    };
    Ok((kind, end))
}

/// The quoted string whose opening quote is at `open`, unescaped, and the byte offset after it.
fn quoted(text: &str, open: usize) -> Result<(Cow<'_, str>, usize), SearchError> {
    let body = &text[open + 1..];
    let mut unescaped = String::new();
    let mut chars = body.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                let end = open + 1 + at + 1;
                let value = if unescaped.len() == at {
                    Cow::Borrowed(&body[..at])
                } else {
                    Cow::Owned(unescaped)
                };
                return Ok((value, end));
            }
            '\\' => match chars.next() {
                Some((_, escaped)) => unescaped.push(escaped),
                None => break,
            },
            c => unescaped.push(c),
        }
    }
    Err(SearchError::at(
        text,
        open,
        "unterminated quote",
        Some("close it with \"".to_string()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind<'_>> {
        tokenize(text)
            .expect("the text tokenizes")
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn text(s: &str) -> TokenKind<'_> {
        TokenKind::Text(Cow::Borrowed(s))
    }

    #[test]
    fn operators_parentheses_and_minus_are_tokens() {
        assert_eq!(
            kinds("(a OR b) and -c Not d"),
            vec![
                TokenKind::Open,
                text("a"),
                TokenKind::Or,
                text("b"),
                TokenKind::Close,
                TokenKind::And,
                TokenKind::Minus,
                text("c"),
                TokenKind::Not,
                text("d"),
            ]
        );
    }

    #[test]
    fn a_minus_inside_a_word_is_text() {
        assert_eq!(kinds("half-truths"), vec![text("half-truths")]);
    }

    #[test]
    fn fields_split_at_the_first_colon_and_record_where_the_value_starts() {
        let tokens = tokenize("  power:>=1800").expect("tokenizes");
        assert_eq!(
            tokens,
            vec![Token {
                kind: TokenKind::Field {
                    key: "power",
                    value: Cow::Borrowed(">=1800"),
                    value_start: 8
                },
                start: 2
            }]
        );
    }

    #[test]
    fn quoted_values_and_text_are_unescaped() {
        assert_eq!(
            kinds(r#"name:"the \"last\" word" "a\\b""#),
            vec![
                TokenKind::Field {
                    key: "name",
                    value: Cow::Owned("the \"last\" word".to_string()),
                    value_start: 5
                },
                TokenKind::Text(Cow::Owned("a\\b".to_string())),
            ]
        );
    }

    #[test]
    fn a_quote_ends_a_bare_word() {
        assert_eq!(kinds(r#"ab"cd""#), vec![text("ab"), text("cd")]);
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_the_quote() {
        let error = tokenize(r#"is:weapon "sun"#).expect_err("the quote is open");
        assert_eq!(error.position, 10);
        assert!(
            error.message.contains("unterminated quote at 10"),
            "{error}"
        );
        let error = tokenize(r#"name:"x\"#).expect_err("the escape eats the quote");
        assert_eq!(error.position, 5);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let error = tokenize(r#"xûr "open"#).expect_err("the quote is open");
        assert_eq!(error.position, 4);
    }
}
