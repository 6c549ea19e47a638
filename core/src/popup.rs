//! The protocol between the extension's pages (popup, options) and its service worker, defined
//! once here: requests are serde-tagged by `type` (JS sends the same names), answers carry
//! `ok`. Core also builds the views the popup renders, so the JS glue only draws them.

use serde::{Deserialize, Serialize};

use crate::model::{
    CharacterId, ClassType, Definitions, Inventory, Item, ItemId, Location, Tier, buckets,
};
use crate::order;
use crate::plan::{Intent, MakeRoom};

/// A message from the popup or options page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PopupRequest {
    /// The current snapshot (cached at once, refreshed in the background).
    State,
    /// Read the inventory again now.
    Refresh,
    /// Which items a search matches.
    Search {
        /// The search text.
        query: String,
    },
    /// Plan an intent without running it (the preview).
    Plan {
        /// What to do.
        intent: Intent,
    },
    /// Plan and run an intent; answers a run id.
    #[serde(rename_all = "camelCase")]
    Run {
        /// What to do.
        intent: Intent,
        /// Whether items may be moved aside to make room.
        #[serde(default)]
        allow_make_room: bool,
    },
    /// How far a run is.
    #[serde(rename_all = "camelCase")]
    Progress {
        /// The run.
        run_id: String,
    },
    /// Stop a run after the step in flight.
    #[serde(rename_all = "camelCase")]
    Cancel {
        /// The run.
        run_id: String,
    },
    /// Xur's stock.
    Xur,
    /// Sign in: `method` is `psn` (with `username` and `password`, or `npsso`) or `oauth`.
    SignIn(SignIn),
    /// Forget the session or tokens.
    SignOut,
    /// The options.
    Options,
    /// Change the options.
    SetOptions {
        /// The new options.
        options: Options,
    },
}

/// How to sign in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SignIn {
    /// Through the native host's PlayStation sign-in.
    Psn(PsnCredentials),
    /// Through Bungie's OAuth page.
    Oauth,
}

/// What the PlayStation sign-in takes: a password, or Sony's `npsso` cookie.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PsnCredentials {
    /// Sign-in id and password.
    Password {
        /// The PSN sign-in id.
        username: String,
        /// The password (passed straight to the native host, never stored).
        password: String,
    },
    /// Sony's `npsso` cookie value.
    Npsso {
        /// The cookie value.
        npsso: String,
    },
}

impl std::fmt::Debug for PsnCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PsnCredentials::Password { username, .. } => {
                write!(f, "Password {{ username: {username:?}, password: *** }}")
            }
            PsnCredentials::Npsso { .. } => write!(f, "Npsso(***)"),
        }
    }
}

/// What the options page sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Options {
    /// The bungie.net API key.
    pub api_key: String,
    /// Where bungie.net is (the sandbox for the demo).
    pub bungie_origin: String,
    /// Whether runs may move items aside by default.
    pub make_room: MakeRoom,
    /// The OAuth client id (for the OAuth sign-in).
    #[serde(default)]
    pub oauth_client_id: String,
    /// The OAuth client secret (confidential clients get refresh tokens).
    #[serde(default)]
    pub oauth_client_secret: String,
}

/// A failure answer's body: `{ok:false, error:{kind, message}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What kind of failure, for the page to pick its wording and actions.
    pub kind: String,
    /// A sentence saying what happened and what to do.
    pub message: String,
}

/// One character in the popup's header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CharacterView {
    /// The character id.
    pub id: CharacterId,
    /// Its class.
    pub class_type: ClassType,
    /// "Titan", "Hunter" or "Warlock".
    pub class_name: String,
    /// Its power.
    pub light: i32,
    /// Its emblem's icon path.
    pub emblem_path: String,
}

/// How full a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    /// Stacks in it.
    pub count: u32,
    /// Stacks it holds.
    pub capacity: u32,
}

/// One item as the popup draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    /// The instance, for instanced items.
    pub item_id: Option<ItemId>,
    /// The item hash.
    pub hash: u32,
    /// The name (from definitions, else "Item HASH").
    pub name: String,
    /// The icon path, if known.
    pub icon: Option<String>,
    /// The tier, for its colour.
    pub tier: Tier,
    /// Its power, for weapons and armor.
    pub power: Option<i32>,
    /// The stack size.
    pub quantity: i32,
    /// Whether it is equipped.
    pub equipped: bool,
    /// Whether it is locked.
    pub locked: bool,
    /// Whether it can be locked.
    pub lockable: bool,
    /// The class that may use it.
    pub class_type: ClassType,
    /// The bucket it belongs to (its definition's, else where it sits).
    pub bucket_hash: u32,
    /// Where it is.
    pub location: Location,
}

/// A bucket of one store, for the gear grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketView {
    /// The bucket hash.
    pub hash: u32,
    /// Its name.
    pub name: String,
    /// Its items, equipped first, then by power.
    pub items: Vec<ItemView>,
}

/// Everything the popup shows, built by core from the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Always true (a snapshot is a success answer).
    pub ok: bool,
    /// Whether the worker has a working session or token.
    pub signed_in: bool,
    /// `cookie`, `psn` or `oauth`.
    pub auth_mode: String,
    /// The characters, most recently played first.
    pub characters: Vec<CharacterView>,
    /// The vault's fill.
    pub vault: Fill,
    /// Each character's postmaster fill, by character id.
    pub postmaster: Vec<PostmasterFill>,
    /// Whether this is a cached copy waiting for a refresh.
    pub stale: bool,
    /// `responseMintedTimestamp` of the inventory shown.
    pub minted_at: Option<String>,
    /// The gear per store: each character, then the vault.
    pub stores: Vec<StoreView>,
}

/// One character's postmaster fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostmasterFill {
    /// The character.
    pub character_id: CharacterId,
    /// How full.
    #[serde(flatten)]
    pub fill: Fill,
}

/// A store's gear by bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreView {
    /// `vault` or the character id.
    pub id: String,
    /// Its buckets, in the game's order.
    pub buckets: Vec<BucketView>,
}

/// The buckets the popup shows, in the game's order.
const SHOWN_BUCKETS: [u32; 11] = [
    buckets::KINETIC,
    buckets::ENERGY,
    buckets::POWER,
    buckets::HELMET,
    buckets::GAUNTLETS,
    buckets::CHEST,
    buckets::LEGS,
    buckets::CLASS_ITEM,
    buckets::GHOST,
    buckets::CONSUMABLES,
    buckets::MODIFICATIONS,
];

/// One item's view.
pub fn item_view(definitions: &Definitions, item: &Item) -> ItemView {
    let def = definitions.item(item.hash);
    ItemView {
        item_id: item.instance_id,
        hash: item.hash,
        name: definitions.name(item.hash),
        icon: def.map(|d| d.icon.clone()).filter(|icon| !icon.is_empty()),
        tier: def.map_or(Tier::Unknown, |d| d.tier),
        power: item.power,
        quantity: item.quantity,
        equipped: item.equipped,
        locked: item.locked,
        lockable: item.lockable,
        class_type: def.map_or(ClassType::Any, |d| d.class_type),
        bucket_hash: def.map_or(item.bucket_hash, |d| d.bucket_hash),
        location: item.location,
    }
}

/// The snapshot the popup renders.
pub fn snapshot(
    inventory: &Inventory,
    definitions: &Definitions,
    signed_in: bool,
    auth_mode: &str,
    stale: bool,
) -> Snapshot {
    let count_at = |location: Location, bucket: u32| {
        inventory
            .items
            .iter()
            .filter(|i| i.location == location && i.bucket_hash == bucket)
            .count() as u32
    };
    let characters = inventory
        .characters
        .iter()
        .map(|c| CharacterView {
            id: c.id,
            class_type: c.class_type,
            class_name: c.class_type.name().to_string(),
            light: c.light,
            emblem_path: c.emblem_path.clone(),
        })
        .collect();
    let postmaster = inventory
        .characters
        .iter()
        .map(|c| PostmasterFill {
            character_id: c.id,
            fill: Fill {
                count: count_at(Location::Postmaster(c.id), buckets::POSTMASTER),
                capacity: definitions.capacity(buckets::POSTMASTER),
            },
        })
        .collect();
    let mut stores: Vec<StoreView> = inventory
        .characters
        .iter()
        .map(|c| {
            store(inventory, definitions, c.id.to_string(), |l| {
                l == Location::Character(c.id) || l == Location::Postmaster(c.id)
            })
        })
        .collect();
    stores.push(store(inventory, definitions, "vault".into(), |l| {
        l == Location::Vault || l == Location::Account
    }));
    Snapshot {
        ok: true,
        signed_in,
        auth_mode: auth_mode.to_string(),
        characters,
        vault: Fill {
            count: count_at(Location::Vault, buckets::VAULT),
            capacity: definitions.capacity(buckets::VAULT),
        },
        postmaster,
        stale,
        minted_at: inventory.minted.clone(),
        stores,
    }
}

/// A store's items grouped by the bucket they belong to.
fn store(
    inventory: &Inventory,
    definitions: &Definitions,
    id: String,
    at: impl Fn(Location) -> bool,
) -> StoreView {
    let mut views: Vec<ItemView> = inventory
        .items
        .iter()
        .filter(|i| at(i.location))
        .map(|i| item_view(definitions, i))
        .collect();
    // Equipped first, then by power, then by name.
    order::sort_by(&mut views, |a, b| {
        let key = |v: &ItemView| (!v.equipped, std::cmp::Reverse(v.power.unwrap_or(0)));
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    let mut grouped: Vec<BucketView> = Vec::new();
    for view in views {
        let bucket = if matches!(view.location, Location::Postmaster(_)) {
            buckets::POSTMASTER
        } else {
            view.bucket_hash
        };
        match grouped.iter_mut().find(|b| b.hash == bucket) {
            Some(group) => group.items.push(view),
            None => grouped.push(BucketView {
                hash: bucket,
                name: definitions
                    .buckets
                    .get(&bucket)
                    .map_or_else(|| format!("Bucket {bucket}"), |b| b.name.clone()),
                items: vec![view],
            }),
        }
    }
    let rank = |hash: u32| {
        SHOWN_BUCKETS
            .iter()
            .position(|b| *b == hash)
            .unwrap_or(SHOWN_BUCKETS.len())
    };
    order::sort_by(&mut grouped, |a, b| {
        (rank(a.hash), a.hash).cmp(&(rank(b.hash), b.hash))
    });
    StoreView {
        id,
        buckets: grouped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_the_names_js_sends() {
        let parse = |text: &str| serde_json::from_str::<PopupRequest>(text).expect(text);
        assert_eq!(parse(r#"{"type":"state"}"#), PopupRequest::State);
        assert_eq!(
            parse(r#"{"type":"search","query":"is:weapon"}"#),
            PopupRequest::Search {
                query: "is:weapon".into()
            }
        );
        assert!(matches!(
            parse(
                r#"{"type":"run","intent":{"kind":"move","itemId":"5","to":"vault"},"allowMakeRoom":true}"#
            ),
            PopupRequest::Run {
                allow_make_room: true,
                ..
            }
        ));
        assert_eq!(
            parse(r#"{"type":"progress","runId":"r1"}"#),
            PopupRequest::Progress {
                run_id: "r1".into()
            }
        );
        assert_eq!(
            parse(r#"{"type":"sign_in","method":"psn","username":"a@b.c","password":"pw"}"#),
            PopupRequest::SignIn(SignIn::Psn(PsnCredentials::Password {
                username: "a@b.c".into(),
                password: "pw".into()
            }))
        );
        assert_eq!(
            parse(r#"{"type":"sign_in","method":"psn","npsso":"x"}"#),
            PopupRequest::SignIn(SignIn::Psn(PsnCredentials::Npsso { npsso: "x".into() }))
        );
        assert_eq!(
            parse(r#"{"type":"sign_in","method":"oauth"}"#),
            PopupRequest::SignIn(SignIn::Oauth)
        );
        assert!(matches!(
            parse(
                r#"{"type":"set_options","options":{"apiKey":"k","bungieOrigin":"https://www.bungie.net","makeRoom":"allowed"}}"#
            ),
            PopupRequest::SetOptions {
                options: Options {
                    make_room: MakeRoom::Allowed,
                    ..
                }
            }
        ));
        assert!(serde_json::from_str::<PopupRequest>(r#"{"type":"launch_missiles"}"#).is_err());
        let debug = format!(
            "{:?}",
            parse(r#"{"type":"sign_in","method":"psn","username":"a","password":"secret-pw"}"#)
        );
        assert!(!debug.contains("secret-pw"), "{debug}");
    }

    #[test]
    fn the_snapshot_counts_and_groups() {
        let character = crate::model::Character {
            id: CharacterId(1),
            class_type: ClassType::Hunter,
            light: 1810,
            emblem_path: "/e.jpg".into(),
            emblem_background_path: String::new(),
            date_last_played: String::new(),
        };
        let item = |id: i64, location, bucket_hash, equipped| Item {
            instance_id: Some(ItemId(id)),
            hash: 9,
            quantity: 1,
            bucket_hash,
            location,
            equipped,
            locked: false,
            lockable: true,
            transfer_status: 0,
            power: Some(1800 + id as i32),
        };
        let inventory = Inventory {
            membership_type: 2,
            membership_id: 3,
            characters: vec![character],
            items: vec![
                item(
                    1,
                    Location::Character(CharacterId(1)),
                    buckets::KINETIC,
                    true,
                ),
                item(
                    2,
                    Location::Character(CharacterId(1)),
                    buckets::KINETIC,
                    false,
                ),
                item(3, Location::Vault, buckets::VAULT, false),
                item(
                    4,
                    Location::Postmaster(CharacterId(1)),
                    buckets::POSTMASTER,
                    false,
                ),
            ],
            minted: Some("2026-01-01T00:00:00Z".into()),
        };
        let snapshot = snapshot(&inventory, &Definitions::default(), true, "cookie", false);
        assert_eq!(
            snapshot.vault,
            Fill {
                count: 1,
                capacity: crate::model::DEFAULT_VAULT_CAPACITY
            }
        );
        assert_eq!(snapshot.postmaster[0].fill.count, 1);
        assert_eq!(snapshot.characters[0].class_name, "Hunter");
        let hunter = &snapshot.stores[0];
        assert_eq!(hunter.buckets[0].hash, buckets::KINETIC);
        assert!(hunter.buckets[0].items[0].equipped, "equipped first");
        assert_eq!(
            hunter.buckets[0].items[0].name, "Item 9",
            "hashes stand in for names"
        );
        assert!(hunter.buckets.iter().any(|b| b.hash == buckets::POSTMASTER));
        assert_eq!(snapshot.stores[1].id, "vault");
        let json = serde_json::to_value(&snapshot).expect("serializes");
        assert_eq!(json["characters"][0]["id"], "1", "ids are strings");
        assert_eq!(json["vault"]["count"], 1);
        assert_eq!(json["mintedAt"], "2026-01-01T00:00:00Z");
    }
}
