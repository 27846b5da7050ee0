//! Who does the work: an instance (the deployment's name for a process,
//! the same across its restarts: `bot.instance`, the host name by default)
//! and this run of it. Claims on shared rows (outbox messages, inbound
//! updates being handled) carry the worker's name, so that a restarted
//! instance knows which claims were its own and died with it.

use std::sync::Arc;

use rand::Rng;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    instance: Arc<str>,
    run: Arc<str>,
}

impl Worker {
    /// A new run of `instance`. A `/` in the name is replaced: it separates
    /// the instance from the run.
    pub fn new(instance: &str) -> Worker {
        let instance = instance.trim().replace('/', "-");
        let instance = if instance.is_empty() {
            "seatmate".to_string()
        } else {
            instance
        };
        let run: u64 = rand::thread_rng().gen();
        Worker {
            instance: instance.into(),
            run: format!("{run:016x}").into(),
        }
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// `instance/run`: what a claim records.
    pub fn name(&self) -> String {
        format!("{}/{}", self.instance, self.run)
    }

    /// What every run of this instance's claims begin with.
    pub fn instance_prefix(&self) -> String {
        format!("{}/", self.instance)
    }
}

impl Default for Worker {
    /// A process that names no instance (a test, a console session): a run
    /// of its own that never takes another's claims for its own.
    fn default() -> Self {
        let run: u64 = rand::thread_rng().gen();
        Worker::new(&format!("local-{run:016x}"))
    }
}

/// This host's name, the default instance name (empty where it cannot be read).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_one_instance_share_its_prefix_and_differ() {
        let (a, b) = (Worker::new("bot-1"), Worker::new("bot-1"));
        assert!(a.name().starts_with(&a.instance_prefix()) && b.name().starts_with(&a.instance_prefix()));
        assert_ne!(a.name(), b.name());
        assert!(!Worker::new("bot-10").name().starts_with(&a.instance_prefix()));
        assert_eq!(Worker::new("a/b").instance(), "a-b");
        assert_ne!(Worker::default().instance(), Worker::default().instance());
    }
}
