module "c" {
  source = "./child"
  count  = 2
}
