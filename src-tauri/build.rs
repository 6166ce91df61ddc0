fn main() {
    // The config is the root tauri.conf.json (found by default); the capabilities live
    // beside the shell's sources rather than at the repository root.
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {error:#}");
    }
}
