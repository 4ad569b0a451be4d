//! Times the phases of a load: `cargo run --release --example phases -- DIR`.
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let t = std::time::Instant::now();
    let ix = tokentrail::loader::load_paths(&[dir], &mut |_| {});
    let load = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let lin = tokentrail::lineage::Lineage::build(&ix);
    let lineage = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let s = tokentrail::suspects::rank(&ix, &lin);
    let suspects = t.elapsed().as_secs_f64();
    println!(
        "load {load:.3}s  lineage {lineage:.3}s  suspects {suspects:.3}s  events {}  nodes {}  suspects {}",
        ix.events.len(),
        lin.nodes.len(),
        s.len()
    );
    println!("index heap {:.1} B/event", ix.heap_bytes() as f64 / ix.events.len().max(1) as f64);
}
