//! `courier-host xur`: Xûr's stock as courier-core's digest, from a saved vendor answer or from
//! bungie.net (the public vendors when not signed in, else GetVendor for each of the session's
//! characters, which shows each its class armor), printed as text or JSON, written as HTML, or
//! mailed. When Xûr is away it says so and mails nothing.

mod mail;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use courier_core::api::{ApiRequest, Component};
use courier_core::model::Definitions;
use courier_core::xur::{XUR_COMPONENTS, XUR_VENDOR_HASH, XurDigest, XurSource};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::output;
use crate::driver::client::Bungie;
use crate::driver::{self, SignIn, definitions};
use mail::Mail;

/// The subject of the mailed digest.
const SUBJECT: &str = "Xûr this week";
/// `DestinyVendorNotFound`: GetVendor's answer when Xûr is away.
const VENDOR_NOT_FOUND: i32 = 1627;

/// Flags of `courier-host xur`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read a saved vendor answer (GetVendor, GetVendors or GetPublicVendors) instead of asking
    /// bungie.net; names come from the definitions cached by an earlier run.
    #[arg(long, value_name = "FILE")]
    vendors_file: Option<PathBuf>,
    /// Print the digest as JSON.
    #[arg(long)]
    json: bool,
    /// Mail the digest (HTML with a plain-text alternative) to this address.
    #[arg(long, value_name = "TO", requires_all = ["from", "smtp"])]
    email: Option<String>,
    /// The sender of the mail.
    #[arg(long, value_name = "FROM", requires = "email")]
    from: Option<String>,
    /// The SMTP server: `smtps://host[:port]` (TLS), `smtp://host[:port]` (STARTTLS; plain only
    /// to this machine); a user and password may come in the URL.
    #[arg(long, value_name = "URL", requires = "email")]
    smtp: Option<String>,
    /// Write the digest as an HTML page to this file.
    #[arg(long, value_name = "FILE")]
    html_out: Option<PathBuf>,
}

/// Runs `courier-host xur`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    // Bad mail settings fail before anything is fetched.
    let mail = match (&args.email, &args.from, &args.smtp) {
        (Some(to), Some(from), Some(smtp)) => Some(Mail::new(to, from, smtp)?),
        _ => None,
    };
    let cache_dir = driver::cache_dir()?;
    let digest = match &args.vendors_file {
        Some(file) => from_file(file, &cache_dir)?,
        None => {
            let client = driver::connect(api_key, SignIn::Optional)?;
            driver::block_on(from_bungie(&client, &cache_dir))??
        }
    };
    if args.json {
        output::print_line(&serde_json::to_string_pretty(&digest)?)?;
    } else {
        output::print_line(&digest.to_text())?;
    }
    if let Some(path) = &args.html_out {
        std::fs::write(path, html_page(&digest))
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    if let Some(mail) = mail {
        if digest.present {
            driver::block_on(mail.send(SUBJECT, &digest.to_text(), &html_page(&digest)))??;
            eprintln!("Mailed the digest to {}.", mail.to());
        } else {
            eprintln!("Xûr is not here, so no mail was sent.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The digest of a saved answer, named with the newest cached definitions.
fn from_file(file: &Path, cache_dir: &Path) -> anyhow::Result<XurDigest> {
    let body = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let definitions = definitions::latest_cached(cache_dir).unwrap_or_else(|| {
        eprintln!(
            "note: no cached definitions in {}, so items show as hashes; run `courier-host xur` \
             online once to cache them",
            cache_dir.display()
        );
        Definitions::default()
    });
    XurDigest::from_answer(
        source_of(&body),
        200,
        Some("application/json"),
        &body,
        &definitions,
    )
    .with_context(|| format!("{} is not a vendor answer Courier can read", file.display()))
}

/// The parts of a saved answer that tell which request it answered.
#[derive(Deserialize)]
struct Shape {
    #[serde(rename = "ErrorCode", default)]
    error_code: Option<i32>,
    #[serde(rename = "Response", default)]
    response: Option<ResponseShape>,
}

#[derive(Deserialize)]
struct ResponseShape {
    /// GetVendor answers one `vendor`; the lists answer `vendors` keyed by hash.
    #[serde(default)]
    vendor: Option<IgnoredAny>,
}

/// GetVendor's answer has one `vendor` (or is 1627, Xûr away); the lists (GetVendors and
/// GetPublicVendors, read alike) have them keyed by hash.
fn source_of(body: &[u8]) -> XurSource {
    match serde_json::from_slice::<Shape>(body) {
        Ok(shape)
            if shape.error_code == Some(VENDOR_NOT_FOUND)
                || shape.response.as_ref().is_some_and(|r| r.vendor.is_some()) =>
        {
            XurSource::Vendor
        }
        _ => XurSource::PublicVendors,
    }
}

/// The digest from bungie.net: each character's GetVendor when signed in, else the public
/// vendors.
async fn from_bungie(client: &Bungie, cache_dir: &Path) -> anyhow::Result<XurDigest> {
    let definitions = definitions::load(client, cache_dir).await?;
    if !client.is_signed_in() {
        let request = ApiRequest::get_public_vendors(&XUR_COMPONENTS);
        return digest_of(client, XurSource::PublicVendors, &request, &definitions).await;
    }
    let profile = client
        .profile(&[Component::Profiles, Component::Characters])
        .await?;
    let mut digests = Vec::new();
    for character in &profile.characters {
        let request = ApiRequest::get_vendor(
            profile.membership_type,
            profile.membership_id,
            character.id,
            XUR_VENDOR_HASH,
            &XUR_COMPONENTS,
        );
        digests.push(digest_of(client, XurSource::Vendor, &request, &definitions).await?);
    }
    Ok(merge(digests))
}

/// One answer's digest.
async fn digest_of(
    client: &Bungie,
    source: XurSource,
    request: &ApiRequest,
    definitions: &Definitions,
) -> anyhow::Result<XurDigest> {
    let answer = client.send_or_explain(request).await?;
    XurDigest::from_answer(
        source,
        answer.status,
        answer.content_type.as_deref(),
        &answer.body,
        definitions,
    )
    .with_context(|| format!("bungie.net refused {}", request.endpoint.name()))
}

/// One digest of the characters' digests: here when he is here for any, every sale once (each
/// character sees its own class armor), in vendor item order.
fn merge(digests: Vec<XurDigest>) -> XurDigest {
    let mut merged = XurDigest::absent();
    for digest in digests.into_iter().filter(|d| d.present) {
        merged.present = true;
        merged.refresh_date = merged.refresh_date.or(digest.refresh_date);
        for sale in digest.sales {
            if !merged
                .sales
                .iter()
                .any(|s| s.vendor_item_index == sale.vendor_item_index)
            {
                merged.sales.push(sale);
            }
        }
    }
    merged.sales.sort_by_key(|sale| sale.vendor_item_index);
    merged
}

/// The digest's HTML fragment as a whole page.
fn html_page(digest: &XurDigest) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{SUBJECT}</title>\n</head>\n<body>\n{}</body>\n</html>\n",
        digest.to_html()
    )
}

#[cfg(test)]
mod tests {
    use courier_core::model::{ClassType, Tier};
    use courier_core::xur::XurSale;

    use super::*;

    fn sale(index: i32, name: &str, class_type: ClassType) -> XurSale {
        XurSale {
            vendor_item_index: index,
            item_hash: u32::try_from(index).expect("small"),
            name: name.into(),
            quantity: 1,
            class_type,
            tier: Tier::Exotic,
            type_name: String::new(),
            icon: String::new(),
            costs: Vec::new(),
        }
    }

    fn here(sales: Vec<XurSale>) -> XurDigest {
        XurDigest {
            present: true,
            refresh_date: Some("2024-06-18T17:00:00Z".into()),
            sales,
        }
    }

    #[test]
    fn each_characters_class_armor_joins_the_shared_stock_once() {
        let titan = here(vec![
            sale(1, "Gjallarhorn", ClassType::Any),
            sale(5, "Titan helm", ClassType::Titan),
        ]);
        let hunter = here(vec![
            sale(1, "Gjallarhorn", ClassType::Any),
            sale(3, "Hunter cloak", ClassType::Hunter),
        ]);
        let merged = merge(vec![titan, hunter]);
        assert!(merged.present);
        let names: Vec<&str> = merged.sales.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Gjallarhorn", "Hunter cloak", "Titan helm"]);
        assert_eq!(merged.refresh_date.as_deref(), Some("2024-06-18T17:00:00Z"));
    }

    #[test]
    fn away_for_everyone_is_away() {
        assert_eq!(
            merge(vec![XurDigest::absent(), XurDigest::absent()]),
            XurDigest::absent()
        );
        assert_eq!(merge(Vec::new()), XurDigest::absent());
    }

    #[test]
    fn saved_answers_are_told_apart_by_shape() {
        let vendor = br#"{"Response":{"vendor":{"data":{}},"sales":{}},"ErrorCode":1}"#;
        let away = br#"{"ErrorCode":1627,"ErrorStatus":"DestinyVendorNotFound"}"#;
        let lists = br#"{"Response":{"vendors":{"data":{}},"sales":{}},"ErrorCode":1}"#;
        assert_eq!(source_of(vendor), XurSource::Vendor);
        assert_eq!(source_of(away), XurSource::Vendor);
        assert_eq!(source_of(lists), XurSource::PublicVendors);
        assert_eq!(source_of(b"<html>"), XurSource::PublicVendors);
    }

    #[test]
    fn the_real_character_vendors_answer_reads_as_a_list() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/real-data/vendors-2024-06-13.json"
        );
        let Ok(body) = std::fs::read(path) else {
            eprintln!("skipped: ../shared/real-data/vendors-2024-06-13.json is absent");
            return;
        };
        assert_eq!(source_of(&body), XurSource::PublicVendors);
    }

    #[test]
    fn the_page_wraps_the_fragment() {
        let page = html_page(&here(vec![sale(1, "Gjallarhorn", ClassType::Any)]));
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(page.contains("Gjallarhorn"));
    }
}
