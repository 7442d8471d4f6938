//! `check PATH…`: the static packaging audit.

pub mod target;
