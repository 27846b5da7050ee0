//! The command menus platforms show (Telegram's `setMyCommands`), from the
//! catalogue.

use super::{Access, CommandSpec, CATALOGUE};

/// One command of a platform's command menu (Telegram's `setMyCommands`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuEntry {
    pub name: &'static str,
    pub description: &'static str,
}

/// The command menus in one language: every member's, and the admins'
/// (every member's and the commands only admins may use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menus {
    pub members: Vec<MenuEntry>,
    pub admins: Vec<MenuEntry>,
}

impl CommandSpec {
    /// Only admins may use it (all of it, for a group): platforms offer it
    /// to admins only (Telegram's admin menu, Discord's Manage Server).
    pub fn admin_only(&self) -> bool {
        self.leaves()
            .iter()
            .all(|s| matches!(s.access, Access::Admin | Access::ChatAdmin))
    }
}

/// The command menus in `locale`, in catalogue order.
pub fn menus(locale: crate::Locale) -> Menus {
    let entry = |spec: &CommandSpec| MenuEntry {
        name: spec.name,
        description: spec.summary_in(locale),
    };
    Menus {
        members: CATALOGUE.iter().filter(|c| !c.admin_only()).map(entry).collect(),
        admins: CATALOGUE.iter().map(entry).collect(),
    }
}
