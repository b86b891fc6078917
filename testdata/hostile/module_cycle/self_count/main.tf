# A module whose source is its own directory, twice per level: 2^32 instances before the old depth
# bound, and `terraform init` never ends on it.
module "a" {
  source = "./"
  count  = 2
}

resource "genesyscloud_routing_queue" "q" {
  name = "Support"
}
