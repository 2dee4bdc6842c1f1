fn main() {
    trygghetskarta::mount();
}
