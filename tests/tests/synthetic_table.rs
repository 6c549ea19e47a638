//! The synthetic DestinyInventoryItemDefinition table courier-sim writes for the benchmarks
//! (`courier-sim gen-items`) is one courier-core reads in full, each definition with the
//! fields the entity carries, whether read whole or in chunks as it downloads.

use courier_core::defs::{ItemTableBuilder, parse_item_table};
use courier_core::model::{ClassType, Tier};
use courier_sim::world::synthetic::write_item_table;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

#[test]
fn core_reads_every_synthetic_definition_as_the_entity_says() {
    let mut table = Vec::new();
    write_item_table(2_000, 11, &mut table).expect("written to memory");
    let definitions = parse_item_table(&table).expect("core reads the table");
    assert_eq!(definitions.len(), 2_000);
    let entities: serde_json::Map<String, Value> =
        serde_json::from_slice(&table).expect("the table is a JSON object");
    for (hash, entity) in &entities {
        let hash: u32 = hash.parse().expect("keys are hashes");
        let definition = &definitions[&hash];
        assert_eq!(
            Some(definition.name.as_str()),
            entity["displayProperties"]["name"].as_str()
        );
        assert_eq!(
            Some(u64::from(definition.bucket_hash)),
            entity["inventory"]["bucketTypeHash"].as_u64()
        );
        assert_eq!(
            Some(i64::from(definition.max_stack)),
            entity["inventory"]["maxStackSize"].as_i64()
        );
        assert_eq!(
            definition.tier,
            Tier::from_api(entity["inventory"]["tierType"].as_i64().expect("a tier"))
        );
        assert_eq!(
            definition.class_type,
            ClassType::from_api(entity["classType"].as_i64().expect("a class"))
        );
        assert_eq!(Some(definition.equippable), entity["equippable"].as_bool());
        let label = entity["equippingBlock"]["uniqueLabel"]
            .as_str()
            .filter(|label| !label.is_empty());
        assert_eq!(definition.unique_label.as_deref(), label);
    }
    assert!(
        definitions
            .values()
            .any(|d| d.unique_label.as_deref() == Some("exotic_weapon")),
        "exotic weapons are among them"
    );
}

#[test]
fn core_reads_the_table_in_chunks_of_random_sizes_as_it_reads_it_whole() {
    let mut table = Vec::new();
    write_item_table(2_000, 12, &mut table).expect("written to memory");
    let whole = parse_item_table(&table).expect("core reads the table whole");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for largest in [16, 1_000, 70_000] {
        let mut builder = ItemTableBuilder::new();
        let mut rest = table.as_slice();
        let mut chunks = 0;
        while !rest.is_empty() {
            let (chunk, after) = rest.split_at(rng.random_range(1..=largest).min(rest.len()));
            builder.push(chunk).expect("every chunk reads");
            rest = after;
            chunks += 1;
        }
        assert!(chunks > 1, "chunks of at most {largest} bytes");
        assert_eq!(
            builder.finish().expect("the whole table was pushed"),
            whole,
            "chunks of at most {largest} bytes"
        );
    }
}
