//! A command as a platform with typed options shows it (Discord): the
//! usage with the options by name, and an example with a value for each
//! required option, written from the catalogue so that a new command needs
//! nothing here.

use super::{ArgKind, ArgSpec, CommandSpec, CATALOGUE};

/// A value an option of `kind` could take, for examples.
fn sample(kind: ArgKind) -> Option<&'static str> {
    Some(match kind {
        ArgKind::Space | ArgKind::NewSpace | ArgKind::SpaceOrRemote => "cafe-noord",
        ArgKind::MemberMention => "@bea",
        ArgKind::Date | ArgKind::DateOrSpace => "tomorrow",
        ArgKind::Time => "17:00",
        ArgKind::Window => "9-17",
        ArgKind::Integer => "2",
        ArgKind::MinutesOrOff => "90",
        ArgKind::OnOff => "off",
        ArgKind::OfferOrSpace | ArgKind::OfferNumber => "12",
        ArgKind::Days => "mon-fri",
        ArgKind::Tags => "rust, design",
        ArgKind::Zone => "Europe/Amsterdam",
        ArgKind::Language => "nl",
        ArgKind::CommandName => "checkin",
        ArgKind::Flag => "True",
        ArgKind::Text | ArgKind::Note => "quiet room",
        ArgKind::Code => "ABCD-2345",
        ArgKind::PlatformName => "telegram",
        ArgKind::ButtonOnly => return None,
    })
}

impl CommandSpec {
    /// The command as its menu shows it: `/checkin`, `/space add`, and
    /// `/profile show` for a group's bare form.
    pub fn menu_name(&self) -> String {
        let group = CATALOGUE
            .iter()
            .find(|c| !c.subcommands.is_empty() && c.subcommands.iter().any(|s| s.path == self.path));
        match group {
            Some(group) => format!("/{} {}", group.name, self.name),
            None => format!("/{}", self.name),
        }
    }

    fn offered(&self) -> impl Iterator<Item = &ArgSpec> {
        // Required options first, as Discord lists them.
        let (required, optional): (Vec<&ArgSpec>, Vec<&ArgSpec>) = self
            .args
            .iter()
            .filter(|a| a.kind != ArgKind::ButtonOnly)
            .partition(|a| a.required);
        required.into_iter().chain(optional)
    }

    /// `/offer space:… seats:… [date:…] [window:…] [note:…]`.
    pub fn options_usage(&self) -> String {
        let mut usage = self.menu_name();
        for arg in self.offered() {
            let part = format!("{}:…", arg.name);
            usage.push(' ');
            usage.push_str(&if arg.required { part } else { format!("[{part}]") });
        }
        usage
    }

    /// `/offer space:cafe-noord seats:2 date:tomorrow`: every required
    /// option and the first optional one, with sample values.
    pub fn options_example(&self) -> String {
        let mut example = self.menu_name();
        let mut optional_shown = false;
        for arg in self.offered() {
            if !arg.required {
                if optional_shown {
                    break;
                }
                optional_shown = true;
            }
            if let Some(value) = sample(arg.kind) {
                example.push_str(&format!(" {}:{value}", arg.name));
            }
        }
        example
    }
}

#[cfg(test)]
mod tests {
    use super::super::{find_path, leaves};

    #[test]
    fn options_forms_name_every_option_and_no_text_syntax() {
        let offer = find_path("offer").unwrap();
        assert!(
            offer.options_usage().starts_with("/offer space:… seats:… [date:…]"),
            "{}",
            offer.options_usage()
        );
        assert_eq!(offer.options_example(), "/offer space:cafe-noord seats:2 date:tomorrow");
        assert_eq!(find_path("profile").unwrap().options_example(), "/profile show");
        assert_eq!(find_path("space add").unwrap().menu_name(), "/space add");
        for leaf in leaves() {
            for arg in leaf.args.iter().filter(|a| a.required) {
                assert!(
                    leaf.options_example().contains(&format!("{}:", arg.name)),
                    "/{}",
                    leaf.path
                );
            }
        }
    }
}
