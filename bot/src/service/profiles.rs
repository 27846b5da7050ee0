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
        // A linked member: who they are on each platform, and where private messages go.
        let card = self.store.contact(ctx.member).await?.card;
        if card.handles.len() > 1 {
            self.push_accounts(&mut reply, ctx, &card).await?;
        }
        if profile.offers.is_empty() {
            reply.push_line(self.t(
                Msg::ProfileHint,
                vec![("example", Arg::code("/profile offers rust, pitch decks"))],
            ));
        }
        Ok(reply)
    }

    async fn push_accounts(
        &self,
        reply: &mut Reply,
        ctx: &Ctx<'_>,
        card: &crate::reply::MemberCard,
    ) -> Result<(), crate::store::StoreError> {
        let accounts: Vec<String> = card
            .handles
            .iter()
            .map(|h| {
                let name = card.plain_name(h.platform);
                format!("{} {name}", h.platform.display_name())
            })
            .collect();
        reply.push_item(self.t(Msg::ProfileAccounts, vec![("accounts", Arg::text(accounts.join(", ")))]));
        let notify = match self.store.notify_platform(ctx.member).await? {
            Some(platform) => platform.display_name().to_string(),
            None => self.text(Msg::NotifyWhereAuto, vec![]),
        };
        reply.push_item(self.t(Msg::ProfileNotifyLine, vec![("where", Arg::text(notify))]));
        Ok(())
    }
}

pub(super) fn tags_of(change: TagsChange) -> Tags {
    match change {
        TagsChange::Set(tags) => tags,
        TagsChange::Clear => Tags::default(),
    }
}
