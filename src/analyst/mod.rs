//! What analysts read from finished extract output: [`export`] (CSV, JSON, JSON Lines),
//! [`report`] (one self-contained HTML page) and [`who`] ("what did X say?").

pub mod export;
pub mod report;
pub mod who;
