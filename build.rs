// Templates are embedded with include_dir!, which cargo does not track on stable: rebuild when
// anything under templates/ changes (cargo scans a directory given here recursively).
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
