//! The game rules of item actions, as plain functions over a [`World`]: each either changes
//! the world as the game would, or refuses with the error code bungie.net answers, changing
//! nothing.

use crate::envelope::{self, PlatformError};
use crate::world::{BucketScope, Item, ItemDef, Place, World, buckets, class_type};

/// A `TransferItem` request, with ids resolved.
#[derive(Debug, Clone, Copy)]
pub struct Transfer {
    /// `itemReferenceHash`.
    pub item_hash: u32,
    /// `stackSize`.
    pub stack_size: i32,
    /// `transferToVault`.
    pub to_vault: bool,
    /// `itemId` (0 for uninstanced stacks).
    pub item_id: i64,
    /// Index of `characterId`: the holder when going to the vault, the destination otherwise.
    pub character: usize,
}

/// A `PullFromPostmaster` request, with ids resolved.
#[derive(Debug, Clone, Copy)]
pub struct Pull {
    /// `itemReferenceHash`.
    pub item_hash: u32,
    /// `stackSize`.
    pub stack_size: i32,
    /// `itemId` (0 for uninstanced stacks).
    pub item_id: i64,
    /// Index of the character whose postmaster holds it.
    pub character: usize,
}

fn not_found(what: impl std::fmt::Display) -> PlatformError {
    PlatformError::new(
        envelope::DESTINY_ITEM_NOT_FOUND,
        format!("The item {what} was not found."),
    )
}

/// Finds the item a request names: by instance id, or for stacks (id 0) by hash, at a place
/// the predicate accepts. A wrong hash for an instance is not found too.
fn find(
    world: &World,
    item_id: i64,
    item_hash: u32,
    at: impl Fn(Place) -> bool,
    where_: &str,
) -> Result<usize, PlatformError> {
    let index = if item_id != 0 {
        world
            .item_index(item_id)
            .filter(|&i| item_hash == 0 || world.items[i].hash == item_hash)
    } else {
        world
            .items
            .iter()
            .position(|i| i.instance_id.is_none() && i.hash == item_hash && at(i.place))
    };
    let label = if item_id != 0 {
        item_id.to_string()
    } else {
        format!("with hash {item_hash}")
    };
    match index {
        Some(i) if at(world.items[i].place) => Ok(i),
        Some(_) => Err(PlatformError::new(
            envelope::DESTINY_ITEM_NOT_FOUND,
            format!("The item {label} is not {where_}."),
        )),
        None => Err(not_found(label)),
    }
}

/// The definition of an item, or the refusal for an item the game does not know.
fn definition<'a>(world: &'a World, item: &Item) -> Result<&'a ItemDef, PlatformError> {
    world.definitions.items.get(&item.hash).ok_or_else(|| {
        PlatformError::new(
            envelope::DESTINY_ACTION_FORBIDDEN,
            format!(
                "The item {} has no definition, so it cannot be moved or equipped.",
                item.hash
            ),
        )
    })
}

/// Where an item goes on a character or the account, by its definition's bucket.
fn home(world: &World, def: &ItemDef, character: usize) -> Place {
    match world
        .definitions
        .buckets
        .get(&def.bucket_type_hash)
        .map(|b| b.scope)
    {
        Some(BucketScope::Account) => Place::Account,
        _ => Place::Character(character),
    }
}

fn check_stack_size(item: &Item, stack_size: i32) -> Result<(), PlatformError> {
    if stack_size < 1 || stack_size > item.quantity {
        return Err(PlatformError::new(
            envelope::DESTINY_INVALID_REQUEST,
            format!(
                "stackSize {stack_size} is not between 1 and the stack's {}.",
                item.quantity
            ),
        ));
    }
    Ok(())
}

fn no_room(place: Place, bucket: u32) -> PlatformError {
    let where_ = match place {
        Place::Vault => "the vault".to_string(),
        Place::Account => format!("the account bucket {bucket}"),
        Place::Character(i) | Place::Postmaster(i) => format!("bucket {bucket} of character #{i}"),
    };
    PlatformError::new(
        envelope::DESTINY_NO_ROOM,
        format!("There is no room in the destination: {where_} is full."),
    )
}

/// Moves `amount` of the item at `source` to `bucket` at `place`: instances move whole; stacks
/// top up existing stacks there first, then take new slots. Refuses with 1642, changing
/// nothing, when it does not fit.
fn move_amount(
    world: &mut World,
    source: usize,
    amount: i32,
    place: Place,
    bucket: u32,
) -> Result<(), PlatformError> {
    let capacity = world.capacity(bucket);
    let free_slots = capacity.saturating_sub(world.slots_used(place, bucket));
    let item = world.items[source].clone();
    if item.instance_id.is_some() {
        if free_slots == 0 {
            return Err(no_room(place, bucket));
        }
        let moved = &mut world.items[source];
        moved.place = place;
        moved.bucket_hash = bucket;
        moved.equipped = false;
        return Ok(());
    }
    let max = world
        .definitions
        .items
        .get(&item.hash)
        .map_or(i32::MAX, |d| d.max_stack_size.max(1));
    let same_stack = |i: &Item| {
        i.place == place
            && i.bucket_hash == bucket
            && i.hash == item.hash
            && i.instance_id.is_none()
    };
    let top_up_room: i64 = world
        .items
        .iter()
        .filter(|i| same_stack(i))
        .map(|i| i64::from((max - i.quantity).max(0)))
        .sum();
    let fits = top_up_room + free_slots as i64 * i64::from(max);
    if i64::from(amount) > fits {
        return Err(no_room(place, bucket));
    }
    let mut remaining = amount;
    for stack in world.items.iter_mut().filter(|i| same_stack(i)) {
        let take = remaining.min((max - stack.quantity).max(0));
        stack.quantity += take;
        remaining -= take;
    }
    while remaining > 0 {
        let quantity = remaining.min(max);
        world.items.push(Item {
            quantity,
            place,
            bucket_hash: bucket,
            equipped: false,
            locked: false,
            tracked: false,
            ..item.clone()
        });
        remaining -= quantity;
    }
    world.items[source].quantity -= amount;
    if world.items[source].quantity == 0 {
        world.items.remove(source);
    }
    Ok(())
}

/// `TransferItem`: character (or account bucket) to vault, or vault to character.
pub fn transfer(world: &mut World, request: Transfer) -> Result<(), PlatformError> {
    let character = request.character;
    if request.to_vault {
        let index = find(
            world,
            request.item_id,
            request.item_hash,
            |p| p == Place::Character(character) || p == Place::Account,
            "on this character",
        )?;
        let item = &world.items[index];
        if item.equipped {
            return Err(PlatformError::new(
                envelope::DESTINY_EQUIPPED,
                "You cannot perform this action on an equipped item: equip another item in its slot first.",
            ));
        }
        let def = definition(world, item)?;
        if def.non_transferrable {
            return Err(not_transferrable(&def.name));
        }
        check_stack_size(item, request.stack_size)?;
        move_amount(
            world,
            index,
            request.stack_size,
            Place::Vault,
            buckets::VAULT,
        )
    } else {
        let index = find(
            world,
            request.item_id,
            request.item_hash,
            |p| p == Place::Vault,
            "in the vault",
        )?;
        let item = &world.items[index];
        let def = definition(world, item)?;
        if def.non_transferrable {
            return Err(not_transferrable(&def.name));
        }
        let class = world.characters[character].class_type;
        if def.class_type != class_type::ANY && def.class_type != class {
            return Err(PlatformError::new(
                envelope::DESTINY_ACTION_FORBIDDEN,
                format!(
                    "{} belongs to another class and cannot go to this character.",
                    def.name
                ),
            ));
        }
        check_stack_size(item, request.stack_size)?;
        let (place, bucket) = (home(world, def, character), def.bucket_type_hash);
        move_amount(world, index, request.stack_size, place, bucket)
    }
}

fn not_transferrable(name: &str) -> PlatformError {
    PlatformError::new(
        envelope::DESTINY_NOT_TRANSFERRABLE,
        format!("{name} cannot be transferred: it stays with the character that has it."),
    )
}

/// `PullFromPostmaster`: from a character's postmaster to where the item belongs.
pub fn pull(world: &mut World, request: Pull) -> Result<(), PlatformError> {
    let character = request.character;
    let index = find(
        world,
        request.item_id,
        request.item_hash,
        |p| p == Place::Postmaster(character),
        "in this character's postmaster",
    )?;
    let item = &world.items[index];
    let def = definition(world, item)?;
    if def.does_postmaster_pull_have_side_effects {
        return Err(PlatformError::new(
            envelope::DESTINY_SIDE_EFFECTS,
            format!(
                "{} has side effects when pulled from the postmaster; pull it in the game.",
                def.name
            ),
        ));
    }
    check_stack_size(item, request.stack_size)?;
    let (place, bucket) = (home(world, def, character), def.bucket_type_hash);
    move_amount(world, index, request.stack_size, place, bucket)
}

/// Checks that a character may change its equipment now.
fn check_can_equip(world: &World, character: usize) -> Result<(), PlatformError> {
    if world.characters[character].in_activity {
        return Err(PlatformError::new(
            envelope::DESTINY_WRONG_LOCATION,
            "You cannot equip items now: the character is in an activity. Return to orbit or a social space, or go offline.",
        ));
    }
    Ok(())
}

/// Checks that an item on a character may be equipped by it; returns its index.
fn equippable_on(world: &World, item_id: i64, character: usize) -> Result<usize, PlatformError> {
    let index = find(
        world,
        item_id,
        0,
        |p| p == Place::Character(character),
        "on this character; move it there first",
    )?;
    let item = &world.items[index];
    let def = definition(world, item)?;
    if !def.equippable
        || (def.class_type != class_type::ANY
            && def.class_type != world.characters[character].class_type)
    {
        return Err(PlatformError::new(
            envelope::DESTINY_ITEM_UNEQUIPPABLE,
            format!("{} cannot be equipped by this character.", def.name),
        ));
    }
    Ok(index)
}

/// The unique label of an item, if it has one.
fn unique_label(world: &World, item: &Item) -> Option<String> {
    world
        .definitions
        .items
        .get(&item.hash)
        .and_then(|d| d.unique_label.clone())
        .filter(|l| !l.is_empty())
}

/// Equips the items at these indices on a character, unequipping what they replace, after
/// checking that the resulting equipped set has no two items with the same unique label.
fn equip_set(world: &mut World, character: usize, indices: &[usize]) -> Result<(), PlatformError> {
    let incoming_buckets: Vec<u32> = indices
        .iter()
        .map(|&i| world.items[i].bucket_hash)
        .collect();
    let after: Vec<usize> = (0..world.items.len())
        .filter(|&i| {
            let item = &world.items[i];
            (item.place == Place::Character(character)
                && item.equipped
                && !incoming_buckets.contains(&item.bucket_hash))
                || indices.contains(&i)
        })
        .collect();
    let mut seen: Vec<(String, u32)> = Vec::new();
    for &i in &after {
        if let Some(label) = unique_label(world, &world.items[i]) {
            if let Some((_, bucket)) = seen.iter().find(|(l, _)| *l == label) {
                let name = world
                    .definitions
                    .items
                    .get(&world.items[i].hash)
                    .map_or("This item", |d| d.name.as_str());
                return Err(PlatformError::new(
                    envelope::DESTINY_UNIQUE_EQUIP_RESTRICTED,
                    format!(
                        "{name} cannot be equipped with the item in bucket {bucket}: only one item of kind {label:?} may be equipped."
                    ),
                ));
            }
            seen.push((label, world.items[i].bucket_hash));
        }
    }
    for item in world.items.iter_mut() {
        if item.place == Place::Character(character)
            && item.equipped
            && incoming_buckets.contains(&item.bucket_hash)
        {
            item.equipped = false;
        }
    }
    for &i in indices {
        world.items[i].equipped = true;
    }
    Ok(())
}

/// `EquipItem`: equips an item that is on the character.
pub fn equip(world: &mut World, item_id: i64, character: usize) -> Result<(), PlatformError> {
    let index = equippable_on(world, item_id, character)?;
    check_can_equip(world, character)?;
    if world.items[index].equipped {
        return Ok(());
    }
    equip_set(world, character, &[index])
}

/// `EquipItems`: equips each item in turn; the result of each, as its `PlatformErrorCodes` value.
pub fn equip_many(
    world: &mut World,
    item_ids: &[i64],
    character: usize,
) -> Result<Vec<(i64, i32)>, PlatformError> {
    check_can_equip(world, character)?;
    Ok(item_ids
        .iter()
        .map(|&id| {
            (
                id,
                equip(world, id, character)
                    .map_or_else(|e| e.code.code, |()| envelope::SUCCESS.code),
            )
        })
        .collect())
}

/// `EquipLoadout`: equips every item of a saved loadout, all or nothing.
pub fn equip_loadout(
    world: &mut World,
    character: usize,
    loadout: usize,
) -> Result<(), PlatformError> {
    check_can_equip(world, character)?;
    let ids = world.characters[character]
        .loadouts
        .get(loadout)
        .map(|l| l.item_ids.clone())
        .ok_or_else(|| {
            PlatformError::new(
                envelope::DESTINY_INVALID_REQUEST,
                format!("The character has no loadout at index {loadout}."),
            )
        })?;
    let indices = ids
        .iter()
        .map(|&id| equippable_on(world, id, character))
        .collect::<Result<Vec<_>, _>>()?;
    equip_set(world, character, &indices)
}

/// `SetLockState`: locks or unlocks a lockable item anywhere on the account.
pub fn set_lock(world: &mut World, item_id: i64, locked: bool) -> Result<(), PlatformError> {
    let index = world
        .item_index(item_id)
        .ok_or_else(|| not_found(item_id))?;
    let def = definition(world, &world.items[index])?;
    if !def.lockable {
        return Err(PlatformError::new(
            envelope::DESTINY_ACTION_FORBIDDEN,
            format!("{} cannot be locked.", def.name),
        ));
    }
    world.items[index].locked = locked;
    Ok(())
}

/// `SetTrackedState`: tracks or untracks a quest or bounty.
pub fn set_tracked(world: &mut World, item_id: i64, tracked: bool) -> Result<(), PlatformError> {
    let index = world
        .item_index(item_id)
        .ok_or_else(|| not_found(item_id))?;
    let def = definition(world, &world.items[index])?;
    if !def.trackable {
        return Err(PlatformError::new(
            envelope::DESTINY_ACTION_FORBIDDEN,
            format!(
                "{} is not a quest or bounty and cannot be tracked.",
                def.name
            ),
        ));
    }
    world.items[index].tracked = tracked;
    Ok(())
}

/// The game drops an item into a character's postmaster (the control API's way to make
/// engrams and rewards arrive). The postmaster is first in, first out: when it is full, the
/// oldest item is lost. Returns the new item's instance id, if it has one.
pub fn deliver_to_postmaster(
    world: &mut World,
    character: usize,
    item_hash: u32,
    quantity: i32,
) -> Result<Option<i64>, PlatformError> {
    let def = world
        .definitions
        .items
        .get(&item_hash)
        .cloned()
        .ok_or_else(|| not_found(format!("definition {item_hash}")))?;
    if quantity < 1 || quantity > def.max_stack_size.max(1) {
        return Err(PlatformError::new(
            envelope::DESTINY_INVALID_REQUEST,
            format!(
                "quantity {quantity} is not between 1 and {}'s stack size {}.",
                def.name,
                def.max_stack_size.max(1)
            ),
        ));
    }
    let place = Place::Postmaster(character);
    let full = world.slots_used(place, buckets::POSTMASTER) >= world.capacity(buckets::POSTMASTER);
    if let Some(oldest) = world
        .items
        .iter()
        .position(|i| i.place == place)
        .filter(|_| full)
    {
        world.items.remove(oldest);
    }
    let instance_id = def.instanced.then(|| world.new_instance_id());
    world.items.push(Item {
        instance_id,
        hash: item_hash,
        quantity: if def.instanced { 1 } else { quantity },
        place,
        bucket_hash: buckets::POSTMASTER,
        equipped: false,
        locked: false,
        tracked: false,
        power: (def.item_type == 2 || def.item_type == 3).then_some(1900),
    });
    Ok(instance_id)
}
