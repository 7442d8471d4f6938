//! `cargo flink-connector option add|remove|set`: edit connector.toml's options in place
//! (comments and layout kept), validate the result, then re-render.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use crate::cli::{OptionCommand, OptionSpec};
use crate::errors::{Error, IoContext, Result};
use crate::manifest::{locate, option_table, Manifest, OptionDef, MANIFEST_FILE};
use crate::project;

pub fn cmd_option(command: OptionCommand) -> Result<u8> {
    let path = match &command {
        OptionCommand::Add(spec) | OptionCommand::Set(spec) => spec.path.as_deref(),
        OptionCommand::Remove { path, .. } => path.as_deref(),
    };
    let root = project::find_root(path)?;
    let manifest_path = root.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).with_path("read", &manifest_path)?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        locate(&manifest_path, &text, e.span().unwrap_or(0..0), e.message())
    })?;
    let summary = match &command {
        OptionCommand::Add(spec) => add(&mut doc, spec)?,
        OptionCommand::Set(spec) => set(&mut doc, spec)?,
        OptionCommand::Remove { key, .. } => remove(&mut doc, key)?,
    };
    let new_text = doc.to_string();
    // The whole manifest must stay valid (e.g. a capability keeps the options its code reads).
    Manifest::parse(&manifest_path, &new_text).map_err(|e| match e {
        Error::Located { message, .. } => Error::usage(format!(
            "{summary} would make {MANIFEST_FILE} invalid: {message}"
        )),
        other => other,
    })?;
    std::fs::write(&manifest_path, new_text).with_path("write", &manifest_path)?;
    eprintln!("{summary} in {}", manifest_path.display());
    super::generate::regenerate(&root, None, false)
}

fn options_mut(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables> {
    if !doc.contains_key("options") {
        doc["options"] = Item::ArrayOfTables(ArrayOfTables::new());
    }
    doc["options"].as_array_of_tables_mut().ok_or_else(|| {
        Error::usage(format!(
            "`options` in {MANIFEST_FILE} must be an array of tables ([[options]])"
        ))
    })
}

fn position(options: &ArrayOfTables, key: &str) -> Option<usize> {
    options
        .iter()
        .position(|t| t.get("key").and_then(Item::as_str) == Some(key))
}

fn add(doc: &mut DocumentMut, spec: &OptionSpec) -> Result<String> {
    let ty = spec.type_.as_deref().ok_or_else(|| {
        Error::usage("`option add` needs --type (string, int, long, boolean, double, duration)")
    })?;
    let def = OptionDef::new(
        &spec.key,
        ty,
        spec.default.clone(),
        spec.required.unwrap_or(false),
        spec.sensitive.unwrap_or(false),
        spec.description.as_deref().unwrap_or(""),
    )
    .map_err(Error::usage)?;
    let options = options_mut(doc)?;
    if position(options, &spec.key).is_some() {
        return Err(Error::usage(format!(
            "option '{}' exists already; use `option set`",
            spec.key
        )));
    }
    options.push(option_table(&def));
    Ok(format!("added option '{}'", spec.key))
}

/// A field of an option table as text (`"30 s"` → `30 s`, `6379` → `6379`).
fn field_text(table: &Table, key: &str) -> Option<String> {
    let value = table.get(key).and_then(Item::as_value)?;
    Some(match value.as_str() {
        Some(text) => text.to_string(),
        None => value.clone().decorated("", "").to_string(),
    })
}

fn set(doc: &mut DocumentMut, spec: &OptionSpec) -> Result<String> {
    let options = options_mut(doc)?;
    let index = position(options, &spec.key)
        .ok_or_else(|| Error::usage(format!("no option '{}' to set", spec.key)))?;
    let table = options.get_mut(index).expect("found above");
    let ty = spec
        .type_
        .clone()
        .or_else(|| field_text(table, "type"))
        .unwrap_or_default();
    let default = match &spec.default {
        Some(d) => Some(d.clone()),
        None if spec.type_.is_some() => None, // a new type invalidates the old default
        None => field_text(table, "default"),
    };
    let flag = |new: Option<bool>, k: &str| {
        new.unwrap_or_else(|| table.get(k).and_then(Item::as_bool).unwrap_or(false))
    };
    let description = spec
        .description
        .clone()
        .or_else(|| field_text(table, "description"));
    let def = OptionDef::new(
        &spec.key,
        &ty,
        default,
        flag(spec.required, "required"),
        flag(spec.sensitive, "sensitive"),
        description.as_deref().unwrap_or(""),
    )
    .map_err(Error::usage)?;
    // Touch only the fields that changed, so comments and order stay as the user left them.
    let fresh = option_table(&def);
    for k in ["type", "default", "required", "sensitive", "description"] {
        match fresh.get(k) {
            Some(item) if field_text(table, k) != field_text(&fresh, k) => table[k] = item.clone(),
            Some(_) => {}
            None => {
                table.remove(k);
            }
        }
    }
    Ok(format!("changed option '{}'", spec.key))
}

fn remove(doc: &mut DocumentMut, key: &str) -> Result<String> {
    let options = options_mut(doc)?;
    let index = position(options, key)
        .ok_or_else(|| Error::usage(format!("no option '{key}' to remove")))?;
    options.remove(index);
    Ok(format!("removed option '{key}'"))
}
