//! Generates a large dossier for `benches/pack.sh`: every document of one
//! stage attached, with mostly incompressible content, `TOTAL_MIB` in all.
//!
//! The built-in packs cap files at 10 MiB, far below a 1 GiB benchmark, so
//! this attaches through the core with a copy of the packs whose limits are
//! raised. `qujat pack` later reads the same store with the real packs, sees
//! the files as too large, and packs them with `--allow-incomplete`, which
//! exercises exactly the same copying, hashing and writing.
//!
//! Usage: bench_dossier DATA_DIR [TOTAL_MIB] [STAGE]  (prints the dossier id)

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use qujat_core::kind::FileKind;
use qujat_core::rules::{builtin_packs, RequirementKind};
use qujat_core::{OpenOptions, Workspace};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data_dir = PathBuf::from(
        args.next()
            .ok_or("usage: bench_dossier DATA_DIR [TOTAL_MIB] [STAGE]")?,
    );
    let total_mib: u64 = args.next().map_or(Ok(1024), |s| s.parse())?;
    let stage = args.next().unwrap_or_else(|| "astana-hub".to_owned());

    let mut packs = builtin_packs()?;
    for pack in &mut packs {
        pack.defaults.max_size_mib = 4096;
        for r in &mut pack.requirements {
            r.max_size_mib = None;
        }
    }
    let mut ws = Workspace::open(OpenOptions::new(&data_dir).packs(packs))?;
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Benchmark Applicant", Utc::now())?
        .id;
    let pack = ws.program("kz-ai-pilot")?.clone();
    let documents: Vec<_> = pack
        .stage(&stage)
        .ok_or("no such stage")?
        .requirements
        .iter()
        .filter_map(|id| pack.requirement(id))
        .filter(|r| r.kind == RequirementKind::Document)
        .cloned()
        .collect();
    let each = (total_mib << 20) / documents.len() as u64;
    let scratch = data_dir.join("bench-source.tmp");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for r in &documents {
        let header: &[u8] = if pack.accepts(r).contains(&FileKind::Pdf) {
            b"%PDF-1.4\n"
        } else {
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
        };
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&scratch)?);
        file.write_all(header)?;
        let mut written = header.len() as u64;
        let mut block = vec![0u8; 1 << 20];
        while written < each {
            // xorshift64*: fast, incompressible enough for a ZIP's purposes.
            for word in block.chunks_exact_mut(8) {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                word.copy_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
            }
            let n = (each - written).min(block.len() as u64) as usize;
            file.write_all(&block[..n])?;
            written += n as u64;
        }
        file.flush()?;
        drop(file);
        ws.attach(&dossier, &r.id, &scratch, Utc::now())?;
    }
    std::fs::remove_file(&scratch)?;
    println!("{dossier}");
    Ok(())
}
