//! The window's typed client: `ui/src/lib/bindings/Commands.ts`, one entry per command with
//! its arguments and result in TypeScript (as ts-rs names core's types), and the names of the
//! record types the window reloads for when they arrive from other desks. Written by
//! `cargo test`, as ts-rs writes the types beside it; the window's `call` takes nothing else.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ts_rs::{Config, Dependency, TypeVisitor, TS};

use super::declare::Signature;

/// A Rust type as TypeScript names it, with the exported types that name needs imported.
pub struct TsType {
    name: String,
    imports: Vec<Dependency>,
}

impl TsType {
    pub fn of<T: TS + 'static + ?Sized>() -> TsType {
        struct Imports<'a>(&'a Config, Vec<Dependency>);
        impl TypeVisitor for Imports<'_> {
            fn visit<T: TS + 'static + ?Sized>(&mut self) {
                self.1.extend(Dependency::from_ty::<T>(self.0));
                T::visit_generics(self);
            }
        }
        let config = Config::from_env();
        let mut imports = Imports(&config, Vec::new());
        imports.visit::<T>();
        TsType { name: T::name(&config), imports: imports.1 }
    }
}

/// The client's TypeScript: the commands by name (`args: null` for one that takes none), and the
/// record types by name.
pub fn typescript(commands: &[Signature], entities: &[&str]) -> String {
    let mut imports: BTreeMap<String, PathBuf> = BTreeMap::new();
    let types = commands.iter().flat_map(|command| command.args.iter().map(|(_, ty)| ty).chain([&command.result]));
    for ty in types {
        for import in &ty.imports {
            imports.insert(import.ts_name.clone(), import.output_path.clone());
        }
    }
    let mut out = String::from(
        "// Written by `cargo test` from src-tauri's `commands!` declarations and core's record types: do not edit.\n",
    );
    for (name, path) in &imports {
        let file = path.with_extension("");
        out += &format!("import type {{ {name} }} from \"./{}\";\n", file.display());
    }
    out += "\n/** Every command the window may invoke: its arguments, and what it returns. */\n";
    out += "export interface Commands {\n";
    let mut sorted: Vec<&Signature> = commands.iter().collect();
    sorted.sort_by_key(|command| command.name);
    for command in sorted {
        let args: Vec<String> = command.args.iter().map(|(arg, ty)| format!("{arg}: {}", ty.name)).collect();
        let args = if args.is_empty() { "null".to_owned() } else { format!("{{ {} }}", args.join("; ")) };
        out += &format!("  {}: {{ args: {args}; result: {} }};\n", command.name, command.result.name);
    }
    out += "}\n\n/** The record types desks sync: what arrives from other desks is named by these. */\n";
    out += "export type EntityName =\n";
    let names: Vec<String> = entities.iter().map(|name| format!("  | \"{name}\"")).collect();
    out += &names.join("\n");
    out += ";\n";
    out
}
