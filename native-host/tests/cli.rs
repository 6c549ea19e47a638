//! courier-host's CLI end to end: every command run as a process, as a person would, against
//! courier-sim in this process, with the config and cache folders in temporary directories.

#[path = "cli/host.rs"]
mod host;
#[path = "cli/smtp_sink.rs"]
mod smtp_sink;

use courier_sim::world::defs::item_type;
use courier_sim::world::{Place, World, buckets};
use serde_json::{Value, json};

use host::{Host, name, place_of};
use smtp_sink::SmtpSink;

/// What a command that needs a session says without one.
const NOT_SIGNED_IN: &str =
    "Not signed in: run `courier-host login --psn --username EMAIL --password-stdin --save` first.";

/// A class's name as the CLI prints it.
fn class_name(class_type: u8) -> &'static str {
    ["Titan", "Hunter", "Warlock"]
        .get(usize::from(class_type))
        .copied()
        .unwrap_or("Any")
}

/// The bucket an item goes to on a character.
fn home_bucket(world: &World, hash: u32) -> u32 {
    world.definitions.items[&hash].bucket_type_hash
}

/// An instanced weapon at `from`, not equipped, for which character 0 has room.
fn weapon_with_room(world: &World, from: Place) -> (i64, u32) {
    world
        .items
        .iter()
        .filter(|item| item.place == from && !item.equipped)
        .filter_map(|item| Some((item.instance_id?, item.hash)))
        .find(|&(_, hash)| {
            let def = &world.definitions.items[&hash];
            let bucket = def.bucket_type_hash;
            def.item_type == item_type::WEAPON
                && !def.non_transferrable
                && world.slots_used(Place::Character(0), bucket) < world.capacity(bucket)
        })
        .expect("the demo world has such a weapon")
}

/// The names of Xûr's sales, in vendor item order.
fn sale_names(world: &World) -> Vec<String> {
    world
        .xur
        .sales
        .iter()
        .map(|sale| name(world, sale.item_hash))
        .collect()
}

/// Text as the digest's HTML writes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_that_need_a_session_say_how_to_sign_in() {
    let host = Host::start().await;
    let commands: [&[&str]; 6] = [
        &["profile"],
        &["move", "is:weapon", "--to", "vault"],
        &["equip", "is:weapon", "--on", "titan"],
        &["lock", "is:weapon"],
        &["unlock", "is:weapon"],
        &["postmaster", "--collect", "titan"],
    ];
    for args in commands {
        let run = host.run(args).await.failure(&args.join(" "));
        assert!(
            run.stderr.contains(NOT_SIGNED_IN),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(host.requests_to("/Platform/"), 0, "nothing was asked");

    // A saved session that bungie.net no longer knows says to sign in again.
    host.sign_in().await;
    host.control("reset", json!({})).await;
    let expired = host.run(&["profile"]).await.failure("an expired session");
    assert!(expired.stderr.contains("signed out"), "{}", expired.stderr);
    assert!(
        expired
            .stderr
            .contains("Sign in again with `courier-host login --psn"),
        "{}",
        expired.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_prints_the_characters_and_what_each_place_holds() {
    let host = Host::signed_in().await;
    let world = host.world();
    let count = |place: Place, equipped: Option<bool>| {
        world
            .items_at(place)
            .filter(|item| equipped.is_none_or(|e| item.equipped == e))
            .count()
    };

    let text = host.run(&["profile"]).await.success("profile").stdout;
    for (index, character) in world.characters.iter().enumerate() {
        let line = format!(
            "{:<7} {}  light",
            class_name(character.class_type),
            character.id
        );
        assert!(text.contains(&line), "{line:?} in {text}");
        let counts = format!(
            "inventory {}, equipped {}, postmaster {}",
            count(Place::Character(index), Some(false)),
            count(Place::Character(index), Some(true)),
            count(Place::Postmaster(index), None)
        );
        assert!(text.contains(&counts), "{counts:?} in {text}");
    }
    assert!(
        text.contains(&format!("Vault: {}\n", count(Place::Vault, None))),
        "{text}"
    );

    let json: Value = serde_json::from_str(
        &host
            .run(&["profile", "--json"])
            .await
            .success("--json")
            .stdout,
    )
    .expect("profile --json prints JSON");
    assert_eq!(
        json["membershipId"],
        world.account.destiny_membership_id.to_string()
    );
    assert_eq!(json["vault"], count(Place::Vault, None));
    assert_eq!(json["account"], count(Place::Account, None));
    let characters = json["characters"].as_array().expect("characters");
    assert_eq!(characters.len(), world.characters.len());
    for character in characters {
        let id: i64 = character["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("an id");
        let index = world.character_index(id).expect("a character of the world");
        assert_eq!(
            character["class"],
            class_name(world.characters[index].class_type)
        );
        assert_eq!(character["light"], world.light(index));
        assert_eq!(
            character["dateLastPlayed"],
            world.characters[index].date_last_played
        );
        assert_eq!(
            character["equipped"],
            count(Place::Character(index), Some(true))
        );
        assert_eq!(
            character["inventory"],
            count(Place::Character(index), Some(false))
        );
        assert_eq!(
            character["postmaster"],
            count(Place::Postmaster(index), None)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_a_vault_weapon_to_a_character_and_back() {
    let host = Host::signed_in().await;
    let world = host.world();
    let (id, hash) = weapon_with_room(&world, Place::Vault);
    let titan = world.characters[0].id;
    let item = format!("{} ({id})", name(&world, hash));

    let there = host
        .run(&["move", &format!("id:{id}"), "--to", "titan"])
        .await
        .success("move to the titan");
    assert_eq!(place_of(&host.world(), id), Place::Character(0));
    let out = &there.stdout;
    assert!(
        out.contains(&format!("1. move {item} from the vault to Titan {titan}")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "[1/1] Moving {} to a character",
            name(&world, hash)
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("done: move {item} to Titan {titan}")),
        "{out}"
    );
    assert!(out.contains(&format!("{item}: on Titan {titan}")), "{out}");

    let back = host
        .run(&["move", &format!("id:{id}"), "--to", "vault"])
        .await
        .success("move back to the vault");
    assert_eq!(place_of(&host.world(), id), Place::Vault);
    assert!(
        back.stdout.contains(&format!("{item}: in the vault")),
        "{}",
        back.stdout
    );
    assert_eq!(
        host.error_codes("/TransferItem/"),
        [Some(1), Some(1)],
        "one transfer each way, the second spaced from the first though another process sent it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_plan_and_changes_nothing() {
    let host = Host::signed_in().await;
    let world = host.world();
    let (id, hash) = weapon_with_room(&world, Place::Vault);
    let before = serde_json::to_value(&world.items).expect("items serialize");

    let run = host
        .run(&[
            "move",
            &format!("id:{id}"),
            "--to",
            &world.characters[0].id.to_string(),
            "--dry-run",
        ])
        .await
        .success("a dry run");
    assert!(
        run.stdout.contains(&format!(
            "move {} ({id}) from the vault",
            name(&world, hash)
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Dry run: nothing was sent."),
        "{}",
        run.stdout
    );
    assert_eq!(
        serde_json::to_value(&host.world().items).expect("items"),
        before
    );
    assert_eq!(host.requests_to("/Actions/"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_destination_is_refused_unless_room_may_be_made() {
    let host = Host::signed_in().await;
    let kinetic_in_vault = |world: &World| -> Vec<i64> {
        world
            .items
            .iter()
            .filter(|i| i.place == Place::Vault && home_bucket(world, i.hash) == buckets::KINETIC)
            .filter_map(|i| i.instance_id)
            .collect()
    };
    // Fill the Titan's kinetic slot from the vault, keeping one more kinetic weapon back.
    let wanted = host.edit_world(|world| {
        let capacity = world.capacity(buckets::KINETIC);
        let mut spare = kinetic_in_vault(world);
        let wanted = spare.pop().expect("a vault kinetic weapon");
        while world.slots_used(Place::Character(0), buckets::KINETIC) < capacity {
            let id = spare
                .pop()
                .expect("enough vault kinetic weapons to fill a slot");
            let index = world.item_index(id).expect("the item");
            world.items[index].place = Place::Character(0);
            world.items[index].bucket_hash = buckets::KINETIC;
        }
        wanted
    });
    let before = host.world();
    let on_titan = |world: &World| -> Vec<i64> {
        world
            .items_at(Place::Character(0))
            .filter(|i| i.bucket_hash == buckets::KINETIC)
            .filter_map(|i| i.instance_id)
            .collect()
    };

    let refused = host
        .run(&["move", &format!("id:{wanted}"), "--to", "titan"])
        .await
        .failure("a move to a full slot");
    assert!(
        refused.stdout.contains("refused: move"),
        "{}",
        refused.stdout
    );
    assert!(refused.stdout.contains("is full"), "{}", refused.stdout);
    assert!(
        refused.stdout.contains(&format!(
            "failed: move {}",
            name(&before, host::hash_of(&before, wanted))
        )),
        "{}",
        refused.stdout
    );
    assert_eq!(place_of(&host.world(), wanted), Place::Vault);

    let made_room = host
        .run(&[
            "move",
            &format!("id:{wanted}"),
            "--to",
            "titan",
            "--make-room",
        ])
        .await
        .success("a move that makes room");
    let after = host.world();
    assert_eq!(place_of(&after, wanted), Place::Character(0));
    assert_eq!(on_titan(&after).len(), before.capacity(buckets::KINETIC));
    let aside: Vec<i64> = on_titan(&before)
        .into_iter()
        .filter(|id| !on_titan(&after).contains(id))
        .collect();
    assert_eq!(aside.len(), 1, "one weapon made room: {}", made_room.stdout);
    assert_eq!(place_of(&after, aside[0]), Place::Vault);
    let line = format!(
        "moved aside: {} ({}) from Titan {} to the vault (to make room)",
        name(&before, host::hash_of(&before, aside[0])),
        aside[0],
        before.characters[0].id
    );
    assert!(
        made_room.stdout.contains(&line),
        "{line:?} in {}",
        made_room.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equip_one_item_refuse_several_and_report_a_refusal_from_bungie() {
    let host = Host::signed_in().await;
    let world = host.world();
    let titan = world.characters[0].id;
    let (id, hash) = world
        .items_at(Place::Character(0))
        .filter(|i| !i.equipped)
        .filter_map(|i| Some((i.instance_id?, i.hash)))
        .find(|(_, hash)| {
            let def = &world.definitions.items[hash];
            def.item_type == item_type::WEAPON && def.tier_type != 6 && def.equippable
        })
        .expect("the titan carries a legendary weapon");
    let bucket = home_bucket(&world, hash);

    let run = host
        .run(&["equip", &format!("id:{id}"), "--on", &titan.to_string()])
        .await
        .success("equip");
    assert!(
        run.stdout.contains(&format!(
            "done: equip {} ({id}) on Titan {titan}",
            name(&world, hash)
        )),
        "{}",
        run.stdout
    );
    let after = host.world();
    let equipped: Vec<i64> = after
        .items_at(Place::Character(0))
        .filter(|i| i.equipped && i.bucket_hash == bucket)
        .filter_map(|i| i.instance_id)
        .collect();
    assert_eq!(equipped, [id], "the item is the one equipped in its slot");

    let several = host
        .run(&["equip", "is:weapon", "--on", "titan"])
        .await
        .failure("equip of many items");
    assert!(
        several.stderr.contains("\"is:weapon\" matches"),
        "{}",
        several.stderr
    );
    assert!(
        several.stderr.contains("  ... and"),
        "a long list is cut: {}",
        several.stderr
    );

    host.control(
        "activity",
        json!({ "characterId": titan.to_string(), "inActivity": true }),
    )
    .await;
    let (other, _) = after
        .items_at(Place::Character(0))
        .filter(|i| !i.equipped && i.bucket_hash == bucket)
        .filter_map(|i| Some((i.instance_id?, i.hash)))
        .next()
        .expect("another weapon in that slot");
    let refused = host
        .run(&["equip", &format!("id:{other}"), "--on", "titan"])
        .await
        .failure("equip in an activity");
    assert!(
        refused.stdout.contains("failed: equip"),
        "{}",
        refused.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_and_unlock() {
    let host = Host::signed_in().await;
    let world = host.world();
    let id = world
        .items
        .iter()
        .filter(|i| i.place == Place::Vault && !i.locked)
        .filter(|i| world.definitions.items[&i.hash].lockable)
        .find_map(|i| i.instance_id)
        .expect("an unlocked vault item");
    let locked = |host: &Host| {
        let world = host.world();
        world.items[world.item_index(id).expect("the item")].locked
    };

    let run = host
        .run(&["lock", &format!("id:{id}")])
        .await
        .success("lock");
    assert!(locked(&host));
    assert!(run.stdout.contains("done: lock"), "{}", run.stdout);
    host.run(&["unlock", &format!("id:{id}")])
        .await
        .success("unlock");
    assert!(!locked(&host));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postmaster_collect_pulls_what_can_be_pulled() {
    let host = Host::signed_in().await;
    let world = host.world();
    let waiting: Vec<_> = world.items_at(Place::Postmaster(0)).cloned().collect();
    let side_effects =
        |hash: u32| world.definitions.items[&hash].does_postmaster_pull_have_side_effects;
    assert!(
        waiting.iter().any(|i| side_effects(i.hash)),
        "the demo titan has a side-effect item"
    );
    assert!(
        waiting.iter().any(|i| !side_effects(i.hash)),
        "and items to pull"
    );

    let run = host
        .run(&["postmaster", "--collect", "titan"])
        .await
        .success("postmaster --collect");
    let after = host.world();
    let left: Vec<u32> = after
        .items_at(Place::Postmaster(0))
        .map(|i| i.hash)
        .collect();
    for item in &waiting {
        let item_name = name(&world, item.hash);
        if side_effects(item.hash) {
            assert!(left.contains(&item.hash), "{item_name} stays");
            assert!(
                run.stdout.contains(&format!("skipped: {item_name}")),
                "{}",
                run.stdout
            );
        } else {
            assert!(
                !left.contains(&item.hash),
                "{item_name} was pulled: {}",
                run.stdout
            );
            if let Some(id) = item.instance_id {
                assert_eq!(place_of(&after, id), Place::Character(0));
            }
        }
    }
    assert!(run.stdout.contains("done: collect Titan"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_searches_and_characters_say_what_is_wrong() {
    let host = Host::signed_in().await;
    let typo = host
        .run(&["move", "is:weapn", "--to", "vault"])
        .await
        .failure("a typo");
    assert!(
        typo.stderr.contains("did you mean is:weapon?"),
        "{}",
        typo.stderr
    );
    assert!(
        typo.stderr.contains("\n  is:weapn\n     ^"),
        "the caret points at it: {}",
        typo.stderr
    );

    let none = host
        .run(&["lock", "name:\"no such item\""])
        .await
        .failure("no match");
    assert!(
        none.stderr.contains("nothing in the inventory matches"),
        "{}",
        none.stderr
    );

    let mars = host
        .run(&["move", "is:weapon", "--to", "mars"])
        .await
        .failure("mars");
    assert!(
        mars.stderr
            .contains("\"mars\" is not titan, hunter, warlock or a character id"),
        "{}",
        mars.stderr
    );

    let stranger = host
        .run(&["postmaster", "--collect", "123"])
        .await
        .failure("a stranger");
    assert!(
        stranger
            .stderr
            .contains("this account has no character 123"),
        "{}",
        stranger.stderr
    );
    assert_eq!(host.requests_to("/Actions/"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_characters_of_a_class_pick_the_most_recently_played() {
    let host = Host::signed_in().await;
    // The hunter becomes a second titan, played less recently than the first.
    host.edit_world(|world| world.characters[1].class_type = 0);
    let world = host.world();
    let newest = world
        .characters
        .iter()
        .filter(|c| c.class_type == 0)
        .max_by(|a, b| a.date_last_played.cmp(&b.date_last_played))
        .expect("titans");
    let (id, _) = weapon_with_room(&world, Place::Vault);
    let run = host
        .run(&["move", &format!("id:{id}"), "--to", "titan", "--dry-run"])
        .await
        .success("a dry run");
    let note = format!(
        "note: 2 Titans: using Titan {} (played most recently)",
        newest.id
    );
    assert!(run.stdout.contains(&note), "{note:?} in {}", run.stdout);
    assert!(
        run.stdout.contains(&format!("to Titan {}", newest.id)),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definitions_are_cached_per_manifest_version() {
    let host = Host::signed_in().await;
    let world = host.world();
    let (id, hash) = weapon_with_room(&world, Place::Vault);
    let query = format!("id:{id}");
    let tables = "/common/destiny2_content/json/";
    let args = ["move", query.as_str(), "--to", "titan", "--dry-run"];
    let dry_run = || host.run(&args);

    dry_run().await.success("first run");
    assert_eq!(host.requests_to(tables), 2, "the item and bucket tables");
    let cached: Vec<String> = std::fs::read_dir(host.cache_home().join("courier"))
        .expect("the cache folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        cached.len() == 1 && cached[0].starts_with("definitions-") && cached[0].ends_with(".bin"),
        "{cached:?}"
    );
    let second = dry_run().await.success("second run");
    assert_eq!(host.requests_to(tables), 2, "the cache answered");
    assert!(
        second.stdout.contains(&name(&world, hash)),
        "{}",
        second.stdout
    );

    host.edit_world(|world| {
        if let Some(def) = world.definitions.items.get_mut(&hash) {
            def.name = "Renamed Rifle".into();
        }
    });
    let renamed = dry_run().await.success("after a manifest change");
    assert_eq!(host.requests_to(tables), 4, "a new version is downloaded");
    assert!(
        renamed.stdout.contains("Renamed Rifle"),
        "{}",
        renamed.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xur_prints_text_json_and_html_from_the_public_vendors_and_each_character() {
    let host = Host::start().await;
    let names = sale_names(&host.world());
    assert!(!names.is_empty());

    let text = host.run(&["xur"]).await.success("xur").stdout;
    assert!(text.starts_with("Xûr is here"), "{text}");
    for sale in &names {
        assert!(text.contains(sale.as_str()), "{sale} in {text}");
    }
    assert_eq!(
        host.requests_to("/Platform/Destiny2/Vendors/"),
        1,
        "the public vendors"
    );

    let json: Value =
        serde_json::from_str(&host.run(&["xur", "--json"]).await.success("--json").stdout)
            .expect("xur --json prints JSON");
    assert_eq!(json["present"], true);
    let listed: Vec<&str> = json["sales"]
        .as_array()
        .expect("sales")
        .iter()
        .filter_map(|sale| sale["name"].as_str())
        .collect();
    assert_eq!(listed, names);

    let page = host.file("xur.html");
    let path = page.to_str().expect("a UTF-8 path");
    host.run(&["xur", "--html-out", path])
        .await
        .success("--html-out");
    let html = std::fs::read_to_string(&page).expect("the page was written");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    for sale in &names {
        assert!(html.contains(&escaped(sale)), "{sale} in {html}");
    }

    host.sign_in().await;
    let signed: Value = serde_json::from_str(
        &host
            .run(&["xur", "--json"])
            .await
            .success("signed in")
            .stdout,
    )
    .expect("JSON");
    let per_character: Vec<&str> = signed["sales"]
        .as_array()
        .expect("sales")
        .iter()
        .filter_map(|sale| sale["name"].as_str())
        .collect();
    assert_eq!(per_character, names);
    assert_eq!(
        host.requests_to("/Vendors/2190858386/"),
        host.world().characters.len(),
        "one GetVendor per character"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xur_mails_html_with_a_plain_text_alternative_listing_every_sale() {
    let host = Host::start().await;
    let names = sale_names(&host.world());
    let sink = SmtpSink::start();
    let run = host
        .run(&[
            "xur",
            "--email",
            "guardian@example.com",
            "--from",
            "courier@example.com",
            "--smtp",
            &sink.url,
        ])
        .await
        .success("xur --email");
    assert!(
        run.stderr
            .contains("Mailed the digest to guardian@example.com"),
        "{}",
        run.stderr
    );

    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "one message");
    let mail = mailparse::parse_mail(&messages[0]).expect("a MIME message");
    assert_eq!(mail.ctype.mimetype, "multipart/alternative");
    assert_eq!(
        mail.headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .map(|h| h.get_value()),
        Some("Xûr this week".to_string())
    );
    let part = |mimetype: &str| {
        mail.subparts
            .iter()
            .find(|part| part.ctype.mimetype == mimetype)
            .unwrap_or_else(|| panic!("a {mimetype} part"))
            .get_body()
            .expect("a readable body")
    };
    let (plain, html) = (part("text/plain"), part("text/html"));
    for sale in &names {
        assert!(plain.contains(sale.as_str()), "{sale} in {plain}");
        assert!(html.contains(&escaped(sale)), "{sale} in {html}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absent_xur_is_said_and_nothing_is_mailed() {
    let host = Host::start().await;
    host.control("xur", json!({ "present": false })).await;
    let sink = SmtpSink::start();

    let text = host.run(&["xur"]).await.success("xur").stdout;
    assert_eq!(text, "Xûr is not here this week.\n");
    let json: Value =
        serde_json::from_str(&host.run(&["xur", "--json"]).await.success("--json").stdout)
            .expect("JSON");
    assert_eq!(json["present"], false);

    let run = host
        .run(&[
            "xur",
            "--email",
            "guardian@example.com",
            "--from",
            "courier@example.com",
            "--smtp",
            &sink.url,
        ])
        .await
        .success("xur --email while away");
    assert!(run.stderr.contains("no mail was sent"), "{}", run.stderr);
    assert!(
        sink.messages().is_empty(),
        "nothing reached the SMTP server"
    );

    host.sign_in().await;
    let signed = host.run(&["xur"]).await.success("signed in").stdout;
    assert_eq!(signed, "Xûr is not here this week.\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xur_reads_a_saved_answer_offline() {
    let host = Host::start().await;
    let world = host.world();
    let answer = host
        .platform_get_anonymous("/Platform/Destiny2/Vendors/?components=400,401,402")
        .await;
    let file = host.file("vendors.json");
    std::fs::write(&file, answer).expect("saved");
    let path = file.to_str().expect("a UTF-8 path");
    // Nothing listens there: the command must not need the network.
    let offline = "http://127.0.0.1:9";

    let unnamed = host
        .run_in(&["xur", "--vendors-file", path], "", offline)
        .await
        .success("offline without definitions");
    for sale in &world.xur.sales {
        assert!(
            unnamed.stdout.contains(&format!("Item {}", sale.item_hash)),
            "{}",
            unnamed.stdout
        );
    }
    assert!(
        unnamed.stderr.contains("no cached definitions"),
        "{}",
        unnamed.stderr
    );

    host.run(&["xur"])
        .await
        .success("online, to fill the cache");
    let named = host
        .run_in(&["xur", "--vendors-file", path], "", offline)
        .await
        .success("offline with the cache");
    for sale in sale_names(&world) {
        assert!(named.stdout.contains(&sale), "{sale} in {}", named.stdout);
    }
}

/// Counts per place computed straight from a GetProfile envelope's JSON.
fn expected_counts(profile: &Value) -> Value {
    let items = |value: &Value| value["items"].as_array().map_or(0, Vec::len);
    let response = &profile["Response"];
    let profile_items = response["profileInventory"]["data"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let vault = profile_items
        .iter()
        .filter(|i| i["bucketHash"] == buckets::VAULT)
        .count();
    let currencies = items(&response["profileCurrencies"]["data"]);
    let mut characters: Vec<Value> = response["characters"]["data"]
        .as_object()
        .expect("characters")
        .keys()
        .map(|id| {
            let carried = &response["characterInventories"]["data"][id];
            let postmaster = carried["items"].as_array().map_or(0, |all| {
                all.iter()
                    .filter(|i| i["bucketHash"] == buckets::POSTMASTER)
                    .count()
            });
            json!({
                "id": id,
                "inventory": items(carried) - postmaster,
                "equipped": items(&response["characterEquipment"]["data"][id]),
                "postmaster": postmaster,
            })
        })
        .collect();
    characters.sort_by_key(|c| c["id"].as_str().unwrap_or_default().to_string());
    let account = profile_items.len() - vault + currencies;
    json!({ "vault": vault, "account": account, "characters": characters })
}

/// The same numbers from `inspect profile --json`.
fn printed_counts(printed: &Value) -> Value {
    let mut characters: Vec<Value> = printed["characters"]
        .as_array()
        .expect("characters")
        .iter()
        .map(|c| {
            json!({
                "id": c["id"],
                "inventory": c["inventory"],
                "equipped": c["equipped"],
                "postmaster": c["postmaster"],
            })
        })
        .collect();
    characters.sort_by_key(|c| c["id"].as_str().unwrap_or_default().to_string());
    json!({ "vault": printed["vault"], "account": printed["account"], "characters": characters })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspect_profile_reads_the_real_answer_offline() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: ../shared/real-data/profile-2021-05-28.json is absent");
        return;
    };
    let profile: Value = serde_json::from_str(&text).expect("the fixture is JSON");
    let host = Host::start().await;
    let run = host
        .run_in(
            &["inspect", "profile", path, "--json"],
            "",
            "http://127.0.0.1:9",
        )
        .await
        .success("inspect profile --json");
    let printed: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(printed_counts(&printed), expected_counts(&profile));
    assert_eq!(printed["characters"].as_array().map(Vec::len), Some(3));

    let text = host
        .run(&["inspect", "profile", path])
        .await
        .success("inspect profile")
        .stdout;
    assert!(
        text.contains(&format!("Vault: {}\n", printed["vault"])),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspect_profile_reads_a_simulator_answer_and_refuses_garbage() {
    let host = Host::signed_in().await;
    let world = host.world();
    let answer = host
        .platform_get(&format!(
            "/Platform/Destiny2/{}/Profile/{}/?components=100,102,103,200,201,205,300",
            world.account.membership_type, world.account.destiny_membership_id
        ))
        .await;
    let profile: Value = serde_json::from_slice(&answer).expect("a JSON answer");
    let file = host.file("profile.json");
    std::fs::write(&file, &answer).expect("saved");
    let path = file.to_str().expect("a UTF-8 path");
    let printed: Value = serde_json::from_str(
        &host
            .run(&["inspect", "profile", path, "--json"])
            .await
            .success("inspect")
            .stdout,
    )
    .expect("JSON");
    assert_eq!(printed_counts(&printed), expected_counts(&profile));
    assert_eq!(printed["vault"], world.items_at(Place::Vault).count());

    std::fs::write(&file, "<html>Down for maintenance</html>").expect("saved");
    let garbage = host
        .run(&["inspect", "profile", path])
        .await
        .failure("garbage");
    assert!(
        garbage
            .stderr
            .contains("is not a readable GetProfile answer"),
        "{}",
        garbage.stderr
    );
    std::fs::write(
        &file,
        r#"{"Response":{},"ErrorCode":1,"ErrorStatus":"Success"}"#,
    )
    .expect("saved");
    let empty = host
        .run(&["inspect", "profile", path])
        .await
        .failure("an empty answer");
    assert!(
        empty.stderr.contains("holds no characters and no items"),
        "{}",
        empty.stderr
    );
    let missing = host.file("nowhere.json");
    let missing = host
        .run(&["inspect", "profile", missing.to_str().expect("UTF-8")])
        .await
        .failure("a missing file");
    assert!(
        missing.stderr.contains("could not read"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_does_not_answer_is_an_error_that_keeps_the_password() {
    let host = Host::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let smtp = format!("smtp://courier:hunter2@{closed}");
    let run = host
        .run(&[
            "xur",
            "--email",
            "guardian@example.com",
            "--from",
            "courier@example.com",
            "--smtp",
            &smtp,
        ])
        .await
        .failure("mail to a closed port");
    assert!(
        run.stderr.contains("did not take the mail"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"),
        "{run:#?}"
    );

    let asked = host.requests_to("/Platform/");
    let plain = host
        .run(&[
            "xur",
            "--email",
            "guardian@example.com",
            "--from",
            "courier@example.com",
            "--smtp",
            "ftp://mail.example.com",
        ])
        .await
        .failure("an ftp URL");
    assert!(
        plain.stderr.contains("--smtp starts with ftp://"),
        "{}",
        plain.stderr
    );
    assert_eq!(
        host.requests_to("/Platform/"),
        asked,
        "bad mail settings fail before any request"
    );
}
