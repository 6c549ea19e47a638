//! Query strings and form bodies as name/value pairs, read leniently: the first value of a name
//! wins and an empty value counts as not sent.

/// The decoded pairs of one query string or form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The pairs of a query string (none when there is no query).
    pub fn from_query(query: Option<&str>) -> Self {
        Self::from_form(query.unwrap_or_default().as_bytes())
    }

    /// The pairs of an `application/x-www-form-urlencoded` body.
    pub fn from_form(body: &[u8]) -> Self {
        Self(
            url::form_urlencoded::parse(body)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_empty_value_wins() {
        let params = Params::from_query(Some("a=&a=1&a=2&b=x%20y&c"));
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), Some("x y"));
        assert_eq!(params.get("c"), None);
        assert_eq!(Params::from_query(None).get("a"), None);
    }
}
