//! Seatmate in Discord (serenity). Built in steps (issue 13): so far the
//! catalogue as application commands ([`commands`]); interactions, the
//! gateway and the courier come next.

pub mod commands;
pub mod courier;
pub mod inbound;
pub mod render;
