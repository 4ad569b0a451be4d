//! Times the phases of a load: `cargo run --release --example phases -- DIR [--progressive]`.
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let progressive = std::env::args().any(|a| a == "--progressive");
    let t = std::time::Instant::now();
    let mut partials = Vec::new();
    let every = progressive.then(|| std::time::Duration::from_millis(500));
    let ix = tokentrail::loader::load_paths_progressively(
        &[dir],
        &mut |_| {},
        &mut |ix| {
            let at = t.elapsed().as_secs_f64();
            let n = ix.events.len();
            let _model = tokentrail::model::Model::new(ix);
            partials.push(format!("{n} events at {at:.2}s"));
        },
        every,
    );
    let load = t.elapsed().as_secs_f64();
    let n = ix.events.len().max(1);
    println!(
        "index heap {} B/event: strings heap {} B/event ({} strings), agents {} B/event ({} agents), events {} B/event, usage and sessions the rest",
        ix.heap_bytes() / n,
        ix.strings.heap_bytes() / n,
        ix.strings.len(),
        ix.agents.heap_bytes() / n,
        ix.agents.len(),
        ix.events.capacity() * std::mem::size_of::<tokentrail::index::event::Event>() / n
    );
    let t = std::time::Instant::now();
    let m = tokentrail::model::Model::new(ix);
    println!(
        "load {load:.3}s  model {:.3}s  events {}  partials: {}",
        t.elapsed().as_secs_f64(),
        m.ix.events.len(),
        partials.join(", ")
    );
}
