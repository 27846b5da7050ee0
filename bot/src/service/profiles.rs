//! `/profile`: what a member can help with, looks for, and a line about them.

use super::{Ctx, Outcome};
use crate::command::TagsChange;
use crate::domain::Tags;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::store::ProfileChange;
use crate::Core;

impl Core {
    pub(super) async fn profile_show(&self, ctx: &Ctx<'_>, change: Option<ProfileChange>) -> Outcome {
        let (profile, saved) = match change {
            Some(change) => (self.store.update_profile(ctx.member, &change).await?, true),
            None => (self.store.profile(ctx.member).await?, false),
        };
        let mut reply = Reply::to_caller();
        if saved {
            reply.push_line(self.t(Msg::ProfileSaved, vec![]));
        }
        reply.push_line(self.t(Msg::ProfileTitle, vec![]));
        let nothing = || Arg::text(Msg::ProfileNothing.template(self.locale()));
        let tags = |t: &Tags| {
            if t.is_empty() {
                nothing()
            } else {
                Arg::text(t)
            }
        };
        reply.push_item(self.t(Msg::ProfileOffers, vec![("tags", tags(&profile.offers))]));
        reply.push_item(self.t(Msg::ProfileWants, vec![("tags", tags(&profile.wants))]));
        let about = if profile.about.is_empty() {
            nothing()
        } else {
            Arg::text(&profile.about)
        };
        reply.push_item(self.t(Msg::ProfileAbout, vec![("text", about)]));
        if profile.offers.is_empty() {
            reply.push_line(self.t(
                Msg::ProfileHint,
                vec![("example", Arg::code("/profile offers rust, pitch decks"))],
            ));
        }
        Ok(reply)
    }
}

pub(super) fn tags_of(change: TagsChange) -> Tags {
    match change {
        TagsChange::Set(tags) => tags,
        TagsChange::Clear => Tags::default(),
    }
}
