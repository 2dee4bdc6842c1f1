fn main() {
    trygghetskarta::mount_staff();
}
