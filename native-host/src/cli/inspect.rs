//! `courier-host inspect`: reads saved bungie.net answers offline, with no session and no
//! network.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use courier_core::inventory::parse_profile;

use super::profile::Summary;

/// Flags of `courier-host inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

/// What kind of saved answer to read.
#[derive(Debug, clap::Subcommand)]
enum What {
    /// A saved GetProfile answer: its characters and item counts per place.
    Profile {
        /// The file holding the answer (the whole envelope, as bungie.net sent it).
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `courier-host inspect`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Profile { file, json } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            let inventory = parse_profile(&bytes).with_context(|| {
                format!("{} is not a readable GetProfile answer", file.display())
            })?;
            anyhow::ensure!(
                !(inventory.characters.is_empty() && inventory.items.is_empty()),
                "{} holds no characters and no items: save the answer of GetProfile asked with \
                 components=100,102,200,201,205 (what Courier reads)",
                file.display()
            );
            Summary::of(&inventory).print(json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
