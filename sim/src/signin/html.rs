//! The HTML of the simulated websites: one escaping helper, one page layout, and the error page
//! a sign-in step answers when it cannot go on.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A page with a title (escaped here) and body markup (escaped by the caller).
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    (status, Html(document(title, "", body))).into_response()
}

/// A 200 page that sends the browser on to `target` (a same-site path) at once.
pub fn forwarding_page(title: &str, target: &str, body: &str) -> Response {
    let head = format!(
        "<meta http-equiv=\"refresh\" content=\"0;url={}\">",
        escape(target)
    );
    (StatusCode::OK, Html(document(title, &head, body))).into_response()
}

/// The whole document.
fn document(title: &str, head: &str, body: &str) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
    )
}

/// A link, with its address and text escaped.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(href), escape(text))
}

/// A sign-in step that cannot go on: a page saying what happened and where to start again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    status: StatusCode,
    title: &'static str,
    message: String,
    next: Option<(String, &'static str)>,
}

impl PageError {
    /// An error page with a status, a title and a sentence saying what happened.
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            title,
            message: message.into(),
            next: None,
        }
    }

    /// A 400 page.
    pub fn bad_request(title: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, title, message)
    }

    /// Adds a link to what the person should do next.
    pub fn with_link(mut self, href: impl Into<String>, text: &'static str) -> Self {
        self.next = Some((href.into(), text));
        self
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut body = format!("<p class=\"error\">{}</p>", escape(&self.message));
        if let Some((href, text)) = &self.next {
            body.push_str(&format!("\n<p>{}</p>", link(href, text)));
        }
        page(self.status, self.title, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("plain text"), "plain text");
    }
}
