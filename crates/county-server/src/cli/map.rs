//! `county-server map build|status`: the county basemap (docs/maps.md) built into the data
//! folder that `serve --data-dir` serves it from, and what it holds.

use anyhow::{Context, Result};
use clap::Subcommand;
use county_server::map::{build_basemap, read_status, BasemapArea, BasemapStatus};
use county_server::SharedStorage;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum MapCommand {
    /// Build the basemap (PMTiles, zooms 0–15) from the national border and the posts' patrol
    /// tracks, over the posts' located entries (or --area), replacing the one there was.
    Build {
        /// The folder `serve --data-dir` uses.
        #[arg(long, default_value = "./county-data")]
        data_dir: PathBuf,
        /// WEST,SOUTH,EAST,NORTH in degrees (default: around every located entry, 5 km out).
        #[arg(long, value_parser = parse_area)]
        area: Option<BasemapArea>,
    },
    /// What the basemap holds, as JSON.
    Status {
        #[arg(long, default_value = "./county-data")]
        data_dir: PathBuf,
    },
}

/// `--area` as clap reads it.
pub fn parse_area(text: &str) -> Result<BasemapArea, String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<f64>()
                .map_err(|_| format!("{part:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    let [west, south, east, north] = numbers[..] else {
        return Err(format!(
            "{text:?}: give four numbers, WEST,SOUTH,EAST,NORTH"
        ));
    };
    BasemapArea::checked(west, south, east, north).map_err(|error| error.to_string())
}

pub async fn map(storage: SharedStorage, command: MapCommand) -> Result<()> {
    match command {
        MapCommand::Build { data_dir, area } => {
            let status = build_basemap(&storage, &data_dir, area)
                .await
                .with_context(|| format!("building the basemap in {}", data_dir.display()))?;
            print_status(&status)
        }
        MapCommand::Status { data_dir } => print_status(&status_of(&data_dir)?),
    }
}

fn status_of(data_dir: &Path) -> Result<BasemapStatus> {
    read_status(data_dir).with_context(|| format!("reading the basemap of {}", data_dir.display()))
}

fn print_status(status: &BasemapStatus) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(status)?);
    Ok(())
}
