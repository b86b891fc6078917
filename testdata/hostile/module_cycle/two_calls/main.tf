# Two calls of the module's own directory, without count: each level doubles too.
module "a" {
  source = "./"
}

module "b" {
  source = "./"
}
