//! `courier-host profile`: the signed-in player's characters and how many items each place
//! holds. [`Summary`] is also what `inspect profile` prints for a saved answer.

use std::process::ExitCode;

use courier_core::api::Component;
use courier_core::exec::PROFILE_COMPONENTS;
use courier_core::model::{CharacterId, Inventory, Location};
use serde::Serialize;

use super::output;
use crate::driver::{self, SignIn};

/// Flags of `courier-host profile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `courier-host profile`.
pub fn run(api_key: Option<String>, args: Args) -> anyhow::Result<ExitCode> {
    let client = driver::connect(api_key, SignIn::Required)?;
    let components: Vec<Component> = PROFILE_COMPONENTS
        .into_iter()
        .chain([Component::ProfileCurrencies])
        .collect();
    let inventory = driver::block_on(client.profile(&components))??;
    Summary::of(&inventory).print(args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// The characters and the item counts per place of one inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The platform (`membershipType`).
    pub membership_type: i32,
    /// The Destiny membership id (as a string, like every int64 bungie.net sends).
    pub membership_id: String,
    /// The characters, most recently played first.
    pub characters: Vec<CharacterSummary>,
    /// Items (each stack counts once) in the vault.
    pub vault: usize,
    /// Items in the account-wide buckets (consumables, modifications, currencies).
    pub account: usize,
}

/// One character and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CharacterSummary {
    /// The character id.
    pub id: CharacterId,
    /// "Titan", "Hunter" or "Warlock".
    pub class: &'static str,
    /// Its power level.
    pub light: i32,
    /// When it was last played (RFC 3339).
    pub date_last_played: String,
    /// Items it carries, not equipped.
    pub inventory: usize,
    /// Items it has equipped.
    pub equipped: usize,
    /// Items waiting in its postmaster.
    pub postmaster: usize,
}

impl Summary {
    /// Counts every item of the inventory by where it is.
    pub fn of(inventory: &Inventory) -> Self {
        let count = |wanted: &dyn Fn(Location, bool) -> bool| {
            inventory
                .items
                .iter()
                .filter(|item| wanted(item.location, item.equipped))
                .count()
        };
        let characters = inventory
            .characters
            .iter()
            .map(|character| {
                let id = character.id;
                CharacterSummary {
                    id,
                    class: character.class_type.name(),
                    light: character.light,
                    date_last_played: character.date_last_played.clone(),
                    inventory: count(&|at, equipped| at == Location::Character(id) && !equipped),
                    equipped: count(&|at, equipped| at == Location::Character(id) && equipped),
                    postmaster: count(&|at, _| at == Location::Postmaster(id)),
                }
            })
            .collect();
        Self {
            membership_type: inventory.membership_type,
            membership_id: inventory.membership_id.to_string(),
            characters,
            vault: count(&|at, _| at == Location::Vault),
            account: count(&|at, _| at == Location::Account),
        }
    }

    /// Prints the summary on stdout, as JSON or as text.
    pub fn print(&self, json: bool) -> anyhow::Result<()> {
        if json {
            output::print_line(&serde_json::to_string_pretty(self)?)
        } else {
            output::print(&self.to_text())
        }
    }

    /// The summary as lines of text.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "Destiny account {} (platform {})\n",
            self.membership_id, self.membership_type
        );
        for c in &self.characters {
            let played = if c.date_last_played.is_empty() {
                "never"
            } else {
                &c.date_last_played
            };
            text.push_str(&format!(
                "{:<7} {}  light {}  last played {played}\n  inventory {}, equipped {}, postmaster {}\n",
                c.class, c.id, c.light, c.inventory, c.equipped, c.postmaster
            ));
        }
        text.push_str(&format!(
            "Vault: {}\nAccount-wide: {}\n",
            self.vault, self.account
        ));
        text
    }
}

#[cfg(test)]
mod tests {
    use courier_core::model::{Character, ClassType, Item};

    use super::*;

    fn item(location: Location, equipped: bool) -> Item {
        Item {
            instance_id: None,
            hash: 1,
            quantity: 1,
            bucket_hash: 0,
            location,
            equipped,
            locked: false,
            lockable: false,
            transfer_status: 0,
            power: None,
        }
    }

    #[test]
    fn items_are_counted_where_they_are() {
        let titan = CharacterId(7);
        let inventory = Inventory {
            membership_type: 2,
            membership_id: 4611686018400000001,
            characters: vec![Character {
                id: titan,
                class_type: ClassType::Titan,
                light: 1810,
                emblem_path: String::new(),
                emblem_background_path: String::new(),
                date_last_played: "2024-06-13T18:00:00Z".into(),
            }],
            items: vec![
                item(Location::Vault, false),
                item(Location::Vault, false),
                item(Location::Account, false),
                item(Location::Character(titan), true),
                item(Location::Character(titan), false),
                item(Location::Character(titan), false),
                item(Location::Postmaster(titan), false),
            ],
            minted: None,
        };
        let summary = Summary::of(&inventory);
        assert_eq!((summary.vault, summary.account), (2, 1));
        let c = &summary.characters[0];
        assert_eq!((c.inventory, c.equipped, c.postmaster), (2, 1, 1));
        assert_eq!(
            summary.to_text(),
            "Destiny account 4611686018400000001 (platform 2)\n\
             Titan   7  light 1810  last played 2024-06-13T18:00:00Z\n  \
             inventory 2, equipped 1, postmaster 1\nVault: 2\nAccount-wide: 1\n"
        );
        let json = serde_json::to_value(&summary).expect("serializes");
        assert_eq!(json["characters"][0]["id"], "7");
        assert_eq!(json["membershipId"], "4611686018400000001");
    }
}
