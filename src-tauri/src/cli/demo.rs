//! `porchlight demo`: a fictional center to explore, on an empty desk.

use std::path::Path;

use porchlight_core::access::{Role, Session};
use porchlight_core::{demo, settings, Desk};

use super::CliError;

pub fn run(desk: &mut Desk, operator: &Session, data_dir: &Path, time_zone: Option<String>) -> Result<(), CliError> {
    if let Some(time_zone) = time_zone {
        let center = settings::Settings { time_zone, ..settings::get(desk)? };
        settings::update(desk, operator, &center)?;
    }
    let size = demo::Size::SMALL;
    demo::seed(desk, operator, size)?;
    println!(
        "Seeded \"{}\" with {} fictional people, about {} visits, {} groups, {} warmline calls from {} callers and {} volunteers on {} shift templates in {}.",
        demo::DEMO_CENTER_NAME,
        size.people,
        size.visits,
        size.groups,
        size.calls,
        size.callers,
        size.volunteers,
        size.shift_templates,
        data_dir.display()
    );
    let facilitators: Vec<String> =
        demo::DEMO_FACILITATORS.iter().map(|(name, pin)| format!("{name} (PIN {pin})")).collect();
    println!("Its facilitators, to sign in as once the desk is set up: {}.", facilitators.join(", "));
    let line: Vec<String> = demo::DEMO_WARMLINE
        .iter()
        .map(|(name, pin, role)| {
            let who = if *role == Role::Coordinator { "coordinator" } else { "volunteer" };
            format!("{name} ({who}, PIN {pin})")
        })
        .collect();
    println!("Its warmline: {}. The coordinator lands on the volunteers' coverage.", line.join(", "));
    Ok(())
}
