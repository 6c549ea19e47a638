//! The simulator's shared state: configuration, clock, and one lock over everything that
//! changes (the world, sign-in state, throttles, faults and the request log).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::auth::Sessions;
use crate::clock::SimClock;
use crate::config::SimConfig;
use crate::faults::Faults;
use crate::log::RequestLog;
use crate::signin::oauth::OAuthState;
use crate::signin::psn::PsnState;
use crate::throttle::Throttle;
use crate::world::World;

/// The state every handler gets.
pub type AppState = Arc<Shared>;

/// What the handlers share.
#[derive(Debug)]
pub struct Shared {
    /// How the simulator was set up.
    pub config: SimConfig,
    /// Simulated time.
    pub clock: SimClock,
    /// Everything that changes, behind one lock (handlers hold it briefly and never across await).
    state: Mutex<SimState>,
}

/// Everything that changes while the simulator runs.
#[derive(Debug)]
pub struct SimState {
    /// The account as it is now.
    pub world: World,
    /// The account as it was at start, for reset.
    pub initial_world: World,
    /// The account as it was before the latest change: what a stale GetProfile answers.
    pub previous: Option<World>,
    /// When the account last changed. Fresh answers are minted when they are made; a stale
    /// one was minted just before this.
    pub minted_at: Duration,
    /// bungie.net cookie sessions.
    pub sessions: Sessions,
    /// Sony's side of the PSN sign-in.
    pub psn: PsnState,
    /// OAuth codes and tokens.
    pub oauth: OAuthState,
    /// Per-user action throttles.
    pub throttle: Throttle,
    /// Random and queued faults.
    pub faults: Faults,
    /// Every request the simulator answered.
    pub log: RequestLog,
    /// Whether bungie.net is down for maintenance (every Platform call answers 5).
    pub maintenance: bool,
    /// Randomness for tokens and codes (seeded, so runs repeat).
    pub rng: ChaCha8Rng,
}

impl SimState {
    /// Fresh state around a world.
    pub fn new(world: World, config: &SimConfig) -> Self {
        Self {
            initial_world: world.clone(),
            world,
            previous: None,
            minted_at: Duration::ZERO,
            sessions: Sessions::default(),
            psn: PsnState::default(),
            oauth: OAuthState::default(),
            throttle: Throttle::new(config.throttle),
            faults: Faults::new(config.faults.clone(), config.seed),
            log: RequestLog::default(),
            maintenance: false,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
        }
    }

    /// Replaces the world with its changed copy at `now`, keeping the old one as what a stale
    /// answer shows.
    pub fn commit(&mut self, changed: World, now: Duration) {
        let old = std::mem::replace(&mut self.world, changed);
        self.previous = Some(old);
        self.minted_at = now;
    }

    /// Puts the world, sessions, throttles, faults and log back as they were at start.
    pub fn reset(&mut self, config: &SimConfig) {
        let world = self.initial_world.clone();
        *self = Self::new(world, config);
    }
}

impl Shared {
    /// Shared state around a world.
    pub fn new(config: SimConfig, world: World) -> AppState {
        let state = SimState::new(world, &config);
        Arc::new(Self {
            config,
            clock: SimClock::new(),
            state: Mutex::new(state),
        })
    }

    /// Locks the changing state. A handler that panicked while holding the lock leaves the
    /// state as it was; the simulator keeps serving.
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Simulated time now.
    pub fn now(&self) -> Duration {
        self.clock.now()
    }
}
