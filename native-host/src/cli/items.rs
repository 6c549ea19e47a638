//! `courier-host move`, `equip`, `lock`, `unlock` and `postmaster`: plan with courier-core,
//! show the plan, run it, report.
//!
//! Each command turns its flags into intents ([`Order`]) against the fresh inventory; the rest
//! is the same for all: courier-core plans them, the plan is printed (what moves aside, what is
//! refused and why), `--dry-run` stops there, else the executor runs it over HTTP with a
//! progress bar, and the report says how each intent ended and where each item is. The exit
//! status is 0 only when every intent is done.

mod progress;
mod target;
mod words;

use std::process::ExitCode;

use courier_core::exec::{Executor, Journal, Report};
use courier_core::model::Item;
use courier_core::plan::{Destination, Intent, MakeRoom, Plan, PlanOptions, plan};

use super::output;
use crate::driver::client::Bungie;
use crate::driver::{self, SignIn};
use progress::ProgressView;
use target::{character, destination, matching, reference};
use words::Words;

/// Flags of `move`.
#[derive(Debug, clap::Args)]
pub struct MoveArgs {
    /// The items to move, in the search language (`id:6917529...`, `name:"Gjallarhorn"`,
    /// `is:weapon is:invault`).
    query: String,
    /// Where to: `vault`, `titan`, `hunter`, `warlock` or a character id.
    #[arg(long, value_name = "vault|titan|hunter|warlock|CHARACTER_ID")]
    to: String,
    /// Equip the items there.
    #[arg(long)]
    equip: bool,
    /// Move other items out of the way when the destination is full.
    #[arg(long)]
    make_room: bool,
    /// Print the plan and stop.
    #[arg(long)]
    dry_run: bool,
}

/// Flags of `equip`.
#[derive(Debug, clap::Args)]
pub struct EquipArgs {
    /// The one item to equip, in the search language.
    query: String,
    /// Who equips it: `titan`, `hunter`, `warlock` or a character id.
    #[arg(long, value_name = "titan|hunter|warlock|CHARACTER_ID")]
    on: String,
}

/// Flags of `lock` and `unlock`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The items, in the search language.
    query: String,
}

/// Flags of `postmaster`.
#[derive(Debug, clap::Args)]
pub struct PostmasterArgs {
    /// Whose postmaster to empty: `titan`, `hunter`, `warlock` or a character id.
    #[arg(long, value_name = "titan|hunter|warlock|CHARACTER_ID")]
    collect: String,
}

/// `courier-host move`.
pub fn move_items(api_key: Option<String>, args: MoveArgs) -> anyhow::Result<ExitCode> {
    let make_room = if args.make_room {
        MakeRoom::Allowed
    } else {
        MakeRoom::Never
    };
    carry_out(api_key, make_room, args.dry_run, |words, order| {
        let to = destination(words, &args.to, order)?;
        for item in matching(words, &args.query)? {
            let label = format!(
                "move {} to {}{}",
                words.item_of(item),
                words.destination(to),
                if args.equip { " and equip it" } else { "" }
            );
            let intent = Intent::Move {
                item: reference(item),
                to,
                amount: None,
                equip: args.equip,
            };
            order.push(intent, label);
        }
        Ok(())
    })
}

/// `courier-host equip`.
pub fn equip(api_key: Option<String>, args: EquipArgs) -> anyhow::Result<ExitCode> {
    carry_out(api_key, MakeRoom::Never, false, |words, order| {
        let on = character(words, &args.on, order)?;
        let item = single(words, &args.query)?;
        let label = format!(
            "equip {} on {}",
            words.item_of(item),
            words.destination(Destination::Character(on))
        );
        order.push(
            Intent::Equip {
                item: reference(item),
                character_id: on,
            },
            label,
        );
        Ok(())
    })
}

/// `courier-host lock` / `unlock`.
pub fn lock(api_key: Option<String>, args: QueryArgs, locked: bool) -> anyhow::Result<ExitCode> {
    carry_out(api_key, MakeRoom::Never, false, |words, order| {
        let verb = if locked { "lock" } else { "unlock" };
        for item in matching(words, &args.query)? {
            let label = format!("{verb} {}", words.item_of(item));
            let intent = Intent::Lock {
                item: reference(item),
                locked,
            };
            order.push(intent, label);
        }
        Ok(())
    })
}

/// `courier-host postmaster`.
pub fn postmaster(api_key: Option<String>, args: PostmasterArgs) -> anyhow::Result<ExitCode> {
    carry_out(api_key, MakeRoom::Never, false, |words, order| {
        let whose = character(words, &args.collect, order)?;
        let label = format!(
            "collect {}'s postmaster",
            words.destination(Destination::Character(whose))
        );
        order.push(
            Intent::CollectPostmaster {
                character_id: whose,
            },
            label,
        );
        Ok(())
    })
}

/// What a command asks for: intents, each with the words that name it, and notes for the
/// player (a class that named one of two characters, say).
#[derive(Debug, Default)]
pub struct Order {
    intents: Vec<Intent>,
    labels: Vec<String>,
    notes: Vec<String>,
}

impl Order {
    /// Adds an intent and what it is called in the plan and the report.
    fn push(&mut self, intent: Intent, label: String) {
        self.intents.push(intent);
        self.labels.push(label);
    }

    /// Adds a note printed before the plan.
    fn note(&mut self, note: String) {
        self.notes.push(note);
    }
}

/// The one item a search matches; several are an error that lists them.
fn single<'a>(words: &Words<'a>, query: &str) -> anyhow::Result<&'a Item> {
    let items = matching(words, query)?;
    match items.as_slice() {
        [item] => Ok(item),
        many => anyhow::bail!(
            "{query:?} matches {} items; make the search match one (for example with id:...):\n{}",
            many.len(),
            words.list(many)
        ),
    }
}

/// Everything after the intents: plan, print, run, report.
fn carry_out(
    api_key: Option<String>,
    make_room: MakeRoom,
    dry_run: bool,
    ask: impl FnOnce(&Words<'_>, &mut Order) -> anyhow::Result<()>,
) -> anyhow::Result<ExitCode> {
    let client = driver::connect(api_key, SignIn::Required)?;
    let cache_dir = driver::cache_dir()?;
    driver::block_on(async {
        let inventory = client.inventory().await?;
        let definitions = driver::definitions::load(&client, &cache_dir).await?;
        let words = Words::new(&inventory, &definitions);
        let mut order = Order::default();
        ask(&words, &mut order)?;
        for note in &order.notes {
            output::print_line(&format!("note: {note}"))?;
        }
        let options = PlanOptions {
            make_room,
            in_activity: Vec::new(),
        };
        let planned = plan(&inventory, &definitions, &order.intents, &options);
        output::print(&words.plan(&planned, &order.labels))?;
        if dry_run {
            output::print_line("Dry run: nothing was sent.")?;
            return Ok(exit_code(planned.is_complete()));
        }
        let report = execute(&client, words, planned, order, options).await?;
        Ok(exit_code(report.intents.iter().all(|i| i.done)))
    })?
}

/// Runs the plan that was printed, with a progress view, and prints the report.
async fn execute(
    client: &Bungie,
    words: Words<'_>,
    planned: Plan,
    order: Order,
    options: PlanOptions,
) -> anyhow::Result<Report> {
    let mut view = ProgressView::new(planned.steps.len());
    let journal = Journal::start(words.inventory.clone(), order.intents, options, planned);
    // This process cannot know when the account last acted (an earlier courier-host may have
    // sent an action a moment ago), which is what core's resume is for: its first action
    // waits one spacing instead of earning a throttle penalty.
    let mut executor = Executor::resume(journal);
    let report = driver::run(client, &mut executor, words.definitions, |p| view.update(p)).await;
    view.finish();
    let report = report?;
    output::print(&words.report(&report, &order.labels))?;
    Ok(report)
}

/// 0 on success, 1 otherwise.
fn exit_code(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
