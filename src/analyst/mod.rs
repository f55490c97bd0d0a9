//! What analysts read from finished extract output: [`export`] (CSV, JSON, JSON Lines, and Parquet through [`parquet`]),
//! [`report`] (one self-contained HTML page) and [`who`] ("what did X say?").

pub mod export;
pub mod parquet;
pub mod report;
pub mod who;
