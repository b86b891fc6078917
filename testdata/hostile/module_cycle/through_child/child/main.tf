# Calls back the directory that calls it.
module "up" {
  source = "../"
}
