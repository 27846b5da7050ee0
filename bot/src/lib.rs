//! Seatmate's shared core: the command language and catalogue, the domain rules,
//! and the ports (`Store`, `Clock`) the rest of the program plugs into. It knows
//! no database and no chat platform: adapters translate in and out, the storage
//! crate implements `Store`.

pub mod admins;
pub mod catalogue;
mod catalogue_nl;
pub mod clock;
pub mod codes;
pub mod command;
mod commands;
pub mod delivery;
pub mod domain;
pub mod fit;
pub mod focus;
pub mod i18n;
pub mod limits;
pub mod localtime;
pub mod members;
pub mod notice;
pub mod pairing;
pub mod reply;
pub mod report;
pub mod rules;
pub mod schedule;
pub mod service;
pub mod store;
pub mod suggest;
pub mod worker;

pub use clock::{Clock, ManualClock, SystemClock};
pub use domain::{ArgError, Platform, Zone};
pub use i18n::Locale;
pub use reply::{Attachment, Audience, Block, Button, Handle, MemberCard, Reply, Span};
pub use service::{Caller, ChatEvent, Core, CoreSettings, Inbound};
pub use store::{ChatKey, Store, StoreError};
