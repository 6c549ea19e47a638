//! The simulator's state dump (`GET /__sim/state`), with the lookups the walk needs to choose
//! requests the game rules allow.

use serde_json::Value;

/// The state dump's world.
pub struct WorldDump<'a> {
    /// The dump's `world`.
    pub world: &'a Value,
}

/// An item of the state dump and the index of the character it is on, or is for.
#[derive(Debug, Clone)]
pub struct Pick {
    /// The item as the dump has it.
    pub item: Value,
    /// The character index.
    pub character: usize,
}

impl<'a> WorldDump<'a> {
    /// Every item, wherever it is.
    pub fn items(&self) -> impl Iterator<Item = &'a Value> + 'a {
        self.world["items"]
            .as_array()
            .expect("the state dump lists items")
            .iter()
    }

    /// The item definition of an item.
    pub fn def(&self, item: &Value) -> &'a Value {
        let hash = item["hash"].as_u64().expect("an item hash").to_string();
        &self.world["definitions"]["items"][hash]
    }

    /// The bucket definition with this hash.
    pub fn bucket(&self, hash: &Value) -> &'a Value {
        let hash = hash.as_u64().expect("a bucket hash").to_string();
        &self.world["definitions"]["buckets"][hash]
    }

    /// How many characters the account has.
    pub fn characters(&self) -> usize {
        self.world["characters"].as_array().map_or(0, Vec::len)
    }

    /// The id of the character at `index`, as the wire carries it.
    pub fn character_id(&self, index: usize) -> String {
        let id = self.world["characters"][index]["id"].as_i64();
        id.expect("a character id").to_string()
    }

    /// The Destiny membership id, as the wire carries it.
    pub fn destiny_membership_id(&self) -> String {
        let id = self.world["account"]["destinyMembershipId"].as_i64();
        id.expect("a Destiny membership id").to_string()
    }

    /// The platform's membership type.
    pub fn membership_type(&self) -> i64 {
        let kind = self.world["account"]["membershipType"].as_i64();
        kind.expect("a membership type")
    }

    /// Whether the character at `index` may use an item of this definition.
    pub fn class_fits(&self, def: &Value, index: usize) -> bool {
        let class = def["classType"].as_u64();
        class == Some(3) || class == self.world["characters"][index]["classType"].as_u64()
    }

    /// Whether the character at `index` has a free slot in the bucket of this definition.
    pub fn has_room(&self, def: &Value, index: usize) -> bool {
        let bucket = &def["bucketTypeHash"];
        let used = self
            .items()
            .filter(|item| is_on(item, "character", index) && item["bucketHash"] == *bucket)
            .count();
        let capacity = self.bucket(bucket)["itemCount"].as_u64().unwrap_or(0);
        (used as u64) < capacity
    }

    /// The first item at a place kind that passes `test` for some character (for vault items,
    /// any character; otherwise the one holding it).
    pub fn find(&self, kind: &str, test: impl Fn(&Value, &Value, usize) -> bool) -> Option<Pick> {
        self.items().find_map(|item| {
            let def = self.def(item);
            (0..self.characters())
                .filter(|index| kind == "vault" || item["place"]["character"] == *index)
                .find(|index| item["place"]["kind"] == kind && test(item, def, *index))
                .map(|character| Pick {
                    item: item.clone(),
                    character,
                })
        })
    }
}

/// Whether an item is at a place kind of one character.
fn is_on(item: &Value, kind: &str, index: usize) -> bool {
    item["place"]["kind"] == kind && item["place"]["character"] == index
}

/// The instance id of a state-dump item as the wire carries it ("0" for a stack).
pub fn instance_id(item: &Value) -> String {
    item["instanceId"]
        .as_i64()
        .map_or_else(|| "0".to_string(), |id| id.to_string())
}

/// A weapon or armor piece that may be equipped without an exotic conflict.
pub fn plain_equippable(item: &Value, def: &Value) -> bool {
    item["equipped"] == false && def["equippable"] == true && def["tierType"] != 6
}
