//! The digest as an HTML fragment and as plain text. Both say the same things: a headline, then
//! one entry per sale with its name, type, class and costs. In HTML every piece of text goes
//! through [`escape_html`]; only the fixed markup is written as is.

use std::fmt::Write;

use crate::model::{ClassType, Tier};

use super::{XurDigest, XurSale};

/// What the digest says when Xûr is away.
const ABSENT: &str = "Xûr is not here this week.";

impl XurDigest {
    /// A self-contained HTML fragment (a `<div>` with a sentence and a table, no scripts, no
    /// outside resources) for an email or the popup.
    pub fn to_html(&self) -> String {
        let mut html = String::from("<div class=\"courier-xur\">\n<p>");
        html.push_str(&escape_html(&self.headline()));
        html.push_str("</p>\n");
        if !self.sales.is_empty() {
            html.push_str("<table>\n<thead><tr>");
            for heading in ["Item", "Type", "Class", "Cost"] {
                let _ = write!(html, "<th>{}</th>", escape_html(heading));
            }
            html.push_str("</tr></thead>\n<tbody>\n");
            for sale in &self.sales {
                html.push_str("<tr>");
                for cell in sale.columns() {
                    let _ = write!(html, "<td>{}</td>", escape_html(&cell));
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str("</div>\n");
        html
    }

    /// Plain text: the headline, then one line per sale.
    pub fn to_text(&self) -> String {
        let mut text = self.headline();
        for sale in &self.sales {
            let [name, type_name, class, costs] = sale.columns();
            let what: Vec<String> = [type_name, class]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect();
            let _ = write!(text, "\n{name} ({}): {costs}", what.join(", "));
        }
        text
    }

    /// The first sentence: away, or here (until when) and whether he sells anything.
    fn headline(&self) -> String {
        if !self.present {
            return ABSENT.to_string();
        }
        let until = self
            .refresh_date
            .as_deref()
            .map_or_else(String::new, |date| format!(" until {date}"));
        if self.sales.is_empty() {
            format!("Xûr is here{until}; the answer did not list his stock.")
        } else {
            format!("Xûr is here{until}, selling:")
        }
    }
}

impl XurSale {
    /// Item (with its quantity when more than one), type, class, costs.
    fn columns(&self) -> [String; 4] {
        let name = if self.quantity > 1 {
            format!("{} ×{}", self.name, self.quantity)
        } else {
            self.name.clone()
        };
        let type_name = [tier_name(self.tier), self.type_name.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let class = match self.class_type {
            ClassType::Any => "Any class".to_string(),
            class => class.name().to_string(),
        };
        let costs = if self.costs.is_empty() {
            "free".to_string()
        } else {
            self.costs
                .iter()
                .map(|cost| format!("{} {}", cost.quantity, cost.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        [name, type_name, class, costs]
    }
}

/// The tier as the game names it; nothing when unknown.
fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Exotic => "Exotic",
        Tier::Legendary => "Legendary",
        Tier::Rare => "Rare",
        Tier::Common => "Common",
        Tier::Basic => "Basic",
        Tier::Unknown => "",
    }
}

/// Text made safe inside HTML elements and quoted attributes.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xur::Cost;

    fn sale(name: &str, quantity: i32, costs: Vec<Cost>) -> XurSale {
        XurSale {
            vendor_item_index: 0,
            item_hash: 1,
            name: name.to_string(),
            quantity,
            class_type: ClassType::Hunter,
            tier: Tier::Exotic,
            type_name: "Helmet".to_string(),
            icon: "/i.jpg".to_string(),
            costs,
        }
    }

    fn digest(sales: Vec<XurSale>) -> XurDigest {
        XurDigest {
            present: true,
            refresh_date: Some("2024-06-18T17:00:00Z".to_string()),
            sales,
        }
    }

    fn shards(quantity: i32) -> Cost {
        Cost {
            item_hash: 1022552290,
            name: "Legendary Shards".to_string(),
            quantity,
        }
    }

    #[test]
    fn escaping_covers_the_five_special_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("Xûr"), "Xûr");
    }

    #[test]
    fn html_is_a_table_of_name_type_class_and_costs() {
        let html = digest(vec![sale("Celestial Nighthawk", 1, vec![shards(23)])]).to_html();
        assert_eq!(
            html,
            "<div class=\"courier-xur\">\n<p>Xûr is here until 2024-06-18T17:00:00Z, selling:</p>\n\
             <table>\n<thead><tr><th>Item</th><th>Type</th><th>Class</th><th>Cost</th></tr></thead>\n\
             <tbody>\n<tr><td>Celestial Nighthawk</td><td>Exotic Helmet</td><td>Hunter</td>\
             <td>23 Legendary Shards</td></tr>\n</tbody>\n</table>\n</div>\n"
        );
    }

    #[test]
    fn text_has_one_line_per_sale_after_the_headline() {
        let text = digest(vec![
            sale("Celestial Nighthawk", 1, vec![shards(23)]),
            sale("Engram", 3, vec![]),
        ])
        .to_text();
        assert_eq!(
            text,
            "Xûr is here until 2024-06-18T17:00:00Z, selling:\n\
             Celestial Nighthawk (Exotic Helmet, Hunter): 23 Legendary Shards\n\
             Engram ×3 (Exotic Helmet, Hunter): free"
        );
    }

    #[test]
    fn unknown_types_are_left_out_and_any_class_is_said() {
        let mut unknown = sale("Item 42", 1, vec![shards(1), shards(2)]);
        unknown.tier = Tier::Unknown;
        unknown.type_name.clear();
        unknown.class_type = ClassType::Any;
        assert_eq!(
            unknown.columns(),
            [
                "Item 42",
                "",
                "Any class",
                "1 Legendary Shards, 2 Legendary Shards"
            ]
        );
        assert!(
            digest(vec![unknown])
                .to_text()
                .ends_with("Item 42 (Any class): 1 Legendary Shards, 2 Legendary Shards")
        );
    }

    #[test]
    fn every_piece_of_text_is_escaped_in_html() {
        let mut hostile = sale("<script>alert(1)</script>", 1, vec![]);
        hostile.type_name = "Hand & Cannon".to_string();
        hostile.costs = vec![Cost {
            item_hash: 2,
            name: "<b>Coins</b>".to_string(),
            quantity: 1,
        }];
        let mut digest = digest(vec![hostile]);
        digest.refresh_date = Some("\"><img src=x>".to_string());
        let html = digest.to_html();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("Exotic Hand &amp; Cannon"), "{html}");
        assert!(html.contains("1 &lt;b&gt;Coins&lt;/b&gt;"), "{html}");
        assert!(html.contains("until &quot;&gt;&lt;img src=x&gt;"), "{html}");
        // The text form is for plain-text mail: nothing is escaped there.
        assert!(
            digest
                .to_text()
                .contains("<script>alert(1)</script> (Exotic Hand & Cannon")
        );
    }

    #[test]
    fn an_away_xur_is_one_sentence() {
        let away = XurDigest::absent();
        assert_eq!(away.to_text(), "Xûr is not here this week.");
        assert_eq!(
            away.to_html(),
            "<div class=\"courier-xur\">\n<p>Xûr is not here this week.</p>\n</div>\n"
        );
    }

    #[test]
    fn a_present_xur_without_stock_says_so() {
        let mut empty = digest(vec![]);
        empty.refresh_date = None;
        assert_eq!(
            empty.to_text(),
            "Xûr is here; the answer did not list his stock."
        );
        assert!(!empty.to_html().contains("<table>"));
    }
}
