//! The commands the window invokes: each takes the desk from state and calls core. One file
//! per core domain (plus `desk` and `desk_key` for the desk itself), each declaring its commands
//! once in a `commands!` block ([`declare`]): the Tauri command, its place in the handler, and
//! its entry in the window's typed client come from that one line.

#[cfg(test)]
mod client;
mod declare;

use tauri::ipc::Invoke;

/// Runs one domain's commands, when the window invoked one of them.
type DomainHandler = Box<dyn Fn(Invoke) -> bool + Send + Sync>;

macro_rules! domains {
    ($($domain:ident),* $(,)?) => {
        $(mod $domain;)*

        /// Every domain's command names, with its handler.
        fn domains() -> Vec<(&'static [&'static str], DomainHandler)> {
            vec![$(($domain::NAMES, Box::new($domain::handler()) as DomainHandler)),*]
        }

        #[cfg(test)]
        fn signatures() -> Vec<declare::Signature> {
            [$($domain::signatures()),*].into_iter().flatten().collect()
        }
    };
}

domains![
    accounts, audit, backups, consent, desk, desk_key, folders, front_desk, groups, hub_link, people, reports,
    services, session, settings, sync, visits, volunteers, warmline,
];

/// The handler the window's invocations go to: the domain that declared the command runs it.
pub fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    let domains = domains();
    move |invoke| {
        let command = invoke.message.command().to_owned();
        match domains.iter().find(|(names, _)| names.contains(&command.as_str())) {
            Some((_, run)) => run(invoke),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn every_command_has_one_name_and_the_windows_typed_client_declares_it() {
        let signatures = super::signatures();
        let names: BTreeSet<&str> = signatures.iter().map(|command| command.name).collect();
        assert_eq!(names.len(), signatures.len(), "two domains declare a command of one name");
        let client = super::client::typescript(&signatures, &porchlight_core::record_types());
        let path = ts_rs::Config::from_env().out_dir().join("Commands.ts");
        std::fs::write(&path, client).unwrap();
    }
}
