//! Integration tests: every test talks HTTP to a real server bound on 127.0.0.1 port 0.

mod admin;
mod architecture;
mod chiefonboarding;
mod console;
mod directory;
mod fuzz;
mod helpers;
mod hostile;
mod joinup;
mod json_depth;
mod justworks;
mod memory;
mod named_sandbox;
mod openapi;
mod orquest;
mod panics;
mod process;
mod recipes;
mod sandboxes;
mod scale;
mod scenarios;
mod state_snapshots;
mod tls;
mod verify;
