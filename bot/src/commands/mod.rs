//! Every command, one module each (or one per small family, such as
//! `space add|list|remove`): its catalogue entry with its English and Dutch
//! texts, the grammar that reads it, and the handler that runs it. The
//! catalogue, the dispatch, `/help`, autocomplete and both platforms' menus
//! are all read from [`CATALOGUE`]; adding a command is a module and one line
//! there (see the README's "Adding a command").
//!
//! Handlers are free functions over an explicit [`Cx`]: they decide, the
//! store executes, and what they answer is a platform-neutral `Reply`.

use std::future::Future;
use std::pin::Pin;

use crate::catalogue::CommandSpec;
use crate::command::Action;
use crate::service::{Cx, Failure, Outcome};
use crate::store::StoreError;

/// A module's handler and the check of which actions it takes, from one
/// list of arms: each a pattern of [`Action`] and the future that runs it,
/// with the command's context bound to the name given (`|cx|`).
macro_rules! handlers {
    (|$cx:ident| { $($pat:pat => $run:expr),+ $(,)? }) => {
        /// The actions this module's entries parse to.
        #[allow(unused_variables)]
        fn accepts(action: &$crate::command::Action) -> bool {
            false $(|| matches!(action, $pat))+
        }

        fn handle<'a>(
            $cx: &'a $crate::service::Cx<'a>,
            action: $crate::command::Action,
        ) -> $crate::commands::Handled<'a> {
            Box::pin(async move {
                match action {
                    $($pat => $run.await,)+
                    #[allow(unreachable_patterns)]
                    other => Err($crate::commands::unhandled(other)),
                }
            })
        }

        /// How this module's entries run.
        const HANDLER: $crate::commands::Handler = $crate::commands::Handler { run: handle, accepts };
    };
}

mod account;
mod ask;
pub(crate) mod checkin;
mod help;
mod here;
mod host;
mod pairing;
mod profile;
pub(crate) mod report;
pub(crate) mod seats;
mod settings;
mod setup;
mod space;
mod use_community;
mod whois;

pub(crate) use use_community::ask_which_community;

/// Every command, in the order `/help` and the menus list them.
pub const CATALOGUE: &[CommandSpec] = &[
    help::START,
    help::INBOX,
    help::HELP,
    setup::SETUP,
    use_community::USE,
    setup::INVITE,
    setup::CHATS,
    setup::UNBIND,
    space::SPACE,
    host::HOST,
    profile::PROFILE,
    whois::WHOIS,
    account::LINK,
    account::UNLINK,
    account::MYDATA,
    account::FORGETME,
    checkin::CHECKIN,
    checkin::CHECKOUT,
    here::HERE,
    seats::OFFER,
    seats::SEATS,
    seats::REQUEST,
    seats::CANCEL,
    seats::MYSEATS,
    seats::COMING,
    seats::IMHERE,
    seats::OFFERS,
    seats::WITHDRAW,
    seats::APPROVE,
    seats::DECLINE,
    pairing::PAIRING,
    pairing::MATCH,
    pairing::MET,
    ask::ASK,
    ask::ASKS,
    ask::CANHELP,
    ask::NOTNOW,
    report::REPORT,
    settings::SETTINGS,
    pairing::PAIRNOW,
];

/// What a handler returns: the command's outcome, when it has run.
pub(crate) type Handled<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// How an entry runs: its module's handler, and which actions that handler
/// takes (the catalogue tests hold each entry's grammar to it).
#[derive(Clone, Copy)]
pub(crate) struct Handler {
    pub run: for<'a> fn(&'a Cx<'a>, Action) -> Handled<'a>,
    pub accepts: fn(&Action) -> bool,
}

/// An action that reached a module that has no arm for it: an entry whose
/// grammar and handler disagree (the catalogue tests forbid it), logged as
/// a fault rather than answered as if done.
pub(crate) fn unhandled(action: Action) -> Failure {
    Failure::Internal(StoreError::Other(
        format!("no handler for {action:?}: its entry names another module's grammar").into(),
    ))
}
