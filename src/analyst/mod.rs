//! What analysts read from finished extract output: [`export`] (CSV, JSON, JSON Lines, and Parquet through [`parquet`]),
//! [`report`] (one self-contained HTML page, drawing the batch-wide [`corpus`] view) and [`who`]
//! ("what did X say?"), all three narrowed by the same [`filter`] options. Output files are written atomically ([`outfile`]); `extract --resume`
//! reads what an interrupted run left ([`resume`]).

pub mod corpus;
pub mod export;
pub mod filter;
pub mod outfile;
pub mod parquet;
pub mod report;
pub mod resume;
pub mod who;
