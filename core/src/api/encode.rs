//! Percent-encoding (RFC 3986) for query values, path segments and form fields.

/// Percent-encodes `text`: unreserved characters (`A-Z a-z 0-9 - . _ ~`) and `,` stay as they
/// are, every other byte of its UTF-8 becomes `%XX`. The comma stays literal because bungie.net
/// documents lists that way (`?components=100,102`) and RFC 3986 allows it in a query; `&`, `=`,
/// `+`, `/`, `?`, `#` and spaces are always encoded, so the result is safe as a query value, a
/// path segment or an `application/x-www-form-urlencoded` field.
pub(crate) fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

/// `name=value` pairs joined with `&`, each side percent-encoded.
pub(crate) fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_and_commas_stay() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encode("100,102,205"), "100,102,205");
    }

    #[test]
    fn reserved_characters_and_spaces_are_encoded() {
        assert_eq!(
            percent_encode("a b&c=d+e/f?g#h"),
            "a%20b%26c%3Dd%2Be%2Ff%3Fg%23h"
        );
        assert_eq!(percent_encode("100%"), "100%25");
    }

    #[test]
    fn non_ascii_is_encoded_byte_by_byte_in_utf8() {
        assert_eq!(percent_encode("Xûr"), "X%C3%BBr");
        assert_eq!(percent_encode("🙂"), "%F0%9F%99%82");
    }

    #[test]
    fn pairs_are_joined_with_ampersands() {
        assert_eq!(
            encode_pairs([("grant_type", "refresh_token"), ("refresh_token", "a/b=c")]),
            "grant_type=refresh_token&refresh_token=a%2Fb%3Dc"
        );
        assert_eq!(encode_pairs([]), "");
    }
}
