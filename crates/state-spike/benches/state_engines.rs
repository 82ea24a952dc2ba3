//! Issue 15's spike, side by side: option (a), today's Jellyfish tree with pruning, and
//! option (b), QMDB, at 100k and 1M invoices (`SPIKE_SIZES=100000,1000000` by default).
//!
//! ```text
//! cargo bench -p fapiao-state-spike --bench state_engines
//! ```

fn main() {
    println!("state-engine spike: engines are added by the spike's two parts");
}
