//! The server's integration tests, one binary (one link, one PostgreSQL cluster per run):
//! each module is one area. Run one area with `cargo test -p trygghetskarta-server --test server proxy::`.

mod common;

mod api_dialogues;
mod api_followup;
mod api_foundation;
mod api_lagesbild;
mod api_pins;
mod api_session;
mod api_staff;
mod cli;
mod concurrency;
mod deploy;
mod exports;
mod hotspots;
mod indexes;
mod mail;
mod migrate;
mod multi_process;
mod operations;
mod pin_tiles;
mod proxy;
mod public_pins;
mod tiles;
