//! Integration tests: every test talks HTTP to a real server bound on port 0.
