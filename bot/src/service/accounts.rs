//! One person across platforms, and their data in their own hands:
//! `/link`, `/unlink`, `/profile notify`, `/mydata` and `/forgetme`.
//! The merge rules are in [`crate::rules::linking`].

use super::{Ctx, Outcome, Via};
use crate::codes::{self, Purpose};
use crate::domain::Platform;
use crate::i18n::{Arg, Msg};
use crate::reply::{Attachment, Button, Reply};
use crate::store::{CancelOutcome, Cancellation, CodeOwner, Outgoing};

use super::seats::promoted_notice;
use crate::Core;

impl Core {
    pub(super) async fn link(&self, ctx: &Ctx<'_>, typed: Option<&str>) -> Outcome {
        match typed {
            None => self.link_code(ctx).await,
            Some(typed) => self.link_with(ctx, typed).await,
        }
    }

    /// A code for the caller's other account, shown to the caller alone.
    async fn link_code(&self, ctx: &Ctx<'_>) -> Outcome {
        let code = codes::new_code();
        let owner = CodeOwner {
            community: None,
            member: Some(ctx.member),
        };
        self.store
            .issue_code(Purpose::Link, &code.hash, owner, ctx.now, ctx.now + codes::LINK_VALID)
            .await?;
        let mut reply = Reply::private().line(self.t(
            Msg::LinkCode,
            vec![
                ("code", Arg::code(&code.shown)),
                ("command", Arg::code(format!("/link {}", code.shown))),
            ],
        ));
        if let Some(bot) = self.telegram_bot.get() {
            let url = format!("https://t.me/{bot}?start=link_{}", code.compact);
            reply.push_line(self.t(Msg::LinkDeepLink, vec![("url", Arg::Link(url))]));
        }
        Ok(reply)
    }

    /// Joins the caller's member into the one that asked for the code.
    async fn link_with(&self, ctx: &Ctx<'_>, typed: &str) -> Outcome {
        let refused = || self.refuse(vec![self.t(Msg::CodeRefused, vec![("command", Arg::code("/link"))])]);
        let Some(hash) = codes::hash_typed(typed) else {
            return Err(refused());
        };
        // Refusals that are about the accounts, not the code, leave it good.
        let Some(CodeOwner { member: Some(kept), .. }) = self.store.code_owner(Purpose::Link, &hash, ctx.now).await?
        else {
            return Err(refused());
        };
        if kept == ctx.member {
            return Err(self.refuse(vec![self.t(Msg::LinkSelf, vec![])]));
        }
        let theirs = self.store.contact(kept).await?.card;
        let mine = self.store.contact(ctx.member).await?.card;
        if let Some(twice) = mine.handles.iter().find(|h| theirs.handle_on(h.platform).is_some()) {
            return Err(self.refuse(vec![self.t(
                Msg::LinkSamePlatform,
                vec![("platform", Arg::text(twice.platform.display_name()))],
            )]));
        }
        // Spent now: of two redemptions at once, one goes on.
        let redeemed = self.store.redeem_code(Purpose::Link, &hash, ctx.now).await?;
        if redeemed.and_then(|owner| owner.member) != Some(kept) {
            return Err(refused());
        }
        let freed = |community, Cancellation { offer, promoted, .. }: &Cancellation| -> Vec<Outgoing> {
            promoted_notice(community, offer, promoted.as_ref().map(|(r, _)| r))
                .into_iter()
                .collect()
        };
        let summary = self.store.link_members(kept, ctx.member, ctx.now, &freed).await?;
        tracing::info!(kept = kept.0, merged = ctx.member.0, "identities linked");
        let mut platforms: Vec<&str> = theirs
            .handles
            .iter()
            .chain(&mine.handles)
            .map(|h| h.platform.display_name())
            .collect();
        platforms.sort_unstable();
        platforms.dedup();
        let mut reply =
            Reply::private().line(self.t(Msg::LinkDone, vec![("platforms", Arg::strong(platforms.join(" + ")))]));
        if summary.requests_merged > 0 {
            reply.push_line(self.t(
                Msg::LinkMergedRequests,
                vec![("n", Arg::count(summary.requests_merged))],
            ));
        }
        Ok(reply)
    }

    pub(super) async fn unlink(&self, ctx: &Ctx<'_>) -> Outcome {
        match self
            .store
            .unlink_identity(ctx.member, ctx.chat.platform, ctx.now)
            .await?
        {
            Some(_) => {
                tracing::info!(member = ctx.member.0, "identity unlinked");
                Ok(Reply::private().line(self.t(
                    Msg::UnlinkDone,
                    vec![("platform", Arg::text(ctx.chat.platform.display_name()))],
                )))
            }
            None => Err(self.refuse(vec![self.t(Msg::UnlinkNothing, vec![])])),
        }
    }

    pub(super) async fn notify(&self, ctx: &Ctx<'_>, platform: Option<Platform>) -> Outcome {
        if let Some(platform) = platform {
            let card = self.store.contact(ctx.member).await?.card;
            if card.handle_on(platform).is_none() {
                return Err(self.refuse(vec![self.t(
                    Msg::NotifyNoAccount,
                    vec![("platform", Arg::text(platform.display_name()))],
                )]));
            }
        }
        self.store.set_notify_platform(ctx.member, platform).await?;
        Ok(Reply::to_caller().line(match platform {
            Some(p) => self.t(Msg::NotifySaved, vec![("platform", Arg::strong(p.display_name()))]),
            None => self.t(Msg::NotifyAuto, vec![]),
        }))
    }

    /// Everything kept about the caller, as a JSON file only they see.
    pub(super) async fn my_data(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut data = self.store.export_member(ctx.member).await?;
        for message in &mut data.messages {
            if let (Some(body), Ok(platform)) = (&message.body, message.platform.parse::<Platform>()) {
                message.text = body.render(self.locale()).plain_text(platform);
            }
        }
        let content = serde_json::to_string_pretty(&data).map_err(|e| crate::store::StoreError::Other(Box::new(e)))?;
        let file_name = format!("seatmate-data-{}.json", ctx.now.format("%Y-%m-%d"));
        let mut reply = Reply::private().line(self.t(Msg::MyDataSent, vec![("file", Arg::code(&file_name))]));
        reply.attachment = Some(Box::new(Attachment {
            file_name,
            media_type: "application/json".into(),
            content,
        }));
        Ok(reply)
    }

    /// Asks first, privately, with a button that carries a one-time
    /// confirmation bound to the caller and good for a few minutes; only a
    /// press of it, by them, in a private context, erases. Then ends what
    /// involves others (seats go to the next in line, who is told; open
    /// offers are withdrawn, everyone on them told) and deletes the member.
    pub(super) async fn forget_me(&self, ctx: &Ctx<'_>, confirmation: Option<&str>) -> Outcome {
        let Some(token) = confirmation else {
            let code = codes::new_code();
            let owner = CodeOwner {
                community: None,
                member: Some(ctx.member),
            };
            self.store
                .issue_code(
                    Purpose::Forget,
                    &code.hash,
                    owner,
                    ctx.now,
                    ctx.now + codes::FORGET_VALID,
                )
                .await?;
            // Privately: in a group it would be one press from a mistake.
            let minutes = codes::FORGET_VALID.num_minutes();
            let mut reply = Reply::private()
                .line(self.t(Msg::ForgetMeAsk, vec![]))
                .line(self.t(Msg::ForgetMeButtonValid, vec![("minutes", Arg::count(minutes))]));
            reply.buttons.push(Button::new(
                Msg::ForgetMeButton.template(self.locale()),
                format!("/forgetme confirm {}", code.compact),
            ));
            return Ok(reply);
        };
        let private = ctx.chat.private || ctx.chat.platform.has_ephemeral_replies();
        if ctx.via != Via::Button || !private {
            return Err(self.refuse(vec![self.t(Msg::ForgetMeByButtonOnly, vec![])]));
        }
        let expired = || self.refuse(vec![self.t(Msg::ForgetMeExpired, vec![])]);
        let Some(hash) = codes::hash_typed(token) else {
            return Err(expired());
        };
        // Whose it is, without spending it: a press by someone else leaves
        // the member's confirmation good.
        match self.store.code_owner(Purpose::Forget, &hash, ctx.now).await? {
            None => return Err(expired()),
            Some(owner) if owner.member != Some(ctx.member) => {
                return Err(self.refuse(vec![self.t(Msg::ForgetMeNotYours, vec![])]))
            }
            Some(_) => {}
        }
        // Two presses at once: one erases, the other finds it spent.
        if self.store.redeem_code(Purpose::Forget, &hash, ctx.now).await?.is_none() {
            return Err(expired());
        }
        for community in self.store.member_communities(ctx.member).await? {
            for (request, offer) in self.store.member_requests(community.id, ctx.member, ctx.now).await? {
                if !request.state.is_active() {
                    continue;
                }
                // Nobody is told who left: only the next in line, of their seat.
                let notices = |Cancellation { offer, promoted, .. }: &Cancellation| -> Vec<Outgoing> {
                    promoted_notice(community.id, offer, promoted.as_ref().map(|(r, _)| r))
                        .into_iter()
                        .collect()
                };
                if let CancelOutcome::Refused { .. } = self
                    .store
                    .cancel_request(community.id, request.id, ctx.member, ctx.now, &notices)
                    .await?
                {
                    tracing::debug!(offer = offer.id.0, "a request ended meanwhile");
                }
            }
            for offer in self.store.open_offers(community.id, ctx.now).await? {
                if offer.host == ctx.member {
                    self.withdraw_offer(&community, offer.id, crate::notice::WhyWithdrawn::Host, ctx.now)
                        .await?;
                }
            }
        }
        self.store.forget_member(ctx.member).await?;
        tracing::info!("a member was forgotten at their request");
        Ok(Reply::to_caller().line(self.t(Msg::ForgetMeDone, vec![])))
    }
}

impl Core {
    /// Deletes check-ins (by their local date, read as a UTC date: a day's
    /// slack across zones) and delivered messages older than
    /// `privacy.checkin_days`, and codes past their time.
    pub async fn sweep_old_data(&self) -> crate::store::StoreResult<crate::store::Purged> {
        let now = self.clock.now();
        let before = now - chrono::TimeDelta::days(i64::from(self.settings.checkin_days));
        let mut purged = self.store.purge(before, now).await?;
        purged.inbound = self.store.purge_inbound(now - super::inbound::INBOUND_KEPT).await?;
        Ok(purged)
    }
}
