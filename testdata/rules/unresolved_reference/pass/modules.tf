# Every required input set, an optional one left to its default, and meta-arguments.
module "named_codes" {
  source      = "./named"
  count       = 1
  depends_on  = [module.codes]
  prefix      = "Sales"
  division_id = "5e7d1b2c-0000-4000-8000-000000000001"
}
